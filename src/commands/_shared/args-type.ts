// The type of a command's parsed arguments, computed from its declarations (type-level only).
// It mirrors what parseArgs (argv.ts) builds at run time; change the two together.

import type { OptionDef, OptionDefs, PositionalDef } from "./option-def.ts";

/** A converted value: "int" and "float" options give numbers, the other types strings. */
type Scalar<O extends OptionDef> = O extends { readonly type: "int" | "float" } ? number : string;

/**
 * One option's value: a count is a number; a flag a boolean, or boolean | undefined for a flag
 * pair (`--x/--no-x`) without a default; a repeatable value a (possibly empty) array; a single
 * value the converted scalar, or undefined when not given and without a default.
 */
export type OptionValue<O extends OptionDef> = O extends { readonly kind: "count" }
  ? number
  : O extends { readonly kind: "flag" }
    ? O extends { readonly off: readonly string[] }
      ? O extends { readonly default: boolean }
        ? boolean
        : boolean | undefined
      : boolean
    : O extends { readonly multiple: true }
      ? Scalar<O>[]
      : O extends { readonly default: string | number }
        ? Scalar<O>
        : Scalar<O> | undefined;

/** NODE → node, NEW_NAME → newName (the run-time rule is positionalKey in argv.ts). */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;
export type PositionalKey<N extends string> = CamelCase<Lowercase<N>>;

type PositionalValue<P extends PositionalDef> = P extends { readonly variadic: true }
  ? string[]
  : P extends { readonly required: false }
    ? string | undefined
    : string;

type PositionalArgs<P extends readonly PositionalDef[]> = P extends readonly [
  infer Head extends PositionalDef,
  ...infer Tail extends readonly PositionalDef[],
]
  ? { [K in PositionalKey<Head["name"]>]: PositionalValue<Head> } & PositionalArgs<Tail>
  : unknown;

/** The arguments of options `O` alone (for helpers shared by commands with the same options). */
export type OptionArgs<O extends OptionDefs> = { -readonly [K in keyof O]: OptionValue<O[K]> };

/** The `args` of a command declaring options `O` and positionals `P`, as one flat object type. */
export type ArgsOf<O extends OptionDefs, P extends readonly PositionalDef[]> = Flatten<OptionArgs<O> & PositionalArgs<P>>;

type Flatten<T> = { [K in keyof T]: T[K] };
