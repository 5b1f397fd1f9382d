// How a command is declared: a name, help, click-style option and positional declarations
// (spellings in declaration order, flag pairs, repeatable and counted options, value types)
// and `run`. Parsing (argv.ts) and help (help.ts) are ours, to match click byte for byte.
// The argument object `run` receives is typed from the declarations (args-type.ts).

import type { ArgsOf } from "./args-type.ts";
import type { CommandContext } from "./context.ts";
import type { OptionDef, OptionDefs, PositionalDef } from "./option-def.ts";
import type { Layout, LayoutName } from "../../index/layout/types.ts";

export type { OptionDef, OptionDefs, PositionalDef, ValueType } from "./option-def.ts";

/** What the process edge must have done before a command runs. */
export type Startup = "index" | "db-group" | "none";

/** Parsed arguments as the parser builds them, before a command's declarations type them. */
export type Parsed = Record<string, unknown>;

/** The name (and one-line description) of a command or group. */
export interface CommandMeta {
  readonly name: string;
  readonly description?: string;
}

export interface CommandDef<A = Parsed> {
  readonly kind: "command";
  readonly meta: CommandMeta;
  /** Long help; its first sentence is the short help in group listings. */
  readonly help: string;
  readonly options: OptionDefs;
  readonly args: readonly PositionalDef[];
  readonly startup?: Startup;
  /**
   * Exit status for a failure of the start-up (configuration, extensions, database, schema
   * check) instead of 1: `check-site` reports "could not start" as 4.
   */
  readonly startupExit?: number;
  // A method, not a function-typed property: a CommandDef<ArgsOf<…>> then also serves where
  // the edge holds a plain CommandDef and passes the parser's output, which parseArgs built
  // from these same declarations.
  run(ctx: CommandContext, args: A): Promise<void>;
}

/**
 * Loads a command or group. A group's sub-command loaders get the table layout the start-up
 * detected, so a command that differs between layouts can load the variant for this index.
 */
export type Loader = (layout?: Layout) => Promise<CommandDef | GroupDef>;

export interface GroupDef {
  readonly kind: "group";
  readonly meta: CommandMeta;
  readonly help: string;
  readonly startup?: Startup;
  /** The table layout every command of the group needs (the host group exists on main's only). */
  readonly needsLayout?: LayoutName;
  readonly subCommands: Readonly<Record<string, Loader>>;
  /** One-line help per sub-command, so listings need not load every module. */
  readonly summaries: Readonly<Record<string, string>>;
}

/**
 * Declare a command. `const` type parameters keep the option and positional declarations as
 * literal types, so `run`'s `args` is typed from them (no casts in command files).
 */
export function defineCommand<const O extends OptionDefs, const P extends readonly PositionalDef[]>(
  def: Omit<CommandDef<ArgsOf<O, P>>, "kind" | "options" | "args"> & { readonly options: O; readonly args: P },
): CommandDef<ArgsOf<O, P>> {
  return { kind: "command", ...def };
}

export function defineGroup(def: Omit<GroupDef, "kind">): GroupDef {
  return { kind: "group", ...def };
}

/** One option declaration kept as its literal type, for sharing between commands. */
export function option<const O extends OptionDef>(def: O): O {
  return def;
}

/** A record of option declarations kept as literal types (for shared sets and factories). */
export function defineOptions<const O extends OptionDefs>(defs: O): O {
  return defs;
}

/** The implicit help option of every command. */
export const HELP_OPTION: OptionDef = { names: ["-h", "--help"], kind: "flag", help: "Show this message and exit." };
