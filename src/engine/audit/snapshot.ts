// Reading a node's copies for the audit: the "before" snapshot into a compact CopyTable, and
// the "after" re-read of the candidates only (by copy id, or a second streamed pass when disk
// files without a row must be looked up), as Rucio's auditor brackets its listing with two
// database dumps.

import type { Db } from "../../index/driver/types.ts";
import { auditCopyPage, auditCopyStates, type AuditCopyRow } from "../../index/queries/audit.ts";
import type { HasFile } from "../../index/rows.ts";
import { CopyTable } from "./copy-table.ts";
import type { IgnoreRules } from "./ignore.ts";

const PAGE = 50_000;

/** Whether `path` is inside one of the scopes (root-relative directories; none = everything). */
export function inScope(path: string, scopes: readonly string[]): boolean {
  if (scopes.length === 0) return true;
  for (const s of scopes) if (path === s || path.startsWith(s + "/")) return true;
  return false;
}

async function* pages(db: Db, nodeId: number): AsyncGenerator<AuditCopyRow[]> {
  let after = 0;
  for (;;) {
    const rows = await auditCopyPage(db, nodeId, after, PAGE);
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1]!.copy_id);
    if (rows.length < PAGE) return;
  }
}

export interface Snapshot {
  readonly table: CopyTable;
  /** Copies in scope registered present or suspect (Y/M): what the zero-listing guard weighs. */
  readonly expectedPresent: number;
}

/** S0: every copy of the node in scope and not ignored. */
export async function readSnapshot(db: Db, nodeId: number, scopes: readonly string[], ignore: IgnoreRules, excluded: (path: string) => boolean): Promise<Snapshot> {
  const table = new CopyTable();
  let expectedPresent = 0;
  for await (const rows of pages(db, nodeId)) {
    for (const r of rows) {
      const path = `${r.acq}/${r.name}`;
      if (!inScope(path, scopes) || ignore.ignoredPath(path) || excluded(path)) continue;
      table.add(path, Number(r.copy_id), Number(r.file_id), r.size_b === null ? null : Number(r.size_b), r.has_file, String(r.last_update));
      if (r.has_file === "Y" || r.has_file === "M") expectedPresent++;
    }
  }
  return { table, expectedPresent };
}

/** A copy row as read after the listing. */
export interface AfterState {
  readonly copyId: number;
  readonly has: HasFile;
  readonly lastUpdate: string;
}

/** S1 by copy id (missing and mismatch candidates): rows deleted since are absent. */
export async function readStates(db: Db, copyIds: readonly number[]): Promise<Map<number, AfterState>> {
  const out = new Map<number, AfterState>();
  for (const [id, s] of await auditCopyStates(db, copyIds)) out.set(id, { copyId: id, has: s.has_file, lastUpdate: s.last_update });
  return out;
}

/** S1 by path (orphan candidates): a second streamed pass keeping only the candidates' rows. */
export async function readStatesByPath(db: Db, nodeId: number, paths: ReadonlySet<string>): Promise<Map<string, AfterState>> {
  const out = new Map<string, AfterState>();
  for await (const rows of pages(db, nodeId)) {
    for (const r of rows) {
      const path = `${r.acq}/${r.name}`;
      if (paths.has(path)) out.set(path, { copyId: Number(r.copy_id), has: r.has_file, lastUpdate: String(r.last_update) });
    }
  }
  return out;
}
