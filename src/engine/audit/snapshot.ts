// Reading a node's copies for the audit: the "before" snapshot into a compact CopyTable, and
// the "after" re-read of the candidates only (by copy id, or a second streamed pass when disk
// files without a row must be looked up), as Rucio's auditor brackets its listing with two
// database dumps. Rows are read as arrays (no object per row) with the state already one
// string, and the acquisitions' names apart: a copy's path is only made when a scope, a glob
// or a nested node needs it, or its names are unusual.

import type { Db } from "../../index/driver/types.ts";
import { auditAcqNames, auditCopiesByName, auditCopyCount, auditCopyStates, auditCopyValues } from "../../index/queries/audit.ts";
import type { HasFile } from "../../index/rows.ts";
import { CopyTable, HAS_CODES } from "./copy-table.ts";
import type { IgnoreRules } from "./ignore.ts";
import { fnv1a } from "./options.ts";

/** Rows per page: small pages keep the garbage of array rows low (peak RSS), at no cost in time. */
const PAGE = 20_000;

/** Whether `path` is inside one of the scopes (root-relative directories; none = everything). */
export function inScope(path: string, scopes: readonly string[]): boolean {
  if (scopes.length === 0) return true;
  for (const s of scopes) if (path === s || path.startsWith(s + "/")) return true;
  return false;
}

async function* pages(db: Db, nodeId: number): AsyncGenerator<unknown[][]> {
  let after = 0;
  for (;;) {
    const rows = await auditCopyValues(db, nodeId, after, PAGE);
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1]![0]);
    if (rows.length < PAGE) return;
  }
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

/** Acquisition names by id, read for the ids each page brings that are not known yet. */
class AcqNames {
  private readonly byId = new Map<number, AcqName>();
  constructor(private readonly db: Db) {}

  async learn(rows: readonly unknown[][]): Promise<void> {
    const unknown = new Set<number>();
    for (const r of rows) {
      const id = Number(r[2]);
      if (!this.byId.has(id)) unknown.add(id);
    }
    if (unknown.size === 0) return;
    for (const [id, name] of await auditAcqNames(this.db, [...unknown])) {
      const n = String(name);
      this.byId.set(Number(id), { name: n, plain: n !== "" && !n.endsWith("/") && !n.includes("//"), dotted: n.startsWith(".") || n.includes("/.") });
    }
  }

  get(id: unknown): AcqName | undefined {
    return this.byId.get(Number(id));
  }
}

/** The state column (`has_file || last_update`) folded as stateHash folds its two parts. */
export const stateOf = (state: string) => fnv1a(state);

export interface Snapshot {
  readonly table: CopyTable;
  /** Copies in scope registered present or suspect (Y/M): what the zero-listing guard weighs. */
  readonly expectedPresent: number;
}

/**
 * S0: every copy of the node in scope and not ignored (`excluded`: under a nested node's root;
 * absent when there is none).
 */
export async function readSnapshot(db: Db, nodeId: number, scopes: readonly string[], ignore: IgnoreRules, excluded?: (path: string) => boolean): Promise<Snapshot> {
  // Sized once (copies registered meanwhile still fit: the table grows), so no million-row
  // arrays are copied while the pages' garbage is at its peak.
  const table = new CopyTable((await auditCopyCount(db, nodeId)) + 64);
  const acqs = new AcqNames(db);
  // Without scopes, globs or nested nodes, a plain name's rules are its acquisition's and its own.
  const pathRules = scopes.length > 0 || ignore.hasGlobs || excluded !== undefined;
  let expectedPresent = 0;
  for await (const rows of pages(db, nodeId)) {
    await acqs.learn(rows);
    for (const r of rows) {
      // An acquisition gone since the page was read: the join would have dropped the row too.
      const acq = acqs.get(r[2]);
      if (acq === undefined) continue;
      const name = r[3] as string;
      const state = String(r[5]);
      const has = HAS_CODES[state[0] as HasFile] ?? 4;
      const size = r[4] === null ? NaN : Number(r[4]);
      if (!pathRules && acq.plain && name !== "" && !name.includes("/")) {
        // ignoredPath of `acq/name`: a dot-named acquisition component, or a dot-named file.
        if (acq.dotted || name.charCodeAt(0) === 46) continue;
        table.addInDir(acq.name, name, Number(r[0]), Number(r[1]), size, has, stateOf(state));
      } else {
        const path = `${acq.name}/${name}`;
        if (!inScope(path, scopes) || ignore.ignoredPath(path) || excluded?.(path)) continue;
        table.addRow(path, Number(r[0]), Number(r[1]), size, has, stateOf(state));
      }
      if (has === 1 || has === 2) expectedPresent++;
    }
    table.pack();
  }
  table.finish();
  return { table, expectedPresent };
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
  const acqs = new AcqNames(db);
  for await (const rows of pages(db, nodeId)) {
    await acqs.learn(rows);
    for (const r of rows) {
      const acq = acqs.get(r[2]);
      if (acq === undefined) continue;
      const path = `${acq.name}/${r[3] as string}`;
      if (paths.has(path)) keep(r[0], path, String(r[5]));
    }
  }
  return out;
}
