// click-style help and usage lines (pure), so `-h` looks the way alpenhorn's users know it.

import type { CommandDef, GroupDef, OptionDef } from "./define.ts";
import { HELP_OPTION } from "./define.ts";

/** The `Usage: alpenhorn …` line of a command or group. */
export function usageLine(path: string, def: CommandDef | GroupDef | { kind: "root" }): string {
  const prefix = path ? `alpenhorn ${path}` : "alpenhorn";
  if (def.kind !== "command") return `Usage: ${prefix} [OPTIONS] COMMAND [ARGS]...`;
  // click shows an optional variadic argument (nargs=-1) as `[NAME]...`.
  const args = def.args.map((a) => (a.variadic ? (a.required === true ? `${a.name}...` : `[${a.name}]...`) : a.name));
  return `Usage: ${prefix} [OPTIONS]${args.length ? " " + args.join(" ") : ""}`;
}

/** click's _join_options: spellings ordered by prefix length (`-c, --conf`), stably. */
function joinSpellings(names: readonly string[]): string {
  const prefix = (n: string) => /^[^A-Za-z0-9]*/.exec(n)![0].length;
  return [...names].sort((x, y) => prefix(x) - prefix(y)).join(", ");
}

/** An option as the help lists it: `-c, --check`, `--auto-import / --no-auto-import`, `--node NODE`. */
export function optionSpelling(opt: OptionDef): string {
  let s = joinSpellings(opt.names);
  if (opt.off?.length) s += " / " + joinSpellings(opt.off);
  if (opt.kind === "value") s += ` ${opt.metavar ?? (opt.type === "int" ? "INTEGER" : opt.type === "float" ? "FLOAT" : "TEXT")}`;
  return s;
}

/**
 * Python's textwrap.TextWrapper.wrap as click configures it: the text is cut into runs of
 * whitespace and of other characters, lines are filled greedily, whitespace at a line break
 * is dropped (but kept inside a line, so "end.  Next" keeps its two spaces), and a word longer
 * than the line is broken. (Hyphenated words are not split at their hyphens.)
 */
function wrap(text: string, width: number, indent: number): string[] {
  const room = Math.max(width - indent, 1);
  const chunks = text.split(/(\s+)/).filter((c) => c !== "").reverse();
  const lines: string[] = [];
  const blank = (c: string) => c.trim() === "";
  while (chunks.length) {
    let line: string[] = [];
    let len = 0;
    if (blank(chunks.at(-1)!) && lines.length) chunks.pop();
    while (chunks.length && len + chunks.at(-1)!.length <= room) {
      const c = chunks.pop()!;
      line.push(c);
      len += c.length;
    }
    if (chunks.length && chunks.at(-1)!.length > room) {
      const c = chunks.pop()!;
      const end = Math.max(room - len, 1);
      line.push(c.slice(0, end));
      chunks.push(c.slice(end));
    }
    if (line.length && blank(line.at(-1)!)) line = line.slice(0, -1);
    if (line.length) lines.push(line.join(""));
  }
  return lines;
}

/** A two-column definition list as click prints it (first column at most 30 wide). */
function definitionList(rows: Array<[string, string]>): string[] {
  const width = Math.min(30, Math.max(...rows.map(([a]) => a.length)));
  const out: string[] = [];
  for (const [a, b] of rows) {
    const body = wrap(b, 78, width + 4);
    if (a.length > width) {
      out.push(`  ${a}`);
      for (const l of body) out.push(" ".repeat(width + 4) + l);
    } else {
      out.push(`  ${a.padEnd(width)}  ${body[0] ?? ""}`.trimEnd());
      for (const l of body.slice(1)) out.push(" ".repeat(width + 4) + l);
    }
  }
  return out;
}

/**
 * click's wrap_text(preserve_paragraphs=True) of a help text, indented by 2: paragraphs are
 * separated by empty lines, their lines joined by a space and re-wrapped; a paragraph whose
 * first line is `\b` is printed line by line as written.
 */
function paragraphs(help: string): string[] {
  const pars: Array<{ raw: boolean; lines: string[] }> = [];
  let buf: string[] = [];
  const flush = () => {
    if (!buf.length) return;
    if (buf[0]!.trim() === "\b") pars.push({ raw: true, lines: buf.slice(1) });
    else pars.push({ raw: false, lines: wrap(buf.join(" "), 78, 2) });
    buf = [];
  };
  for (const line of help.trim().split("\n")) {
    if (line === "") flush();
    else buf.push(buf.length ? line : line.trimStart());
  }
  flush();
  return pars.flatMap((p, i) => [...(i ? [""] : []), ...p.lines.map((l) => `  ${l}`)]);
}

export function commandHelp(path: string, def: CommandDef): string {
  const opts = [...Object.values(def.options), HELP_OPTION].map((o): [string, string] => [optionSpelling(o), o.help ?? ""]);
  return [usageLine(path, def), "", ...paragraphs(def.help), "", "Options:", ...definitionList(opts), ""].join("\n");
}

export function groupHelp(path: string, def: GroupDef | { kind: "root"; help: string; options: OptionDef[]; summaries: Record<string, string> }): string {
  const options = def.kind === "root" ? def.options : [HELP_OPTION];
  const cmds = Object.entries(def.summaries).sort(([a], [b]) => a.localeCompare(b));
  return [
    usageLine(path, def),
    "",
    ...paragraphs(def.help),
    "",
    "Options:",
    ...definitionList(options.map((o) => [optionSpelling(o), o.help ?? ""])),
    "",
    "Commands:",
    ...definitionList(cmds),
    "",
  ].join("\n");
}
