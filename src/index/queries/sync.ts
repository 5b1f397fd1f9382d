// Queries of the sync engine (group sync / node sync): which files a node can send to a group,
// the transfer requests already pending, inserting new ones and cancelling old ones.

import type { Db, Param } from "../driver/types.ts";
import { HEALTHY, chunks, copyStateSql, placeholders, updateColumnByIds } from "./bulk-common.ts";

/** A file with its acquisition name, as the sync listings print it. */
export interface SyncFileRow {
  id: number;
  name: string;
  acq_name: string;
  size_b: number | string | null;
}

/**
 * Files with a has_file='Y' copy on `nodeId` (any wants_file, even released: alpenhorn does
 * so), minus files with a 'Y' copy anywhere in `groupId` and files healthy in any of
 * `skipGroupIds`, limited to `acqIds` when given; ordered by file id.
 */
export async function listSyncCandidates(
  db: Db,
  nodeId: number,
  groupId: number,
  skipGroupIds: readonly number[],
  acqIds: readonly number[],
): Promise<SyncFileRow[]> {
  const params: Param[] = [nodeId, groupId];
  let sql =
    "SELECT f.id, f.name, f.size_b, a.name AS acq_name FROM archivefilecopy c " +
    "JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id " +
    "WHERE c.node_id = ? AND c.has_file = 'Y' AND NOT EXISTS (SELECT 1 FROM archivefilecopy d " +
    "JOIN storagenode dn ON dn.id = d.node_id WHERE d.file_id = f.id AND dn.group_id = ? AND d.has_file = 'Y')";
  if (skipGroupIds.length) {
    const healthy = copyStateSql("t", [HEALTHY]);
    sql +=
      " AND NOT EXISTS (SELECT 1 FROM archivefilecopy t JOIN storagenode tn ON tn.id = t.node_id " +
      `WHERE t.file_id = f.id AND tn.group_id IN (${placeholders(skipGroupIds.length)}) AND ${healthy.sql})`;
    params.push(...skipGroupIds, ...healthy.params);
  }
  if (acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(acqIds.length)})`;
    params.push(...acqIds);
  }
  return db.all<SyncFileRow>(sql + " ORDER BY f.id", params);
}

/** Ids of files with a pending (not completed, not cancelled) request from node to group. */
export async function pendingRequestFileIds(db: Db, nodeId: number, groupId: number): Promise<Set<number>> {
  const rows = await db.all<{ file_id: number }>(
    "SELECT file_id FROM archivefilecopyrequest WHERE node_from_id = ? AND group_to_id = ? AND cancelled = 0 AND completed = 0",
    [nodeId, groupId],
  );
  return new Set(rows.map((r) => Number(r.file_id)));
}

/** Insert one pending request per file, all with the same timestamp. */
export async function insertCopyRequests(db: Db, fileIds: readonly number[], nodeId: number, groupId: number, timestamp: string): Promise<void> {
  for (const part of chunks(db, fileIds, 6)) {
    const rows = part.map(() => "(?, ?, ?, 0, 0, ?, NULL, NULL)").join(", ");
    await db.run(
      "INSERT INTO archivefilecopyrequest (file_id, group_to_id, node_from_id, completed, cancelled, timestamp, transfer_started, transfer_completed) " +
        `VALUES ${rows}`,
      part.flatMap((id) => [id, groupId, nodeId, timestamp]),
    );
  }
}

/** A pending request with its file's path parts, for `--cancel` listings. */
export interface PendingRequestRow {
  id: number;
  file_id: number;
  name: string;
  acq_name: string;
}

/** Pending requests, filtered by source node and/or destination group and acquisitions. */
export async function listPendingRequests(
  db: Db,
  filter: { readonly nodeId?: number; readonly groupId?: number; readonly acqIds: readonly number[] },
): Promise<PendingRequestRow[]> {
  let sql =
    "SELECT r.id, r.file_id, f.name, a.name AS acq_name FROM archivefilecopyrequest r " +
    "JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id WHERE r.cancelled = 0 AND r.completed = 0";
  const params: Param[] = [];
  if (filter.nodeId !== undefined) {
    sql += " AND r.node_from_id = ?";
    params.push(filter.nodeId);
  }
  if (filter.groupId !== undefined) {
    sql += " AND r.group_to_id = ?";
    params.push(filter.groupId);
  }
  if (filter.acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(filter.acqIds.length)})`;
    params.push(...filter.acqIds);
  }
  return db.all<PendingRequestRow>(sql + " ORDER BY r.id", params);
}

/** Mark requests cancelled; returns the number of rows matched. */
export function cancelRequests(db: Db, ids: readonly number[]): Promise<number> {
  return updateColumnByIds(db, "archivefilecopyrequest", "cancelled", 1, ids);
}

/** Ids of files healthy on some node of `groupId`. */
export async function healthyFilesInGroup(db: Db, groupId: number): Promise<Set<number>> {
  const healthy = copyStateSql("c", [HEALTHY]);
  const rows = await db.all<{ file_id: number }>(
    `SELECT DISTINCT c.file_id FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.group_id = ? AND ${healthy.sql}`,
    [groupId, ...healthy.params],
  );
  return new Set(rows.map((r) => Number(r.file_id)));
}
