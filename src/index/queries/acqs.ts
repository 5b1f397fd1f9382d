// ArchiveAcq queries: creating acquisitions (`acq create`, the daemon's import), their names
// (the daemon's tidy-up) and the file count/size aggregates of `acq list` and `acq show`.

import type { Db } from "../driver/types.ts";
import type { ArchiveAcqRow } from "../rows.ts";
import { getAcqByName } from "./lookup.ts";

/** Insert an acquisition; returns its id. */
export async function insertAcq(db: Db, name: string): Promise<number> {
  const r = await db.run("INSERT INTO archiveacq (name, comment) VALUES (?, NULL)", [name]);
  return r.lastInsertId;
}

/**
 * The daemon's import: create the acquisition unless it exists (insert-ignore on the unique
 * name, then re-read); `created` is false when another flow won the race.
 */
export async function ensureAcq(db: Db, name: string): Promise<{ acq: ArchiveAcqRow; created: boolean }> {
  const r = await db.run(`${db.dialect.insertIgnore("archiveacq")} (name, comment) VALUES (?, ?)`, [name, null]);
  const acq = await getAcqByName(db, name);
  if (!acq) throw new Error(`acquisition "${name}" vanished while being created`);
  return { acq, created: r.changes > 0 };
}

/** Names of all acquisitions, by id (the daemon's tidy-up visits those that exist on a node). */
export async function allAcqNames(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>("SELECT name FROM archiveacq ORDER BY id");
  return rows.map((r) => r.name);
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
