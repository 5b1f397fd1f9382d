// SQL the daemon's loop needs about nodes, groups and import requests: the "my nodes" query,
// free-space bookkeeping and import-request (AFIR) completion. Writes touch only the columns
// they mean to change (spec §11.2 item 3).

import type { Db } from "../driver/types.ts";
import type { ArchiveFileImportRequestRow, StorageGroupRow, StorageNodeRow } from "../rows.ts";

/** Active nodes whose host is `host`, exactly (MySQL's _ci collation would also match case variants). */
export async function activeNodesOnHost(db: Db, host: string): Promise<StorageNodeRow[]> {
  const rows = await db.all<StorageNodeRow>("SELECT * FROM storagenode WHERE host = ? AND active = ?", [host, 1]);
  return rows.filter((r) => r.host === host);
}

export async function groupsByIds(db: Db, ids: readonly number[]): Promise<Map<number, StorageGroupRow>> {
  const out = new Map<number, StorageGroupRow>();
  if (ids.length === 0) return out;
  const rows = await db.all<StorageGroupRow>(`SELECT * FROM storagegroup WHERE id IN (${ids.map(() => "?").join(", ")})`, [...ids]);
  for (const r of rows) out.set(r.id, r);
  return out;
}

export async function nodeActive(db: Db, nodeId: number): Promise<boolean> {
  const r = await db.get<{ active: number }>("SELECT active FROM storagenode WHERE id = ?", [nodeId]);
  return Boolean(r && Number(r.active));
}

/** Free-space bookkeeping: `avail_gb` only when known, the check time always. */
export async function updateAvailGb(db: Db, nodeId: number, availGb: number | null, checked: string): Promise<void> {
  if (availGb === null) await db.run("UPDATE storagenode SET avail_gb_last_checked = ? WHERE id = ?", [checked, nodeId]);
  else await db.run("UPDATE storagenode SET avail_gb = ?, avail_gb_last_checked = ? WHERE id = ?", [availGb, checked, nodeId]);
}

/** Pending import requests of a node, oldest first. */
export async function pendingImportRequests(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow[]> {
  return db.all<ArchiveFileImportRequestRow>("SELECT * FROM archivefileimportrequest WHERE node_id = ? AND completed = ? ORDER BY id", [nodeId, 0]);
}

/** The first pending node-initialisation request (path exactly `ALPENHORN_NODE`). */
export async function pendingInitRequest(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow | undefined> {
  const rows = await pendingImportRequests(db, nodeId);
  return rows.find((r) => r.path === "ALPENHORN_NODE");
}

/** Mark a request completed; false if it already was (so completion is logged once). */
export async function completeImportRequest(db: Db, id: number): Promise<boolean> {
  const r = await db.run("UPDATE archivefileimportrequest SET completed = ? WHERE id = ? AND completed = ?", [1, id, 0]);
  return r.changes > 0;
}
