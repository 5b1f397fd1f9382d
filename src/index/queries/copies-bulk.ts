// ArchiveFileCopy queries over many copies at once: the copies on a node or of an
// acquisition, `file find`, the candidates of `node clean` and `node verify` with their
// bulk updates, and the paths a node holds for the daemon's scans.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRow, HasFile, WantsFile } from "../rows.ts";
import {
  copyStateSql,
  placeholders,
  stateFilterConditions,
  updateColumnByIds,
  type CopyStateCondition,
  type CopyStateFilter,
} from "./bulk-common.ts";

/** The copies on one node, keyed by file id. */
export async function copiesOnNode(db: Db, nodeId: number): Promise<Map<number, ArchiveFileCopyRow>> {
  const rows = await db.all<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE node_id = ?", [nodeId]);
  return new Map(rows.map((r) => [Number(r.file_id), r]));
}

/** `acq/file` paths of the node's copies whose has_file is one of `states`. */
export async function copyPathsOnNode(db: Db, nodeId: number, states: readonly HasFile[]): Promise<Set<string>> {
  const rows = await db.all<{ acq: string; file: string }>(
    `SELECT a.name AS acq, f.name AS file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id
     WHERE c.node_id = ? AND c.has_file IN (${placeholders(states.length)})`,
    [nodeId, ...states],
  );
  return new Set(rows.map((r) => `${r.acq}/${r.file}`));
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

function listAcqCopies(db: Db, acqId: number, where: string, id: number, order: string): Promise<AcqCopyRow[]> {
  return db.all<AcqCopyRow>(
    "SELECT f.id AS file_id, f.name AS name, f.size_b AS file_size_b, f.md5sum AS md5sum, " +
      "c.has_file AS has_file, c.wants_file AS wants_file, c.size_b AS copy_size_b, n.name AS node_name " +
      "FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN storagenode n ON c.node_id = n.id " +
      `WHERE f.acq_id = ? AND ${where} = ? ORDER BY ${order}`,
    [acqId, id],
  );
}

/**
 * Copy rows of the acquisition's files on one node (any state), by file id: the order
 * alpenhorn's unordered query (alpenhorn/cli/acq/files.py: files at 632dd41) comes out in on
 * MariaDB, which reads the acquisition's files by index and then each file's copy.
 */
export function listAcqCopiesOnNode(db: Db, acqId: number, nodeId: number): Promise<AcqCopyRow[]> {
  return listAcqCopies(db, acqId, "c.node_id", nodeId, "f.id");
}

/** Copy rows of the acquisition's files on every node of a group (any state), in copy order. */
export function listAcqCopiesInGroup(db: Db, acqId: number, groupId: number): Promise<AcqCopyRow[]> {
  return listAcqCopies(db, acqId, "n.group_id", groupId, "c.id");
}

export interface FoundCopy {
  acq_name: string;
  file_name: string;
  node_name: string;
  has_file: HasFile;
  wants_file: WantsFile;
}

/**
 * `file find`: copies matching the state filter, restricted to files of `acqIds` (if any)
 * and to copies on `nodeIds` or on nodes of `groupIds` (OR-ed when both are given).
 */
export async function findCopies(db: Db, f: CopyStateFilter, acqIds: number[], nodeIds: number[], groupIds: number[]): Promise<FoundCopy[]> {
  const cond = copyStateSql("c", stateFilterConditions(f));
  const where = [cond.sql];
  const params: Param[] = [...cond.params];
  if (acqIds.length) {
    where.push(`f.acq_id IN (${placeholders(acqIds.length)})`);
    params.push(...acqIds);
  }
  const loc: string[] = [];
  if (nodeIds.length) {
    loc.push(`c.node_id IN (${placeholders(nodeIds.length)})`);
    params.push(...nodeIds);
  }
  if (groupIds.length) {
    loc.push(`n.group_id IN (${placeholders(groupIds.length)})`);
    params.push(...groupIds);
  }
  if (loc.length) where.push(`(${loc.join(" OR ")})`);
  return db.all<FoundCopy>(
    `SELECT a.name AS acq_name, f.name AS file_name, n.name AS node_name, c.has_file AS has_file, c.wants_file AS wants_file
       FROM archivefilecopy c
       JOIN archivefile f ON c.file_id = f.id
       JOIN archiveacq a ON f.acq_id = a.id
       JOIN storagenode n ON c.node_id = n.id
      WHERE ${where.join(" AND ")}`,
    params,
  );
}

/** A `node clean` candidate copy with what the clean needs of its file. */
export interface CleanCandidateRow {
  id: number;
  file_id: number;
  wants_file: WantsFile;
  size_b: number | string | null;
  registered: unknown;
}

export interface CleanFilter {
  readonly nodeId: number;
  /** Any has_file but 'N' (`--include-bad`); otherwise only 'Y'. */
  readonly includeBad: boolean;
  /** wants_file condition: "=" keeps only that value, "<>" drops it; null = any. */
  readonly wants: { readonly op: "=" | "<>"; readonly value: WantsFile } | null;
  readonly acqIds: readonly number[];
}

/** `node clean`: copies on the node matching the filter, in copy-id order. */
export async function listCleanCandidates(db: Db, f: CleanFilter): Promise<CleanCandidateRow[]> {
  let sql =
    "SELECT c.id, c.file_id, c.wants_file, f.size_b, f.registered FROM archivefilecopy c " +
    `JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND c.has_file ${f.includeBad ? "<>" : "="} ?`;
  const params: Param[] = [f.nodeId, f.includeBad ? "N" : "Y"];
  if (f.wants) {
    sql += ` AND c.wants_file ${f.wants.op} ?`;
    params.push(f.wants.value);
  }
  if (f.acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(f.acqIds.length)})`;
    params.push(...f.acqIds);
  }
  return db.all<CleanCandidateRow>(sql + " ORDER BY c.id", params);
}

/** Set wants_file on the given copies (last_update untouched); returns rows matched. */
export function setCopyWantsFile(db: Db, ids: readonly number[], wants: WantsFile): Promise<number> {
  return updateColumnByIds(db, "archivefilecopy", "wants_file", wants, ids);
}

export interface VerifyCandidateRow {
  id: number;
  file_id: number;
  size_b: number | string | null;
}

/** `node verify`: copies on `nodeId` in any of `states`, limited to `acqIds` when given; in copy-id order. */
export async function listVerifyCandidates(
  db: Db,
  nodeId: number,
  states: readonly CopyStateCondition[],
  acqIds: readonly number[],
): Promise<VerifyCandidateRow[]> {
  const cond = copyStateSql("c", states);
  let sql = `SELECT c.id, c.file_id, f.size_b FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND ${cond.sql}`;
  const params: Param[] = [nodeId, ...cond.params];
  if (acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(acqIds.length)})`;
    params.push(...acqIds);
  }
  return db.all<VerifyCandidateRow>(sql + " ORDER BY c.id", params);
}

/** Set has_file on the given copies (last_update untouched); returns rows matched. */
export function setCopyHasFile(db: Db, ids: readonly number[], has: HasFile): Promise<number> {
  return updateColumnByIds(db, "archivefilecopy", "has_file", has, ids);
}
