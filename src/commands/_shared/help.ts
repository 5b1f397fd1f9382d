// click-style help and usage lines (pure), so `-h` looks the way alpenhorn's users know it.

import type { CommandDef, GroupDef, OptionDef } from "./define.ts";
import { HELP_OPTION } from "./define.ts";

/** The `Usage: alpenhorn …` line of a command or group. */
export function usageLine(path: string, def: CommandDef | GroupDef | { kind: "root" }): string {
  const prefix = path ? `alpenhorn ${path}` : "alpenhorn";
  if (def.kind !== "command") return `Usage: ${prefix} [OPTIONS] COMMAND [ARGS]...`;
  const args = def.args.map((a) => (a.variadic ? `${a.name}...` : a.name));
  return `Usage: ${prefix} [OPTIONS]${args.length ? " " + args.join(" ") : ""}`;
}

function optionSpelling(opt: OptionDef): string {
  let s = opt.names.join(", ");
  if (opt.off?.length) s += " / " + opt.off.join(", ");
  if (opt.kind === "value") s += ` ${opt.metavar ?? (opt.type === "int" ? "INTEGER" : opt.type === "float" ? "FLOAT" : "TEXT")}`;
  return s;
}

function wrap(text: string, width: number, indent: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + 1 + w.length > width - indent) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
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

function paragraphs(help: string): string[] {
  return help
    .trim()
    .split(/\n\s*\n/)
    .flatMap((p, i) => [...(i ? [""] : []), ...wrap(p, 78, 2).map((l) => `  ${l}`)]);
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
