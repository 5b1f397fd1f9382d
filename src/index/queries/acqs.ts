// Acquisition queries for the `acq` commands: creation, per-acquisition file listings and
// the count/size aggregates of `acq list` and `acq show`.

import type { Db } from "../driver/types.ts";
import type { ArchiveFileRow, HasFile, WantsFile } from "../rows.ts";

/** Insert an acquisition; returns its id. */
export async function insertAcq(db: Db, name: string): Promise<number> {
  const r = await db.run("INSERT INTO archiveacq (name, comment) VALUES (?, NULL)", [name]);
  return r.lastInsertId;
}

export interface AcqCountRow {
  name: string;
  count: number;
}

/**
 * `acq list`: every acquisition with its file count (database order, by id). With a location
 * only acquisitions with has_file='Y' copies there are listed, counting those copy rows.
 */
export async function listAcqFileCounts(db: Db, where: { nodeId?: number; groupId?: number } = {}): Promise<AcqCountRow[]> {
  let sql: string;
  let params: number[] = [];
  if (where.groupId !== undefined) {
    sql =
      "SELECT a.name AS name, COUNT(f.id) AS count FROM archiveacq a " +
      "JOIN archivefile f ON f.acq_id = a.id JOIN archivefilecopy c ON c.file_id = f.id " +
      "JOIN storagenode n ON c.node_id = n.id WHERE n.group_id = ? AND c.has_file = 'Y' " +
      "GROUP BY a.id, a.name ORDER BY a.id";
    params = [where.groupId];
  } else if (where.nodeId !== undefined) {
    sql =
      "SELECT a.name AS name, COUNT(f.id) AS count FROM archiveacq a " +
      "JOIN archivefile f ON f.acq_id = a.id JOIN archivefilecopy c ON c.file_id = f.id " +
      "WHERE c.node_id = ? AND c.has_file = 'Y' GROUP BY a.id, a.name ORDER BY a.id";
    params = [where.nodeId];
  } else {
    sql =
      "SELECT a.name AS name, COUNT(f.id) AS count FROM archiveacq a " +
      "LEFT JOIN archivefile f ON f.acq_id = a.id GROUP BY a.id, a.name ORDER BY a.id";
  }
  const rows = await db.all<{ name: string; count: number | string }>(sql, params);
  return rows.map((r) => ({ name: r.name, count: Number(r.count) }));
}

/** All files of an acquisition, database order. */
export async function listFilesInAcq(db: Db, acqId: number): Promise<ArchiveFileRow[]> {
  return db.all<ArchiveFileRow>("SELECT * FROM archivefile WHERE acq_id = ? ORDER BY id", [acqId]);
}

export interface AcqCopyRow {
  file_id: number;
  name: string;
  file_size_b: number | string | null;
  md5sum: string | null;
  has_file: HasFile;
  wants_file: WantsFile;
  copy_size_b: number | string | null;
  node_name: string;
}

/** Copy rows of the acquisition's files on one node (any state), in copy order. */
export async function listAcqCopiesOnNode(db: Db, acqId: number, nodeId: number): Promise<AcqCopyRow[]> {
  return db.all<AcqCopyRow>(
    "SELECT f.id AS file_id, f.name AS name, f.size_b AS file_size_b, f.md5sum AS md5sum, " +
      "c.has_file AS has_file, c.wants_file AS wants_file, c.size_b AS copy_size_b, n.name AS node_name " +
      "FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN storagenode n ON c.node_id = n.id " +
      "WHERE f.acq_id = ? AND c.node_id = ? ORDER BY c.id",
    [acqId, nodeId],
  );
}

/** Copy rows of the acquisition's files on every node of a group (any state), in copy order. */
export async function listAcqCopiesInGroup(db: Db, acqId: number, groupId: number): Promise<AcqCopyRow[]> {
  return db.all<AcqCopyRow>(
    "SELECT f.id AS file_id, f.name AS name, f.size_b AS file_size_b, f.md5sum AS md5sum, " +
      "c.has_file AS has_file, c.wants_file AS wants_file, c.size_b AS copy_size_b, n.name AS node_name " +
      "FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN storagenode n ON c.node_id = n.id " +
      "WHERE f.acq_id = ? AND n.group_id = ? ORDER BY c.id",
    [acqId, groupId],
  );
}

export interface SizeTotal {
  count: number;
  /** SUM of file sizes as the database returns it (MySQL: DECIMAL text); null if all NULL. */
  size: number | string | null;
}

/** File count and summed file size of an acquisition (count 0, size null when it has none). */
export async function getAcqTotals(db: Db, acqId: number): Promise<SizeTotal> {
  const r = await db.get<{ count: number | string; size: number | string | null }>(
    "SELECT COUNT(id) AS count, SUM(size_b) AS size FROM archivefile WHERE acq_id = ?",
    [acqId],
  );
  return { count: Number(r?.count ?? 0), size: r?.size ?? null };
}

export interface NodeTotal extends SizeTotal {
  node_name: string;
  group_id: number;
}

/** Per node: has_file='Y' copies of the acquisition's files and their summed file size, by node id. */
export async function listAcqNodeTotals(db: Db, acqId: number): Promise<NodeTotal[]> {
  const rows = await db.all<NodeTotal>(
    "SELECT n.name AS node_name, n.group_id AS group_id, COUNT(f.id) AS count, SUM(f.size_b) AS size " +
      "FROM archivefile f JOIN archivefilecopy c ON c.file_id = f.id JOIN storagenode n ON c.node_id = n.id " +
      "WHERE f.acq_id = ? AND c.has_file = 'Y' GROUP BY n.id, n.name, n.group_id ORDER BY n.id",
    [acqId],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), group_id: Number(r.group_id) }));
}

export interface GroupTotal extends SizeTotal {
  group_id: number;
  group_name: string;
}

/** Per group: has_file='Y' copies of the acquisition's files, ordered by group name (SQL order). */
export async function listAcqGroupTotals(db: Db, acqId: number): Promise<GroupTotal[]> {
  const rows = await db.all<GroupTotal>(
    "SELECT g.id AS group_id, g.name AS group_name, COUNT(f.id) AS count, SUM(f.size_b) AS size " +
      "FROM archivefile f JOIN archivefilecopy c ON c.file_id = f.id JOIN storagenode n ON c.node_id = n.id " +
      "JOIN storagegroup g ON n.group_id = g.id " +
      "WHERE f.acq_id = ? AND c.has_file = 'Y' GROUP BY g.id, g.name ORDER BY g.name",
    [acqId],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count), group_id: Number(r.group_id) }));
}
