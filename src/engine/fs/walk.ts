// Recursive listing of a node subtree through the fs service (one round trip per directory):
// regular files (hard links included, symlinked files not), entering directories that are
// directories after following symlinks, as alpenhorn's DefaultNodeIO.file_walk does — but
// never our own temp names, nor symlinks out of `root`.

import { join } from "node:path";
import type { FsService } from "../extension-api.ts";
import { isOurTempName } from "./paths.ts";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Absolute paths of every regular non-symlink file at or under `start`, a directory's files per batch. */
export async function* walkFiles(fs: FsService, start: string, root?: string): AsyncGenerator<string[]> {
  const st = await fs.lstat(start).catch(() => null);
  if (st === null) return;
  if (st.kind === "file") {
    yield [start];
    return;
  }
  if ((await fs.stat(start).catch(() => null))?.kind !== "dir") return;
  yield* walkDir(fs, start, root);
}

async function* walkDir(fs: FsService, dir: string, root: string | undefined): AsyncGenerator<string[]> {
  const listing = await fs.listDir(dir).catch(() => null);
  if (!listing) return;
  const files = listing.files.filter((n) => !isOurTempName(n)).sort(byName);
  if (files.length > 0) yield files.map((n) => join(dir, n));
  const subdirs = listing.dirs.filter((n) => !isOurTempName(n));
  for (const n of listing.linkDirs) {
    if (isOurTempName(n)) continue;
    // A symlinked directory is entered only when it stays inside the root.
    if (root === undefined || (await fs.confine(root, join(dir, n)).catch(() => null)) !== null) subdirs.push(n);
  }
  for (const n of subdirs.sort(byName)) yield* walkDir(fs, join(dir, n), root);
}
