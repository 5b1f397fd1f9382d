// Lookups by name. Names match exactly (case- and trailing-space-sensitive) on both
// databases: MySQL's default _ci collations would match "Node1" for "node1", so rows are
// fetched by SQL equality and then filtered exactly here, the one place that decides it.

import type { Db } from "../driver/types.ts";
import type { ArchiveAcqRow, ArchiveFileRow, StorageGroupRow } from "../rows.ts";

// A node's row depends on the table layout: nodes.ts reads it.
export { getNodeByName } from "./nodes.ts";

async function byName<T extends { name: string }>(db: Db, table: string, name: string): Promise<T | undefined> {
  const rows = await db.all<T>(`SELECT * FROM ${table} WHERE name = ?`, [name]);
  return rows.find((r) => r.name === name);
}

export const getGroupByName = (db: Db, name: string) => byName<StorageGroupRow>(db, "storagegroup", name);
export const getAcqByName = (db: Db, name: string) => byName<ArchiveAcqRow>(db, "archiveacq", name);

export async function getFileInAcq(db: Db, acqId: number, name: string): Promise<ArchiveFileRow | undefined> {
  const rows = await db.all<ArchiveFileRow>("SELECT * FROM archivefile WHERE acq_id = ? AND name = ?", [acqId, name]);
  return rows.find((r) => r.name === name);
}

/** A file by acquisition name and file name, exact on both. */
export async function getFileByAcqAndName(db: Db, acqName: string, fileName: string): Promise<(ArchiveFileRow & { acq_name: string }) | undefined> {
  const rows = await db.all<ArchiveFileRow & { acq_name: string }>(
    "SELECT f.*, a.name AS acq_name FROM archivefile f JOIN archiveacq a ON f.acq_id = a.id WHERE a.name = ? AND f.name = ?",
    [acqName, fileName],
  );
  return rows.find((r) => r.acq_name === acqName && r.name === fileName);
}

export async function getGroupById(db: Db, id: number): Promise<StorageGroupRow | undefined> {
  return db.get<StorageGroupRow>("SELECT * FROM storagegroup WHERE id = ?", [id]);
}
