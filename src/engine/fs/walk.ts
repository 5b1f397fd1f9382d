// Recursive listing of a node subtree: regular files (hard links included, symlinked files not),
// entering directories that are directories after following symlinks, as alpenhorn's
// DefaultNodeIO.file_walk does — but never our own temp names, nor symlinks out of `root`.

import { lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { confinedPath, isOurTempName } from "./paths.ts";

/** Absolute paths of every regular non-symlink file at or under `start`; `root` confines symlinked dirs. */
export function* walkFiles(start: string, root?: string): Generator<string> {
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
  yield* walkDir(start, root);
}

function inside(root: string | undefined, path: string): boolean {
  if (root === undefined) return true;
  try {
    confinedPath(root, path);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function* walkDir(dir: string, root: string | undefined): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const subdirs: string[] = [];
  for (const e of entries) {
    if (isOurTempName(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isFile()) yield p;
    else if (e.isDirectory() || (e.isSymbolicLink() && isDir(p) && inside(root, p))) subdirs.push(p);
  }
  for (const d of subdirs) yield* walkDir(d, root);
}
