// fs-thread operations on file copies, each one round trip for the whole job: checking a copy
// (confine, lstat, size, MD5 on the same descriptor) and removing copies with the directories
// they leave empty. Nothing outside the node root is read or removed, and a symlink where a
// copy should be is never followed.

import { closeSync, constants, fstatSync, lstatSync, openSync, rmdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pyOSError } from "../oserror.ts";
import { relativeToRoot } from "../paths.ts";
import { confinedPath, OutsideRootError } from "./confine.ts";
import type { CopyFacts, PruneFact, RemoveFact } from "../../extension-api.ts";
import { hashFd, type Progress } from "./hash.ts";

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "EIO";
const isMissing = (err: unknown) => ["ENOENT", "ENOTDIR"].includes(codeOf(err));

/** `rel` under `root` with its parent directory resolved inside the root; null when it leaves it. */
function confinedEntry(root: string, rel: string): string | null {
  const name = basename(rel);
  if (name === "" || name === "." || name === "..") return null;
  try {
    const parent = confinedPath(root, dirname(rel));
    return join(parent, name);
  } catch (err) {
    if (err instanceof OutsideRootError) return null;
    throw err;
  }
}

/**
 * The facts about one copy: `expectedSize` (when truthy, as alpenhorn compares it) is checked
 * before any byte is read; the MD5 is then computed on the descriptor that was size-checked.
 */
export function checkFile(root: string, rel: string, expectedSize: number | null, progress: Progress): CopyFacts {
  const path = confinedEntry(root, rel);
  if (path === null) return { state: "outside" };
  let fd: number;
  try {
    const st = lstatSync(path);
    if (!st.isFile()) return { state: "not-file" };
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    if (isMissing(err)) return { state: "missing" };
    if (codeOf(err) === "ELOOP") return { state: "not-file" };
    return { state: "unreadable", code: codeOf(err) };
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return { state: "not-file" };
    if (expectedSize && Number(before.size) !== expectedSize) return { state: "size", size: Number(before.size) };
    const r = hashFd(fd, before, progress);
    return "changed" in r ? { state: "changed" } : { state: "hashed", ...r };
  } catch (err) {
    return { state: "unreadable", code: codeOf(err) };
  } finally {
    closeSync(fd);
  }
}

/**
 * checkFile for many copies in one round trip (small files, checked in batches). Progress is
 * reported after each file too, so the caller's timeout measures the longest silence, not the
 * whole batch.
 */
export function checkFiles(root: string, items: ReadonlyArray<{ readonly rel: string; readonly size: number | null }>, progress: Progress): CopyFacts[] {
  let done = 0;
  return items.map((item) => {
    const facts = checkFile(root, item.rel, item.size, (b) => progress(done + b));
    done += "size" in facts && typeof facts.size === "number" ? facts.size : 0;
    progress(done);
    return facts;
  });
}

/**
 * Unlink each copy's file (a symlink there is removed itself; its target is never touched).
 * Directories are left to pruneDirs, which the caller runs under the tree lock.
 */
export function removeFiles(root: string, rels: string[]): RemoveFact[] {
  return rels.map((rel) => {
    const path = confinedEntry(root, rel);
    if (path === null) return "outside";
    try {
      if (lstatSync(path).isDirectory()) return { error: pyOSError(Object.assign(new Error("EISDIR"), { code: "EISDIR", path })) };
      unlinkSync(path);
      return "removed";
    } catch (err) {
      if (isMissing(err)) return "missing";
      return { error: pyOSError(err) };
    }
  });
}

/**
 * alpenhorn's remove_filedir for each directory: rmdir it and its parents while they are empty,
 * up to (never including) the root. Directories outside the root are refused.
 */
export function pruneDirs(root: string, dirs: string[]): PruneFact[] {
  const top = resolve(root);
  const out: PruneFact[] = [];
  // Deepest first, so a parent is tried after its emptied children.
  const sorted = [...new Set(dirs.map((d) => resolve(top, d)))].sort((a, b) => b.length - a.length);
  for (const start of sorted) {
    if (relativeToRoot(top, start) === null) {
      out.push({ dir: start, error: `dirname ${start} not rooted under ${top}` });
      continue;
    }
    for (let d = start; d !== top; d = dirname(d)) {
      try {
        rmdirSync(d);
        out.push({ dir: d, removed: true });
      } catch (err) {
        const code = codeOf(err);
        if (code === "ENOTEMPTY" || code === "EEXIST") break;
        if (code !== "ENOENT") out.push({ dir: d, error: pyOSError(err) });
      }
    }
  }
  return out;
}

/**
 * removeFiles, then pruneDirs of the directories of the copies now gone, in one round trip
 * (the caller holds the tree lock "down" around it).
 */
export function removeAndPrune(root: string, rels: string[]): { files: RemoveFact[]; dirs: PruneFact[] } {
  const files = removeFiles(root, rels);
  const emptied = rels.filter((_, i) => files[i] === "removed" || files[i] === "missing").map((r) => dirname(join(root, r)));
  return { files, dirs: emptied.length > 0 ? pruneDirs(root, emptied) : [] };
}
