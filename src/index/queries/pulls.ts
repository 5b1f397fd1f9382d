// The daemon's pull (copy request, AFCR) queries: pending requests into a group and out of a
// node, what a request's check reads (alpenhorn/db/archive.py: ArchiveFileCopyRequest.check at
// 632dd41), cancelling, marking a source suspect, a node's total stored size, and the
// completion transaction (ArchiveFileCopyRequest.finish): the copy row and the request's
// completion written together.

import type { Db } from "../driver/types.ts";
import { chunks } from "./bulk-common.ts";
import type { HasFile, StorageNodeRow } from "../rows.ts";
import { getNodeById } from "./nodes.ts";

/** A pending request with what the daemon needs to act on it. */
export interface PullRequest {
  readonly id: number;
  readonly file_id: number;
  readonly group_to_id: number;
  readonly node_from_id: number;
  readonly acq_name: string;
  readonly file_name: string;
  /** The file's registered size and MD5. */
  readonly size_b: number | null;
  readonly md5sum: string | null;
}

const PULL_REQUEST = `SELECT r.id, r.file_id, r.group_to_id, r.node_from_id, a.name AS acq_name, f.name AS file_name, f.size_b, f.md5sum
  FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id`;

/**
 * Pending requests out of a node, with the state of the node's copy (N when it has none);
 * `unhealthyOnly`: only those whose copy there is not healthy (a node update with no staging
 * hook reads nothing else, and a sync of a whole node leaves one request per file pending).
 */
export async function pendingPullsOutOf(db: Db, nodeId: number, unhealthyOnly = false): Promise<Array<PullRequest & { has_file: HasFile }>> {
  const rows = await db.all<PullRequest & { has_file: HasFile | null }>(
    `SELECT q.*, c.has_file FROM (${PULL_REQUEST} WHERE r.node_from_id = ? AND r.completed = 0 AND r.cancelled = 0) q
       LEFT JOIN archivefilecopy c ON c.file_id = q.file_id AND c.node_id = ?${unhealthyOnly ? " WHERE c.has_file IS NULL OR c.has_file <> 'Y'" : ""} ORDER BY q.id`,
    [nodeId, nodeId],
  );
  return rows.map((r) => ({ ...r, has_file: r.has_file ?? "N" }));
}

/** The request's own flags now (null when the row is gone). */
export async function pullRequestState(db: Db, id: number): Promise<{ completed: boolean; cancelled: boolean } | null> {
  const r = await db.get<{ completed: number; cancelled: number }>("SELECT completed, cancelled FROM archivefilecopyrequest WHERE id = ?", [id]);
  return r ? { completed: Boolean(Number(r.completed)), cancelled: Boolean(Number(r.cancelled)) } : null;
}

/** A node's row by id (the source of a pull). */
export function nodeById(db: Db, id: number): Promise<StorageNodeRow | undefined> {
  return getNodeById(db, id);
}

/** has_file of a file's copy on a node; N when it has none. */
export async function copyStateOn(db: Db, fileId: number, nodeId: number): Promise<HasFile> {
  const r = await db.get<{ has_file: HasFile }>("SELECT has_file FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);
  return r?.has_file ?? "N";
}

/** Cancel a pending request; false when it was no longer pending. */
export async function cancelPull(db: Db, id: number): Promise<boolean> {
  return (await db.run("UPDATE archivefilecopyrequest SET cancelled = 1 WHERE id = ? AND completed = 0 AND cancelled = 0", [id])).changes > 0;
}

/** A failed or mismatched pull: the source copy becomes suspect, to be checked by its daemon. */
export async function markSourceSuspect(db: Db, fileId: number, nodeId: number, now: string): Promise<void> {
  await db.run("UPDATE archivefilecopy SET has_file = 'M', last_update = ? WHERE file_id = ? AND node_id = ?", [now, fileId, nodeId]);
}

/** Bytes of the files a node holds or may hold (copies Y or M), for `max_total_gb`. */
export async function nodeTotalBytes(db: Db, nodeId: number): Promise<number> {
  const r = await db.get<{ total: number | null }>(
    "SELECT SUM(f.size_b) AS total FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND c.has_file IN ('Y', 'M')",
    [nodeId],
  );
  return Number(r?.total ?? 0);
}

/**
 * A file found on disk where a pull would go (alpenhorn/io/default/check.py:
 * force_check_filecopy): its copy becomes suspect, so the node's next update checks it.
 */
export async function forceCheckCopy(db: Db, fileId: number, nodeId: number, sizeB: number | null, now: string): Promise<void> {
  await db.run(
    db.dialect.upsert("archivefilecopy", ["file_id", "node_id", "has_file", "wants_file", "ready", "size_b", "last_update"], ["file_id", "node_id"], ["has_file", "wants_file", "ready", "last_update"]),
    [fileId, nodeId, "M", "Y", 0, sizeB, now],
  );
}

export interface FinishedPull {
  readonly requestId: number;
  readonly fileId: number;
  readonly nodeId: number;
  /** Storage used by the received copy. */
  readonly sizeB: number;
  readonly started: string;
  readonly completed: string;
}

/**
 * In the caller's transaction: each received copy becomes healthy and wanted (inserted, or its
 * row updated), and its request completed with its transfer times.
 */
export async function recordPulls(tx: Db, pulls: readonly FinishedPull[]): Promise<void> {
  const columns = ["file_id", "node_id", "has_file", "wants_file", "ready", "size_b", "last_update"];
  // A statement per few hundred pulls, not two per pull: on MySQL each is a round trip.
  for (const part of chunks(tx, pulls, columns.length)) {
    await tx.run(
      tx.dialect.upsert("archivefilecopy", columns, ["file_id", "node_id"], ["has_file", "wants_file", "ready", "size_b", "last_update"], part.length),
      part.flatMap((p) => [p.fileId, p.nodeId, "Y", "Y", 1, p.sizeB, p.completed]),
    );
  }
  for (const part of chunks(tx, pulls, 3)) {
    await tx.run(tx.dialect.updateByKey("archivefilecopyrequest", "id", ["transfer_started", "transfer_completed"], part.length, ["completed = 1"]), part.flatMap((p) => [p.requestId, p.started, p.completed]));
  }
}
