// Reading a node's copies for the audit: the "before" snapshot into a compact CopyTable, and
// the "after" re-read of the candidates only (by copy id, or a second streamed pass when disk
// files without a row must be looked up), as Rucio's auditor brackets its listing with two
// database dumps. Rows are read as arrays (no object per row) with the state already one
// string, and the acquisitions' names apart: a copy's path is only made when a scope, a glob
// or a nested node needs it, or its names are unusual.

import type { Db } from "../../index/driver/types.ts";
import { availableParallelism } from "node:os";
import { auditCopiesByName, auditCopyCount, auditCopyIdAt, auditCopyStates } from "../../index/queries/audit.ts";
import type { HasFile } from "../../index/rows.ts";
import { CopyTable } from "./copy-table.ts";
import type { IgnoreRules } from "./ignore.ts";
import { fnv1a } from "./options.ts";
import { newAcqNames, packedPages, pages, type PackedPage, type PackedRun } from "./snapshot-pages.ts";
import type { SnapshotMessage, SnapshotRequest } from "./snapshot-thread.ts";
import { threadEntry } from "../thread-entry.ts";

/** Whether `path` is inside one of the scopes (root-relative directories; none = everything). */
export function inScope(path: string, scopes: readonly string[]): boolean {
  if (scopes.length === 0) return true;
  for (const s of scopes) if (path === s || path.startsWith(s + "/")) return true;
  return false;
}

/** An acquisition as the snapshot files its copies. */
interface AcqName {
  readonly name: string;
  /**
   * Whether `name/file` for a file name without `/` is an ordinary path of directory `name`
   * (CopyTable.addRow would not set it apart): not empty, no trailing or doubled slash.
   */
  readonly plain: boolean;
  /** Whether every path in it is ignored (IgnoreRules.ignoredPath: a dot-named component). */
  readonly dotted: boolean;
}

const acqName = (name: string): AcqName => ({ name, plain: name !== "" && !name.endsWith("/") && !name.includes("//"), dotted: name.startsWith(".") || name.includes("/.") });

/** The state column (`has_file || last_update`) folded as stateHash folds its two parts. */
export const stateOf = (state: string) => fnv1a(state);

export interface Snapshot {
  readonly table: CopyTable;
  /** Copies in scope registered present or suspect (Y/M): what the zero-listing guard weighs. */
  readonly expectedPresent: number;
  /** Whether a thread of its own read the pages (readSnapshot's `reader`). */
  readonly threaded: boolean;
}

/** Where a thread of its own can read a SQLite index (config `database.url`, and the directory it is relative to). */
export interface SnapshotReader {
  readonly url: string;
  readonly cwd: string;
  /** Copies above which two threads share the read (default SPLIT_ABOVE; tests set it low). */
  readonly splitAbove?: number;
}

/** Files rows into a CopyTable under the audit's rules (scopes, ignore rules, nested nodes). */
class Filer {
  expectedPresent = 0;
  private readonly acqs = new Map<number, AcqName>();
  /** Without scopes, globs or nested nodes, a plain name's rules are its acquisition's and its own. */
  private readonly pathRules: boolean;
  constructor(
    readonly table: CopyTable,
    private readonly scopes: readonly string[],
    private readonly ignore: IgnoreRules,
    private readonly excluded: ((path: string) => boolean) | undefined,
  ) {
    this.pathRules = scopes.length > 0 || ignore.hasGlobs || excluded !== undefined;
  }

  private row(acq: AcqName, name: string, copyId: number, fileId: number, size: number, has: number, state: number): void {
    if (!this.pathRules && acq.plain && name !== "" && !name.includes("/")) {
      // ignoredPath of `acq/name`: a dot-named acquisition component, or a dot-named file.
      if (acq.dotted || name.charCodeAt(0) === 46) return;
      this.table.addInDir(acq.name, name, copyId, fileId, size, has, state);
    } else {
      const path = `${acq.name}/${name}`;
      if (!inScope(path, this.scopes) || this.ignore.ignoredPath(path) || this.excluded?.(path)) return;
      this.table.addRow(path, copyId, fileId, size, has, state);
    }
    if (has === 1 || has === 2) this.expectedPresent++;
  }

  /** A packed page (snapshot-pages.ts); copies of an acquisition that is gone are dropped, as a join would. */
  page(page: PackedPage): void {
    for (const [id, name] of page.acqs) this.acqs.set(id, acqName(name));
    for (const run of page.runs) {
      const acq = this.acqs.get(run.acqId);
      if (acq !== undefined) this.run(acq, page, run);
    }
    this.table.pack();
  }

  /** A packed run of one acquisition's copies: filed whole when nothing needs its paths. */
  private run(acq: AcqName, page: PackedPage, run: PackedRun): void {
    const { start, count } = run;
    if (!this.pathRules && acq.plain && run.joined !== undefined) {
      // Plain names in a dot-named acquisition: every one ignored.
      if (acq.dotted) return;
      this.table.addRun(acq.name, run.joined, count, page, start);
      for (let i = start; i < start + count; i++) if (page.has[i] === 1 || page.has[i] === 2) this.expectedPresent++;
      return;
    }
    const names = run.list ?? run.joined!.split("\0");
    for (let k = 0; k < count; k++) {
      const i = start + k;
      this.row(acq, names[k]!, page.copyId[i]!, page.fileId[i]!, page.size[i]!, page.has[i]!, page.state[i]!);
    }
  }
}

/**
 * S0: every copy of the node in scope and not ignored (`excluded`: under a nested node's root;
 * absent when there is none). With a `reader` (a SQLite index), threads of their own read the
 * pages (snapshot-thread.ts); should one fail, this thread reads them all itself.
 */
export async function readSnapshot(
  db: Db,
  nodeId: number,
  scopes: readonly string[],
  ignore: IgnoreRules,
  excluded?: (path: string) => boolean,
  reader?: SnapshotReader,
): Promise<Snapshot> {
  // Sized once (copies registered meanwhile still fit: the table grows), so no million-row
  // arrays are copied while the pages' garbage is at its peak.
  const capacity = (await auditCopyCount(db, nodeId)) + 64;
  if (reader) {
    const filer = new Filer(new CopyTable(capacity), scopes, ignore, excluded);
    if (await fileFromThread(db, reader, nodeId, capacity - 64, filer)) {
      filer.table.finish();
      return { table: filer.table, expectedPresent: filer.expectedPresent, threaded: true };
    }
  }
  const filer = new Filer(new CopyTable(capacity), scopes, ignore, excluded);
  for await (const { page } of packedPages(db, nodeId)) filer.page(page);
  filer.table.finish();
  return { table: filer.table, expectedPresent: filer.expectedPresent, threaded: false };
}


/** Copies above which two threads read a range of copy ids each (a million: ~0.8 s with one, on 2 cores). */
const SPLIT_ABOVE = 200_000;

/** The ranges of copy ids (after, until] the reading threads take, in id order. */
async function readRanges(db: Db, nodeId: number, copies: number, splitAbove = SPLIT_ABOVE): Promise<Array<[number, number]>> {
  const all: [number, number] = [0, Number.MAX_SAFE_INTEGER];
  if (copies <= splitAbove || availableParallelism() < 2) return [all];
  const mid = await auditCopyIdAt(db, nodeId, Math.floor(copies / 2));
  return mid === null ? [all] : [
    [0, mid],
    [mid, Number.MAX_SAFE_INTEGER],
  ];
}

/**
 * File the pages the snapshot threads read, in copy-id order (a later range's pages wait for
 * the ranges before it); false when a thread failed (the caller keeps nothing of the table).
 */
async function fileFromThread(db: Db, reader: SnapshotReader, nodeId: number, copies: number, filer: Filer): Promise<boolean> {
  const ranges = await readRanges(db, nodeId, copies, reader.splitAbove);
  const workers = ranges.map(() => new Worker(threadEntry("src/engine/audit/snapshot-thread")));
  // Pages of the ranges not yet due, and which ranges have ended.
  const held: PackedPage[][] = ranges.map(() => []);
  const ended = ranges.map(() => false);
  let due = 0;
  try {
    return await new Promise<boolean>((resolve) => {
      const advance = () => {
        while (due < ranges.length) {
          for (const page of held[due]!.splice(0)) filer.page(page);
          if (!ended[due]) return;
          due++;
        }
        resolve(true);
      };
      workers.forEach((worker, k) => {
        worker.onerror = () => resolve(false);
        worker.onmessage = (event: MessageEvent<SnapshotMessage>) => {
          const m = event.data;
          if (m.kind === "error") return resolve(false);
          try {
            if (m.kind === "page") {
              if (k === due) filer.page(m.page);
              else held[k]!.push(m.page);
            } else {
              ended[k] = true;
              advance();
            }
          } catch {
            resolve(false);
          }
        };
        const [afterId, untilId] = ranges[k]!;
        worker.postMessage({ url: reader.url, cwd: reader.cwd, nodeId, afterId, untilId } satisfies SnapshotRequest);
      });
    });
  } finally {
    for (const w of workers) w.terminate();
  }
}

/** A copy row as read after the listing. */
export interface AfterState {
  readonly copyId: number;
  readonly has: HasFile;
  readonly lastUpdate: string;
  /** stateOf its state: equal to the snapshot's when the row did not change. */
  readonly state: number;
}

/** S1 by copy id (missing and mismatch candidates): rows deleted since are absent. */
export async function readStates(db: Db, copyIds: readonly number[]): Promise<Map<number, AfterState>> {
  const out = new Map<number, AfterState>();
  for (const [id, s] of await auditCopyStates(db, copyIds)) out.set(id, { copyId: id, has: s.has_file, lastUpdate: s.last_update, state: stateOf(s.state) });
  return out;
}

/**
 * S1 by path (orphan candidates). A path `x/y/z` is the file `y/z` of acquisition `x` or the
 * file `z` of `x/y`: with few candidates each possible split is looked up by name; with many
 * (more than an eighth of `copies`, the node's copies in scope), one more streamed pass over
 * the node's copies keeps only the candidates' rows.
 */
export async function readStatesByPath(db: Db, nodeId: number, paths: ReadonlySet<string>, copies = Infinity): Promise<Map<string, AfterState>> {
  const out = new Map<string, AfterState>();
  const keep = (id: unknown, path: string, state: string) =>
    out.set(path, { copyId: Number(id), has: state[0] as HasFile, lastUpdate: state.slice(1), state: stateOf(state) });
  const byAcq = new Map<string, string[]>();
  let pairs = 0;
  for (const path of paths)
    for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1)) {
      const acq = path.slice(0, at);
      let names = byAcq.get(acq);
      if (!names) byAcq.set(acq, (names = []));
      names.push(path.slice(at + 1));
      pairs++;
    }
  if (pairs * 8 <= copies) {
    for (const [acq, names] of byAcq)
      for (const r of await auditCopiesByName(db, nodeId, acq, names)) {
        const path = r[1] as string;
        if (paths.has(path)) keep(r[0], path, String(r[2]));
      }
    return out;
  }
  const asked = new Set<number>();
  const acqs = new Map<number, string>();
  for await (const rows of pages(db, nodeId)) {
    for (const [id, name] of await newAcqNames(db, rows, asked)) acqs.set(id, name);
    for (const r of rows) {
      const acq = acqs.get(Number(r[2]));
      if (acq === undefined) continue;
      const path = `${acq}/${r[3] as string}`;
      if (paths.has(path)) keep(r[0], path, String(r[5]));
    }
  }
  return out;
}
