// The command tree as shell completion needs it, read from the same declarations the parser
// and the help use (the root table, each group's sub-commands, each command's options and
// positionals), so the completion scripts can never list a command or option that is gone.

import type { CommandDef, GroupDef, Loader, OptionDef, PositionalDef } from "./define.ts";
import { HELP_OPTION } from "./define.ts";
import { TOP_OPTIONS } from "./top-options.ts";
import type { Layout } from "../../index/layout/types.ts";

/** What a word is completed with: names from the index, local files, or nothing. */
export type ValueKind = "node" | "group" | "acq" | "file" | "none";

export interface CompletionEntry {
  /** `alpenhorn`, `alpenhorn node`, `alpenhorn node sync`. */
  readonly path: string;
  /** Sub-commands (groups and the root only). */
  readonly subs: readonly string[];
  /** Every option spelling, `-h/--help` included. */
  readonly options: readonly string[];
  /** Options that take a value, with what completes it. */
  readonly values: ReadonlyArray<readonly [string, ValueKind]>;
  /** Positionals in order; the last one repeats when `variadic`. */
  readonly args: ReadonlyArray<{ readonly kind: ValueKind; readonly variadic: boolean }>;
}

export interface RootTable {
  readonly commands: Readonly<Record<string, Loader>>;
  /** The listed commands: hidden ones (absent here) are not offered. */
  readonly summaries: Readonly<Record<string, string>>;
}

/** Index names by the word that declares them: NODE, SOURCE_NODE, GROUP, DEST_GROUP, ACQ. */
function namedKind(word: string | undefined): ValueKind {
  if (!word) return "none";
  if (/(^|_)NODE$/.test(word)) return "node";
  if (/(^|_)GROUP$/.test(word)) return "group";
  if (word === "ACQ") return "acq";
  return "none";
}

export function optionValueKind(opt: OptionDef): ValueKind {
  if (opt.type === "file" || opt.type === "path" || opt.metavar === "FILE") return "file";
  return namedKind(opt.metavar);
}

/**
 * A positional's kind. NAME is the thing its group manages (`node show NAME`), except under
 * `create`, where it is a new name and nothing can be offered.
 */
function positionalKind(path: string, arg: PositionalDef): ValueKind {
  const [, group, command] = path.split(" ");
  if (arg.name === "NAME" && command !== "create") return namedKind(group?.toUpperCase());
  return namedKind(arg.name);
}

function optionFacts(options: readonly OptionDef[]): Pick<CompletionEntry, "options" | "values"> {
  const all = [...options, HELP_OPTION];
  return {
    options: all.flatMap((o) => [...o.names, ...(o.off ?? [])]),
    values: all.filter((o) => o.kind === "value").flatMap((o) => o.names.map((n) => [n, optionValueKind(o)] as const)),
  };
}

function commandEntry(path: string, def: CommandDef): CompletionEntry {
  return {
    path,
    subs: [],
    ...optionFacts(Object.values(def.options)),
    args: def.args.map((a) => ({ kind: positionalKind(path, a), variadic: a.variadic === true })),
  };
}

/** One command or group of the tree, with its path (`alpenhorn node sync`). */
export interface TreeNode {
  readonly path: string;
  readonly def: CommandDef | GroupDef;
  /** Listed sub-commands, sorted (groups only). */
  readonly subs: readonly string[];
}

async function walk(path: string, def: CommandDef | GroupDef, layout: Layout | undefined, out: TreeNode[]): Promise<void> {
  if (def.kind === "command") {
    out.push({ path, def, subs: [] });
    return;
  }
  const names = Object.keys(def.summaries).filter((n) => n in def.subCommands).sort();
  out.push({ path, def, subs: names });
  for (const name of names) await walk(`${path} ${name}`, await def.subCommands[name]!(layout), layout, out);
}

/**
 * The listed command tree below the root, depth first in name order (root excluded), as the
 * declarations define it. `layout` is handed to the groups' loaders (main's variants of
 * `node create`, …); without it they load 632dd41's. Shell completion and the README's CLI
 * reference (scripts/cli-reference.ts) both walk it.
 */
export async function commandTree(root: RootTable, layout?: Layout): Promise<TreeNode[]> {
  const names = Object.keys(root.summaries).filter((n) => n in root.commands).sort();
  const out: TreeNode[] = [];
  for (const name of names) await walk(`alpenhorn ${name}`, await root.commands[name]!(layout), layout, out);
  return out;
}

/** Every command path from the root down, root first. */
export async function completionEntries(root: RootTable): Promise<CompletionEntry[]> {
  const tree = await commandTree(root);
  const names = tree.filter((n) => n.path.split(" ").length === 2).map((n) => n.path.split(" ")[1]!);
  const rootOptions = Object.values(TOP_OPTIONS);
  const out: CompletionEntry[] = [{ path: "alpenhorn", subs: names, ...optionFacts(rootOptions), args: [] }];
  for (const n of tree) out.push(n.def.kind === "group" ? { path: n.path, subs: n.subs, ...optionFacts([]), args: [] } : commandEntry(n.path, n.def));
  return out;
}
