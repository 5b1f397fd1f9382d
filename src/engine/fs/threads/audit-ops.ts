// The consistency audit's listing operation, run on fs threads: several directories per round
// trip (a tree of small directories would otherwise pay one message per directory), each
// listed with readdir and every regular file lstat'ed synchronously in the thread (a per-file
// async stat costs five times more). Progress is posted after each directory, so the caller's
// timeout is a per-directory timeout even inside a batch.

import { lstatSync, readdirSync } from "node:fs";
import type { Progress } from "./hash.ts";


/** One listed directory: files as parallel arrays (cheap to structured-clone), subdirectories. */
export interface ListedDir {
  readonly dir: string;
  readonly ok: true;
  readonly names: string[];
  readonly sizes: Float64Array;
  /** max(mtime, ctime) in ms: a rename into place moves ctime even when rsync keeps mtime. */
  readonly times: Float64Array;
  readonly dirs: string[];
  /** Subdirectories on another filesystem (not entered unless crossing mounts). */
  readonly mounts: string[];
  /** Symlinks, FIFOs, sockets, devices: never followed, never compared. */
  readonly specials: string[];
}

/** A directory that could not be listed; `code` is the errno name. */
export interface FailedDir {
  readonly dir: string;
  readonly ok: false;
  readonly code: string;
}

export interface ListBatchResult {
  readonly done: Array<ListedDir | FailedDir>;
  /** Directories of the batch left for another call (the entry budget was spent). */
  readonly rest: string[];
}

const errCode = (err: unknown) => String((err as NodeJS.ErrnoException).code ?? "EIO");

/** Test seam: directories whose listing blocks like a hung mount (path → milliseconds). */
function sleepFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function listOne(dir: string, rootDev: number, crossMounts: boolean): ListedDir | FailedDir {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    // A directory removed mid-walk (the daemon prunes empty ones after deletes) was empty.
    if (errCode(err) === "ENOENT") return { dir, ok: true, names: [], sizes: new Float64Array(0), times: new Float64Array(0), dirs: [], mounts: [], specials: [] };
    return { dir, ok: false, code: errCode(err) };
  }
  const names: string[] = [];
  const sizes: number[] = [];
  const times: number[] = [];
  const dirs: string[] = [];
  const mounts: string[] = [];
  const specials: string[] = [];
  for (const e of entries) {
    const name = e.name;
    if (e.isFile()) {
      try {
        const st = lstatSync(`${dir}/${name}`);
        if (!st.isFile()) {
          specials.push(name);
          continue;
        }
        names.push(name);
        sizes.push(st.size);
        times.push(Math.max(st.mtimeMs, st.ctimeMs));
      } catch {
        // Gone between readdir and lstat: removed during the listing, so never a finding.
      }
    } else if (e.isDirectory()) {
      if (crossMounts) dirs.push(name);
      else {
        try {
          (lstatSync(`${dir}/${name}`).dev === rootDev ? dirs : mounts).push(name);
        } catch {
          // Removed during the listing.
        }
      }
    } else specials.push(name);
  }
  return { dir, ok: true, names, sizes: Float64Array.from(sizes), times: Float64Array.from(times), dirs, mounts, specials };
}

/**
 * List `dirs` in order until about `maxEntries` entries have been read; the rest is handed back.
 * `slow` (tests only) makes the listing of the named directories block for that many ms.
 */
function auditList(dirs: string[], rootDev: number, crossMounts: boolean, maxEntries: number, slow: Record<string, number> | null, progress: Progress): ListBatchResult {
  const done: Array<ListedDir | FailedDir> = [];
  let entries = 0;
  let i = 0;
  for (; i < dirs.length && (i === 0 || entries < maxEntries); i++) {
    const dir = dirs[i]!;
    const ms = slow?.[dir];
    if (ms) sleepFor(ms);
    const r = listOne(dir, rootDev, crossMounts);
    if (r.ok) entries += r.names.length + r.dirs.length + r.specials.length + 1;
    done.push(r);
    progress(i + 1);
  }
  return { done, rest: dirs.slice(i) };
}

/** lstat again before a finding is written: [size, max(mtime, ctime)] of a regular file, "other", or null when absent. */
function auditRestat(paths: string[]): Array<[number, number] | "other" | null> {
  return paths.map((p) => {
    try {
      const st = lstatSync(p);
      return st.isFile() ? [st.size, Math.max(st.mtimeMs, st.ctimeMs)] : "other";
    } catch (err) {
      const code = errCode(err);
      if (code === "ENOENT" || code === "ENOTDIR") return null;
      // Cannot tell: treated as changed, so the finding is dropped rather than guessed.
      return "other";
    }
  });
}

export const AUDIT_OPS = { auditList, auditRestat } as const;
