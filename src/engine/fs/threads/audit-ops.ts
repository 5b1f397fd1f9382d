// The consistency audit's listing operation, run on fs threads: several directories per round
// trip (a tree of small directories would otherwise pay one message per directory), each
// listed with readdir and every regular file lstat'ed synchronously in the thread, relative to
// the open directory (fast-lstat.ts). Each directory is classified here too, against the
// copies the index expects in it (sent with the request): only totals, the few candidates and
// the subdirectories to enter go back, never a record per file. Progress is posted after each
// directory, so the caller's timeout is a per-directory timeout even inside a batch.

import { readdirSync } from "node:fs";
import { classifyDir, type ClassifyRules, type DirVerdict } from "../../audit/classify.ts";
import type { ExpectedDir } from "../../audit/copy-table.ts";
import { IgnoreRules } from "../../audit/ignore.ts";
import { inSubset, type Subset } from "../../audit/options.ts";
import { dirStatter, lstatPath, type LstatOut } from "./fast-lstat.ts";
import type { Progress } from "./hash.ts";

/** One listed directory: files as parallel arrays, subdirectories. */
export interface ListedDir {
  readonly dir: string;
  readonly ok: true;
  readonly names: string[];
  readonly sizes: Float64Array | number[];
  /** max(mtime, ctime) in ms: a rename into place moves ctime even when rsync keeps mtime. */
  readonly times: Float64Array | number[];
  readonly dirs: string[];
  /** Subdirectories on another filesystem (not entered unless crossing mounts). */
  readonly mounts: string[];
  /** Symlinks, FIFOs, sockets, devices: never followed, never compared. */
  readonly specials: string[];
}

/** A directory listed and classified (classify.ts). */
export interface ClassifiedDir {
  readonly dir: string;
  readonly ok: true;
  readonly verdict: DirVerdict;
}

/** A directory that could not be listed; `code` is the errno name. */
export interface FailedDir {
  readonly dir: string;
  readonly ok: false;
  readonly code: string;
}

/** How a batch is listed and classified (the same for the whole walk). */
export interface ListSpec {
  readonly root: string;
  readonly rootDev: number;
  readonly crossMounts: boolean;
  /** Entries one call reads before handing the rest of its batch back (keeps calls short). */
  readonly maxEntries: number;
  /** Files whose max(mtime, ctime) is at or after this (ms since epoch) are in flight. */
  readonly cutoffMs: number;
  /** `--ignore` globs. */
  readonly ignore: readonly string[];
  /** null: no --verify md5; else the sample rule (subset null: every matching file). */
  readonly verify: { readonly subset: Subset | null } | null;
  /** Test seam: directories whose listing blocks like a hung mount (path → milliseconds). */
  readonly slow: Record<string, number> | null;
}

export interface ListBatchResult {
  readonly done: Array<ClassifiedDir | FailedDir>;
  /** Directories of the batch left for another call (the entry budget was spent). */
  readonly rest: string[];
}

const errCode = (err: unknown) => String((err as NodeJS.ErrnoException).code ?? "EIO");

function sleepFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const EMPTY = (dir: string): ListedDir => ({ dir, ok: true, names: [], sizes: [], times: [], dirs: [], mounts: [], specials: [] });

function listOne(dir: string, rootDev: number, crossMounts: boolean): ListedDir | FailedDir {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    // A directory removed mid-walk (the daemon prunes empty ones after deletes) was empty.
    if (errCode(err) === "ENOENT") return EMPTY(dir);
    return { dir, ok: false, code: errCode(err) };
  }
  const names: string[] = [];
  const sizes: number[] = [];
  const times: number[] = [];
  const dirs: string[] = [];
  const mounts: string[] = [];
  const specials: string[] = [];
  const st: LstatOut = { kind: 0, size: 0, time: 0, dev: 0 };
  const at = dirStatter(dir);
  try {
    for (const e of entries) {
      const name = e.name;
      if (e.isFile()) {
        // Gone between readdir and lstat: removed during the listing, so never a finding.
        if (!at.lstat(name, st)) continue;
        if (st.kind !== 1) {
          specials.push(name);
          continue;
        }
        names.push(name);
        sizes.push(st.size);
        times.push(st.time);
      } else if (e.isDirectory()) {
        if (crossMounts) dirs.push(name);
        // Removed during the listing when it cannot be lstat'ed.
        else if (at.lstat(name, st)) (st.dev === rootDev ? dirs : mounts).push(name);
      } else specials.push(name);
    }
  } finally {
    at.close();
  }
  return { dir, ok: true, names, sizes, times, dirs, mounts, specials };
}

let rulesKey = "";
let rulesCache: ClassifyRules | null = null;
function rulesOf(spec: ListSpec): ClassifyRules {
  const key = JSON.stringify([spec.cutoffMs, spec.ignore, spec.verify]);
  if (rulesCache === null || key !== rulesKey) {
    const subset = spec.verify?.subset ?? null;
    rulesCache = {
      cutoffMs: spec.cutoffMs,
      ignore: new IgnoreRules(spec.ignore),
      wantVerify: spec.verify ? (path: string) => (subset ? inSubset(subset, path) : true) : null,
    };
    rulesKey = key;
  }
  return rulesCache;
}

/**
 * List and classify `dirs` in order until about `maxEntries` entries have been read; the rest
 * is handed back. `expected[i]` holds the copies the index expects in `dirs[i]`.
 */
function auditList(dirs: string[], expected: Array<ExpectedDir | null>, spec: ListSpec, progress: Progress): ListBatchResult {
  const rules = rulesOf(spec);
  const done: Array<ClassifiedDir | FailedDir> = [];
  let entries = 0;
  let i = 0;
  for (; i < dirs.length && (i === 0 || entries < spec.maxEntries); i++) {
    const dir = dirs[i]!;
    const ms = spec.slow?.[dir];
    if (ms) sleepFor(ms);
    const r = listOne(dir, spec.rootDev, spec.crossMounts);
    if (r.ok) {
      entries += r.names.length + r.dirs.length + r.specials.length + 1;
      const rel = dir === spec.root ? "" : dir.slice(spec.root.length + 1);
      done.push({ dir, ok: true, verdict: classifyDir(rel, r, expected[i] ?? null, rules) });
    } else done.push(r);
    progress(i + 1);
  }
  return { done, rest: dirs.slice(i) };
}

/** lstat again before a finding is written: [size, max(mtime, ctime)] of a regular file, "other", or null when absent. */
function auditRestat(paths: string[]): Array<[number, number] | "other" | null> {
  const st: LstatOut = { kind: 0, size: 0, time: 0, dev: 0 };
  return paths.map((p) => {
    try {
      if (!lstatPath(p, st)) return null;
      return st.kind === 1 ? [st.size, st.time] : "other";
    } catch {
      // Cannot tell: treated as changed, so the finding is dropped rather than guessed.
      return "other";
    }
  });
}

export const AUDIT_OPS = { auditList, auditRestat } as const;
