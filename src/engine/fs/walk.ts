// Recursive listing of a node subtree: regular files (hard links included, symlinked files not),
// entering directories that are directories after following symlinks, as alpenhorn's
// DefaultNodeIO.file_walk does.

import { lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Absolute paths of every regular non-symlink file at or under `start`. */
export function* walkFiles(start: string): Generator<string> {
  let st;
  try {
    st = lstatSync(start);
  } catch {
    return;
  }
  if (st.isFile()) {
    yield start;
    return;
  }
  if (!isDir(start)) return;
  yield* walkDir(start);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function* walkDir(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirs: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isFile()) yield p;
    else if (e.isDirectory() || (e.isSymbolicLink() && isDir(p))) subdirs.push(p);
  }
  for (const d of subdirs) yield* walkDir(d);
}
