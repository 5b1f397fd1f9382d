// The audit's parallel listing: a queue of directories fed to `threads` fs-thread calls at a
// time, several small directories per call. Transient errors (EIO, ESTALE, …) are retried
// with backoff; a directory that times out or cannot be read becomes "unknown" (its whole
// subtree is never reported missing). A timed-out batch is split and each directory retried
// alone once, so one hung directory does not make its batch-mates unknown.

import type { ClassifiedDir, FailedDir, ListSpec } from "../fs/threads/audit-ops.ts";
import { FsTimeoutError, type FsPool } from "../fs/threads/pool.ts";
import type { DirVerdict } from "./classify.ts";
import type { ExpectedDir } from "./copy-table.ts";

export interface UnknownDir {
  /** Root-relative path ("" is the root). */
  readonly path: string;
  /** errno name, or "timeout". */
  readonly reason: string;
}

export interface WalkSpec {
  readonly pool: FsPool;
  readonly root: string;
  /** Root-relative directories to start from ("" = the root). */
  readonly starts: readonly string[];
  readonly rootDev: number;
  readonly crossMounts: boolean;
  readonly threads: number;
  /** Seconds one directory may take. */
  readonly opTimeout: number;
  readonly retries: number;
  /** Absolute paths never entered (other nodes' roots inside this one). */
  readonly exclude: ReadonlySet<string>;
  /** How the threads classify each directory (classify.ts). */
  readonly classify: Pick<ListSpec, "cutoffMs" | "ignore" | "verify">;
  /** The copies expected in a directory (sent with its listing request), and how many. */
  readonly expected: (rel: string) => ExpectedDir | null;
  readonly expectedCount: (rel: string) => number;
  /** Merge a directory's verdict; returns the sub-directory names to enter. */
  readonly onDir: (rel: string, verdict: DirVerdict) => string[];
  readonly onExcluded: (rel: string) => void;
  readonly onProgress?: (dirs: number, files: number) => void;
  /** Test seams: called after each batch is classified; directories that block (abs → ms). */
  readonly hooks?: { readonly afterBatch?: (batches: number) => void | Promise<void>; readonly slow?: Record<string, number> };
}

export interface WalkResult {
  readonly unknown: UnknownDir[];
  readonly retries: number;
  readonly batches: number;
}

const TRANSIENT = new Set(["EIO", "ESTALE", "ETIMEDOUT", "EAGAIN", "EINTR", "EBUSY", "ENOMEM"]);
/** Entries one call reads before handing the rest of its batch back (keeps replies small). */
const BATCH_ENTRIES = 4000;
const MAX_BATCH_DIRS = 64;

export async function walk(spec: WalkSpec): Promise<WalkResult> {
  const root = spec.root;
  const abs = (rel: string) => (rel === "" ? root : `${root}/${rel}`);
  const relOf = (path: string) => (path === root ? "" : path.slice(root.length + 1));
  const queue: string[] = spec.starts.map(abs);
  /** Directories to list alone after a timed-out batch. */
  const solo: string[] = [];
  const attempts = new Map<string, number>();
  const unknown: UnknownDir[] = [];
  let inFlight = 0;
  let retries = 0;
  let batches = 0;
  let dirs = 0;
  let files = 0;
  let failure: unknown;

  // Set by any settled call; checked before sleeping, so a wake-up is never lost.
  let signalled = false;
  let wake: () => void = () => undefined;
  const changed = () => {
    signalled = true;
    wake();
  };

  const accept = (r: ClassifiedDir | FailedDir) => {
    const rel = relOf(r.dir);
    if (!r.ok) {
      const n = (attempts.get(r.dir) ?? 0) + 1;
      if (TRANSIENT.has(r.code) && n <= spec.retries) {
        attempts.set(r.dir, n);
        retries++;
        // Backoff: 50 ms, 100 ms, 200 ms, … before the directory goes back in the queue.
        inFlight++;
        setTimeout(() => {
          inFlight--;
          queue.push(r.dir);
          changed();
        }, 50 * 2 ** (n - 1));
        return;
      }
      unknown.push({ path: rel, reason: r.code });
      return;
    }
    dirs++;
    files += r.verdict.counts[10]!;
    for (const name of spec.onDir(rel, r.verdict)) {
      const child = `${r.dir}/${name}`;
      if (spec.exclude.has(child)) spec.onExcluded(relOf(child));
      else queue.push(child);
    }
  };

  const listSpec: ListSpec = {
    root,
    rootDev: spec.rootDev,
    crossMounts: spec.crossMounts,
    maxEntries: BATCH_ENTRIES,
    ...spec.classify,
    slow: spec.hooks?.slow ?? null,
  };
  const submit = (batch: string[], alone: boolean) => {
    inFlight++;
    spec.pool
      .call("auditList", [batch, batch.map((d) => spec.expected(relOf(d))), listSpec], {
        timeout: spec.opTimeout,
        what: `readdir(${JSON.stringify(batch[0])})`,
      })
      .then(
        async (res) => {
          for (const r of res.done) accept(r);
          for (const d of res.rest) queue.push(d);
          batches++;
          spec.onProgress?.(dirs, files);
          await spec.hooks?.afterBatch?.(batches);
        },
        (err) => {
          if (err instanceof FsTimeoutError || (err instanceof Error && /fs thread failed/.test(err.message))) {
            // Which directory of the batch hung is unknown: retry each alone; alone, it is unknown.
            if (alone) unknown.push({ path: relOf(batch[0]!), reason: err instanceof FsTimeoutError ? "timeout" : "EIO" });
            else solo.push(...batch);
          } else failure ??= err;
        },
      )
      .catch((err) => (failure ??= err))
      .finally(() => {
        inFlight--;
        changed();
      });
  };

  for (;;) {
    if (failure) throw failure;
    while (inFlight < spec.threads && (queue.length > 0 || solo.length > 0)) {
      if (solo.length > 0) {
        submit([solo.pop()!], true);
        continue;
      }
      // Share the queue among the free threads; deep trees keep it long, so batches grow, up to
      // about BATCH_ENTRIES expected entries (a batch the thread cuts short is sent again).
      const most = Math.max(1, Math.min(MAX_BATCH_DIRS, Math.ceil(queue.length / spec.threads)));
      let size = 0;
      for (let cost = 0; size < most && (size === 0 || cost < BATCH_ENTRIES); size++) cost += spec.expectedCount(relOf(queue[queue.length - 1 - size]!)) + 1;
      submit(queue.splice(queue.length - size, size), false);
    }
    if (inFlight === 0 && queue.length === 0 && solo.length === 0) break;
    if (!signalled) await new Promise<void>((r) => (wake = r));
    signalled = false;
  }
  if (failure) throw failure;
  return { unknown, retries, batches };
}
