// Queries behind `file list`: file-id sets per node or group under a copy-state filter, the
// ordered file listing, and the copies on one node for the --details columns.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRow } from "../rows.ts";
import { copyStateCondition, type CopyStateFilter } from "./copies.ts";

async function idSet(db: Db, sql: string, params: Param[]): Promise<Set<number>> {
  const rows = await db.all<{ id: number }>(sql, params);
  return new Set(rows.map((r) => Number(r.id)));
}

/** Combine per-location sets: union when `inAny`, else intersection (alpenhorn's files_in_*). */
function combine(sets: Set<number>[], inAny: boolean): Set<number> {
  const [first, ...rest] = sets;
  let acc = new Set<number>(first ?? []);
  for (const s of rest) {
    if (inAny) for (const id of s) acc.add(id);
    else acc = new Set([...acc].filter((id) => s.has(id)));
  }
  return acc;
}

/** Ids of files whose copy on each node satisfies the filter; per-node sets combined. */
export async function fileIdsOnNodes(db: Db, nodeIds: number[], f: CopyStateFilter, inAny: boolean): Promise<Set<number>> {
  const sets: Set<number>[] = [];
  for (const id of nodeIds) {
    sets.push(await idSet(db, `SELECT DISTINCT c.file_id AS id FROM archivefilecopy c WHERE c.node_id = ? AND ${copyStateCondition(f)}`, [id]));
  }
  return combine(sets, inAny);
}

/** Ids of files with a copy satisfying the filter on some node of each group; combined. */
export async function fileIdsInGroups(db: Db, groupIds: number[], f: CopyStateFilter, inAny: boolean): Promise<Set<number>> {
  const sets: Set<number>[] = [];
  for (const id of groupIds) {
    sets.push(
      await idSet(
        db,
        `SELECT DISTINCT c.file_id AS id FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id WHERE n.group_id = ? AND ${copyStateCondition(f)}`,
        [id],
      ),
    );
  }
  return combine(sets, inAny);
}

export interface ListedFile {
  id: number;
  acq_name: string;
  name: string;
  size_b: number | string | null;
  md5sum: string | null;
  registered: string | number | null;
}

/** All files (only those in `acqIds` if non-empty), ordered by acq name then file name. */
export async function listFilesOrdered(db: Db, acqIds: number[]): Promise<ListedFile[]> {
  const where = acqIds.length ? `WHERE f.acq_id IN (${acqIds.map(() => "?").join(", ")})` : "";
  return db.all<ListedFile>(
    `SELECT f.id AS id, a.name AS acq_name, f.name AS name, f.size_b AS size_b, f.md5sum AS md5sum, f.registered AS registered
       FROM archivefile f JOIN archiveacq a ON f.acq_id = a.id ${where}
      ORDER BY a.name, f.name`,
    acqIds,
  );
}

/** The copies on one node, keyed by file id. */
export async function copiesOnNode(db: Db, nodeId: number): Promise<Map<number, ArchiveFileCopyRow>> {
  const rows = await db.all<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE node_id = ?", [nodeId]);
  return new Map(rows.map((r) => [Number(r.file_id), r]));
}
