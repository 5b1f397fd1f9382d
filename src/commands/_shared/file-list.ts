// `--file-list/-F PATH` (alpenhorn's files_from_file in alpenhorn/cli/options.py): read a list of `acq/file` paths (or `-` for stdin) into a
// set of file ids, stripping the node root from absolute lines, as node clean/verify/sync and
// group sync do before their confirmation flow.

import { readFileSync } from "node:fs";
import { resolve as resolvePath } from "node:path";
import { CliError } from "../../common/errors.ts";
import { pyStrip } from "../../common/pyfmt.ts";
import type { Db } from "../../index/driver/types.ts";
import { getNodeByName } from "../../index/queries/lookup.ts";
import type { CommandContext } from "./context.ts";
import { findFileByPath, normalisePath, pathAnchor, purePathStr } from "./resolve.ts";

/**
 * Python `Path(line).relative_to(root)` for an absolute line: the remainder (or `.` when the
 * line is the root itself), or null when the line does not lie under the root.
 */
export function stripRoot(line: string, root: string): string | null {
  // PurePosixPath keeps exactly two leading slashes as a distinct anchor (`//n`), which
  // relative_to does not match against `/n` (or the other way round).
  if (pathAnchor(line) !== pathAnchor(root)) return null;
  const l = normalisePath(line);
  const r = normalisePath(root);
  if (!l.startsWith("/") || !r.startsWith("/")) return null;
  const lp = l.split("/").filter(Boolean);
  const rp = r.split("/").filter(Boolean);
  if (rp.length > lp.length || rp.some((part, i) => lp[i] !== part)) return null;
  const rest = lp.slice(rp.length).join("/");
  return rest === "" ? "." : rest;
}

/** The lines of a file list to look up, with their 1-based line numbers (comments, blanks dropped). */
export function fileListEntries(text: string, root: string | null): Array<{ lineNo: number; path: string }> {
  // Python reads the list in text mode: \r\n and \r end lines too.
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  const out: Array<{ lineNo: number; path: string }> = [];
  lines.forEach((raw, i) => {
    // A comment needs its `#` in the first column: the check comes before stripping.
    if (raw.startsWith("#")) return;
    let path = pyStrip(raw);
    if (path === "") return;
    if (root && path.startsWith("/")) path = stripRoot(path, root) ?? path;
    out.push({ lineNo: i + 1, path });
  });
  return out;
}

async function readList(ctx: CommandContext, path: string): Promise<string> {
  try {
    return path === "-" ? await ctx.io.readAll() : readFileSync(resolvePath(ctx.cwd, path), "utf8");
  } catch {
    // alpenhorn's message really is this literal text: its placeholders are never filled in.
    throw new CliError("error reading {name}: {e}");
  }
}

/**
 * Load `--file-list PATH` into a set of file ids. With `nodeName`, that node's root is removed
 * from absolute lines (`No such node: …` if it does not exist). Any unknown line fails the
 * whole command. An empty set (no path, or only comments) means "no restriction".
 */
export async function loadFileList(ctx: CommandContext, db: Db, path: string | undefined, nodeName?: string): Promise<Set<number>> {
  const files = new Set<number>();
  if (!path) return files;
  let root: string | null = null;
  if (nodeName) {
    const node = await getNodeByName(db, nodeName);
    if (!node) throw new CliError(`No such node: ${nodeName}`);
    root = node.root;
  }
  const name = path === "-" ? "stdin" : path;
  const text = await readList(ctx, path);
  for (const { lineNo, path: entry } of fileListEntries(text, root)) {
    const file = await findFileByPath(db, entry);
    if (!file) throw new CliError(`No such file on line ${lineNo} of ${name}: ${purePathStr(entry)}`);
    files.add(file.id);
  }
  return files;
}
