// The declaration of one option or positional argument, click's way: what the parser
// (argv.ts), the help (help.ts) and the argument types (args-type.ts) are all derived from.

export type ValueType = "str" | "int" | "float" | "file" | "path";

export interface OptionDef {
  /** Spellings in click's declaration order, e.g. ["-n", "--register-new"]. */
  readonly names: readonly string[];
  /** flag: true when given; value: takes one argument; count: number of times given. */
  readonly kind: "flag" | "value" | "count";
  /** For flag pairs (`--auto-import/--no-auto-import`): spellings that set the flag false. */
  readonly off?: readonly string[];
  /** Value conversion (default "str"); "file" must be a readable file or `-`; "path" must exist. */
  readonly type?: ValueType;
  readonly multiple?: boolean;
  readonly metavar?: string;
  readonly help?: string;
  /** Value when not given; default: undefined for flag pairs and values, false, 0 or []. */
  readonly default?: unknown;
}

export interface PositionalDef {
  /** Upper-case name as shown in usage lines (NODE, NEW_NAME); parsed under its camelCase key (node, newName). */
  readonly name: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
}

export type OptionDefs = Readonly<Record<string, OptionDef>>;
