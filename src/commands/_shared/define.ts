// How a command is declared: citty's command shape (meta, lazily loaded sub-commands, run)
// extended with what click parity needs (option spellings in declaration order, flag pairs,
// repeatable and counted options, value types). Parsing is ours (argv.ts), not citty's.

import type { CommandMeta } from "citty";
import type { CommandContext } from "./context.ts";

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
  /** Upper-case name as shown in usage lines (NODE, ACQ); parsed under its lower-case key. */
  readonly name: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
}

/** What the process edge must have done before a command runs. */
export type Startup = "index" | "db-group" | "none";

export type Parsed = Record<string, unknown>;

export interface CommandDef {
  readonly kind: "command";
  readonly meta: CommandMeta & { name: string };
  /** Long help; its first sentence is the short help in group listings. */
  readonly help: string;
  readonly options: Readonly<Record<string, OptionDef>>;
  readonly args: readonly PositionalDef[];
  readonly startup?: Startup;
  run(ctx: CommandContext, args: Parsed): Promise<void>;
}

export type Loader = () => Promise<CommandDef | GroupDef>;

export interface GroupDef {
  readonly kind: "group";
  readonly meta: CommandMeta & { name: string };
  readonly help: string;
  readonly startup?: Startup;
  readonly subCommands: Readonly<Record<string, Loader>>;
  /** One-line help per sub-command, so listings need not load every module. */
  readonly summaries: Readonly<Record<string, string>>;
}

export function defineCommand(def: Omit<CommandDef, "kind">): CommandDef {
  return { kind: "command", ...def };
}
export function defineGroup(def: Omit<GroupDef, "kind">): GroupDef {
  return { kind: "group", ...def };
}

/** The implicit help option of every command. */
export const HELP_OPTION: OptionDef = { names: ["-h", "--help"], kind: "flag", help: "Show this message and exit." };
