// Request rows the daemon acts on later. Copy requests (archivefilecopyrequest): created by
// `file sync`, `group sync`/`node sync` and autosync, cancelled, listed. Import requests
// (archivefileimportrequest): created by `file import`, `node scan`, `node init` and
// `node create --init`, listed by `node show --imports`, completed by the daemon.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRequestRow, ArchiveFileImportRequestRow } from "../rows.ts";
import { utcNow } from "../../common/time.ts";
import { chunks, placeholders, updateColumnByIds } from "./bulk-common.ts";

const COPY_REQUEST_COLUMNS = "(file_id, group_to_id, node_from_id, completed, cancelled, timestamp, transfer_started, transfer_completed)";
const PENDING_COPY_REQUEST = "(?, ?, ?, 0, 0, ?, NULL, NULL)";

/** A new pending copy request (no duplicate check, as in alpenhorn); returns its id. */
export async function insertCopyRequest(db: Db, fileId: number, nodeFromId: number, groupToId: number, timestamp = utcNow()): Promise<number> {
  const r = await db.run(`INSERT INTO archivefilecopyrequest ${COPY_REQUEST_COLUMNS} VALUES ${PENDING_COPY_REQUEST}`, [
    fileId,
    groupToId,
    nodeFromId,
    timestamp,
  ]);
  return r.lastInsertId;
}

/** Insert one pending request per file, all with the same timestamp. */
export async function insertCopyRequests(db: Db, fileIds: readonly number[], nodeId: number, groupId: number, timestamp: string): Promise<void> {
  for (const part of chunks(db, fileIds, 6)) {
    await db.run(
      `INSERT INTO archivefilecopyrequest ${COPY_REQUEST_COLUMNS} VALUES ${part.map(() => PENDING_COPY_REQUEST).join(", ")}`,
      part.flatMap((id) => [id, groupId, nodeId, timestamp]),
    );
  }
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

/** Mark requests cancelled by id; returns the number of rows matched. */
export function cancelRequests(db: Db, ids: readonly number[]): Promise<number> {
  return updateColumnByIds(db, "archivefilecopyrequest", "cancelled", 1, ids);
}

export type RequestWithNames = ArchiveFileCopyRequestRow & { node_from_name: string; group_to_name: string };

/** Every copy request of a file, in database (id) order. */
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

/** Ids of files with a pending (not completed, not cancelled) request from node to group. */
export async function pendingRequestFileIds(db: Db, nodeId: number, groupId: number): Promise<Set<number>> {
  const rows = await db.all<{ file_id: number }>(
    "SELECT file_id FROM archivefilecopyrequest WHERE node_from_id = ? AND group_to_id = ? AND cancelled = 0 AND completed = 0",
    [nodeId, groupId],
  );
  return new Set(rows.map((r) => Number(r.file_id)));
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

/** The import-request path that means "initialise the node". */
export const NODE_INIT_PATH = "ALPENHORN_NODE";

/** Insert a pending import request (completed 0, timestamp now); returns its id. No duplicate check. */
export async function insertImportRequest(db: Db, nodeId: number, path: string, opts: { recurse: boolean; register: boolean }): Promise<number> {
  const r = await db.run(
    'INSERT INTO archivefileimportrequest (node_id, path, recurse, register, completed, "timestamp") VALUES (?, ?, ?, ?, 0, ?)',
    [nodeId, path, opts.recurse ? 1 : 0, opts.register ? 1 : 0, utcNow()],
  );
  return r.lastInsertId;
}

/** `file import`: a request for one path (stored verbatim), not recursive. */
export function requestFileImport(db: Db, nodeId: number, path: string, register: boolean): Promise<number> {
  return insertImportRequest(db, nodeId, path, { recurse: false, register });
}

/** `node create --init`: the node-initialisation request. */
export async function requestNodeInit(db: Db, nodeId: number): Promise<void> {
  await insertImportRequest(db, nodeId, NODE_INIT_PATH, { recurse: false, register: false });
}

/** `node show --imports`: pending requests of a node, oldest first (NULL times first, as SQL sorts them). */
export async function listPendingImportRequests(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow[]> {
  return db.all<ArchiveFileImportRequestRow>(
    'SELECT * FROM archivefileimportrequest WHERE node_id = ? AND completed = 0 ORDER BY "timestamp", id',
    [nodeId],
  );
}

/** The daemon's view: pending import requests of a node, in id order. */
export async function pendingImportRequests(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow[]> {
  return db.all<ArchiveFileImportRequestRow>("SELECT * FROM archivefileimportrequest WHERE node_id = ? AND completed = ? ORDER BY id", [nodeId, 0]);
}

/** The first pending node-initialisation request (path exactly `ALPENHORN_NODE`). */
export async function pendingInitRequest(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow | undefined> {
  const rows = await pendingImportRequests(db, nodeId);
  return rows.find((r) => r.path === NODE_INIT_PATH);
}

/** Mark a request completed; false if it already was (so completion is logged once). */
export async function completeImportRequest(db: Db, id: number): Promise<boolean> {
  const r = await db.run("UPDATE archivefileimportrequest SET completed = ? WHERE id = ? AND completed = ?", [1, id, 0]);
  return r.changes > 0;
}
