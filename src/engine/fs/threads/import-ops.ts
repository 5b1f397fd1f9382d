// The fs-thread side of a batch of imports (engine/import/batch.ts): for many files in one round
// trip, what the per-file import task learns in about five (alpenhorn/daemon/auto_import.py:
// _import_file at 632dd41 confines, stats, checks the lock file and hashes one file at a time).
// Each file is confined under the root, lstat'ed, its `.NAME.lock` looked for and, when asked,
// hashed, with the per-file task's stability rule: size and mtime before and after the hash must
// agree, else the file is reported changed and nothing about it is kept.

import { closeSync, constants, fstatSync, lstatSync, openSync, realpathSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { FsImportFact, ImportItem } from "../../extension-api.ts";
import { confinedPath, OutsideRootError } from "./confine.ts";
import { hashFd, type Progress } from "./hash.ts";

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "EIO";
const isMissing = (err: unknown) => ["ENOENT", "ENOTDIR"].includes(codeOf(err));

/** Milliseconds between two progress reports between files (a big file's hash reports on its own). */
const REPORT_MS = 250;

function lstatOrNull(path: string) {
  try {
    // No exception for a missing entry (the lock file, most of all): a thrown one costs more than the lstat.
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/**
 * The facts of each item, in order. Hashing stops being started once `byteCap` bytes have been
 * hashed (at least one file is): the items not reached are "later", for the caller's next round.
 * Progress is reported between files every REPORT_MS, and within a big file's hash, so the
 * caller's timeout measures the longest silence, not the whole batch.
 */
export function importFacts(root: string, items: readonly ImportItem[], byteCap: number, progress: Progress): FsImportFact[] {
  const top = resolve(root);
  let realRoot: string | null;
  try {
    realRoot = realpathSync(top);
  } catch {
    realRoot = null;
  }
  // Files of one acquisition share a directory: resolve it once (confine.ts: the directory
  // must resolve inside the root; the name itself is looked at with lstat, never followed).
  const dirs = new Map<string, string | null>();
  const dirOf = (rel: string): string | null => {
    const key = dirname(rel);
    let dir = dirs.get(key);
    if (dir === undefined) {
      try {
        dir = confinedPath(top, key);
      } catch (err) {
        if (!(err instanceof OutsideRootError)) throw err;
        dir = null;
      }
      dirs.set(key, dir);
    }
    return dir;
  };
  let hashed = 0;
  let done = 0;
  let reportedAt = performance.now();
  const out: FsImportFact[] = [];
  for (const item of items) {
    if (hashed >= byteCap) {
      out.push({ state: "later" });
      continue;
    }
    out.push(factOf(top, realRoot, item, dirOf, (n) => (hashed += n), (b) => progress(done + b)));
    done = hashed;
    // A report a file would cost more than the file (a message and a timer reset each): one
    // every REPORT_MS is plenty for a timeout counted in minutes.
    const now = performance.now();
    if (now - reportedAt >= REPORT_MS) {
      reportedAt = now;
      progress(done);
    }
  }
  return out;
}

function factOf(top: string, realRoot: string | null, item: ImportItem, dirOf: (rel: string) => string | null, addHashed: (n: number) => void, progress: Progress): FsImportFact {
  const name = basename(item.rel);
  // The directory's confinement covers a `..` leaving the root lexically too.
  const dir = name === "" || name === "." || name === ".." ? null : dirOf(item.rel);
  if (dir === null) return { state: "outside" };
  const path = join(dir, name);
  let first;
  try {
    first = lstatOrNull(path);
  } catch {
    return { state: "non-file" };
  }
  if (first === null) return { state: "non-file" };
  if (!first.isFile()) {
    // A symlink out of the tree is refused as outside (the per-file task's confine), any other
    // non-file as such.
    if (first.isSymbolicLink() && realRoot !== null) {
      try {
        confinedPath(top, item.rel);
      } catch (err) {
        if (err instanceof OutsideRootError) return { state: "outside" };
      }
    }
    return { state: "non-file" };
  }
  try {
    if (lstatOrNull(join(dir, `.${name}.lock`)) !== null) return { state: "locked" };
  } catch {
    // An unreadable directory entry for the lock: as the per-file task, not locked.
  }
  if (!item.hash) return { state: "file", size: first.size, used: first.blocks * 512, mtimeMs: first.mtimeMs, md5: null };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    return { state: "unreadable", path, code: codeOf(err) };
  }
  let h;
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return { state: "unreadable", path, code: "EINVAL" };
    h = hashFd(fd, before, progress);
  } catch (err) {
    return { state: "unreadable", path, code: codeOf(err) };
  } finally {
    closeSync(fd);
  }
  if ("changed" in h) return { state: "hash-changed", path };
  addHashed(h.size);
  let after;
  try {
    after = lstatOrNull(path);
  } catch {
    after = null;
  }
  if (after === null) return { state: "gone" };
  if (after.size !== first.size || after.mtimeMs !== first.mtimeMs) return { state: "changed" };
  return { state: "file", size: after.size, used: after.blocks * 512, mtimeMs: after.mtimeMs, md5: h.md5 };
}
