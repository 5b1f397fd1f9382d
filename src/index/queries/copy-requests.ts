// ArchiveFileCopyRequest queries of `file sync` and `file show --transfers`: create, cancel
// pending ones, and list a file's requests with their node and group names.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRequestRow } from "../rows.ts";
import { utcNow } from "../../common/time.ts";

/** A new pending transfer request (no duplicate check, as in alpenhorn). */
export async function insertCopyRequest(db: Db, fileId: number, nodeFromId: number, groupToId: number): Promise<number> {
  const r = await db.run(
    `INSERT INTO archivefilecopyrequest (file_id, group_to_id, node_from_id, completed, cancelled, timestamp, transfer_started, transfer_completed)
     VALUES (?, ?, ?, 0, 0, ?, NULL, NULL)`,
    [fileId, groupToId, nodeFromId, utcNow()],
  );
  return r.lastInsertId;
}

/** Cancel a file's pending requests, optionally only from one node and/or to one group. */
export async function cancelPendingRequests(db: Db, fileId: number, nodeFromId: number | null, groupToId: number | null): Promise<number> {
  let sql = "UPDATE archivefilecopyrequest SET cancelled = 1 WHERE file_id = ? AND cancelled = 0 AND completed = 0";
  const params: Param[] = [fileId];
  if (nodeFromId !== null) {
    sql += " AND node_from_id = ?";
    params.push(nodeFromId);
  }
  if (groupToId !== null) {
    sql += " AND group_to_id = ?";
    params.push(groupToId);
  }
  return (await db.run(sql, params)).changes;
}

export type RequestWithNames = ArchiveFileCopyRequestRow & { node_from_name: string; group_to_name: string };

/** Every transfer request of a file, in database (id) order. */
export async function listRequestsOfFile(db: Db, fileId: number): Promise<RequestWithNames[]> {
  return db.all<RequestWithNames>(
    `SELECT r.*, n.name AS node_from_name, g.name AS group_to_name
       FROM archivefilecopyrequest r
       JOIN storagegroup g ON r.group_to_id = g.id
       JOIN storagenode n ON r.node_from_id = n.id
      WHERE r.file_id = ? ORDER BY r.id`,
    [fileId],
  );
}
