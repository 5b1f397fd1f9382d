// ArchiveFileCopy queries of the `file` commands: one copy, all copies of a file (with their
// node and group), the state-flag filter, group state of a file, and the copy updates.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRow, HasFile, StorageNodeRow, WantsFile } from "../rows.ts";
import { utcNow } from "../../common/time.ts";

/** The --corrupt/--healthy/--missing/--suspect selection (spec §3.1 state filters). */
export interface CopyStateFilter {
  corrupt?: boolean;
  healthy?: boolean;
  missing?: boolean;
  suspect?: boolean;
}

/**
 * SQL condition on copy alias `c` for the OR of the given state flags; no flag means healthy.
 * Codes are literals from a fixed set, so no parameters are needed.
 */
export function copyStateCondition(f: CopyStateFilter, c = "c"): string {
  const parts: string[] = [];
  if (f.corrupt) parts.push(`(${c}.has_file = 'X' AND ${c}.wants_file <> 'N')`);
  if (f.healthy) parts.push(`(${c}.has_file = 'Y' AND ${c}.wants_file <> 'N')`);
  if (f.missing) parts.push(`(${c}.has_file = 'N' AND ${c}.wants_file = 'Y')`);
  if (f.suspect) parts.push(`(${c}.has_file = 'M' AND ${c}.wants_file <> 'N')`);
  if (parts.length === 0) parts.push(`(${c}.has_file = 'Y' AND ${c}.wants_file <> 'N')`);
  return `(${parts.join(" OR ")})`;
}

export async function getCopy(db: Db, fileId: number, nodeId: number): Promise<ArchiveFileCopyRow | undefined> {
  return db.get<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);
}

export type CopyWithNode = ArchiveFileCopyRow & { node_name: string; group_id: number };

/** Every copy row of a file with its node's name and group, in database (id) order. */
export async function listCopiesOfFile(db: Db, fileId: number): Promise<CopyWithNode[]> {
  return db.all<CopyWithNode>(
    `SELECT c.*, n.name AS node_name, n.group_id AS group_id
       FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id
      WHERE c.file_id = ? ORDER BY c.id`,
    [fileId],
  );
}

/** Groups holding at least one copy row (any state) of a file, in group id order. */
export async function listGroupsWithCopies(db: Db, fileId: number): Promise<Array<{ id: number; name: string }>> {
  return db.all<{ id: number; name: string }>(
    `SELECT g.id AS id, g.name AS name FROM storagegroup g
      WHERE g.id IN (SELECT n.group_id FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id WHERE c.file_id = ?)
      ORDER BY g.id`,
    [fileId],
  );
}

export interface GroupState {
  state: HasFile;
  node: Pick<StorageNodeRow, "id" | "name"> | null;
}

/**
 * StorageGroup.state_on_node (spec §1.6): any 'Y' copy in the group wins at once; otherwise
 * the latest 'M' copy, else the first 'X' copy, else ('N', null). wants_file is ignored.
 */
export async function groupStateOfFile(db: Db, groupId: number, fileId: number): Promise<GroupState> {
  const rows = await db.all<{ has_file: HasFile; node_id: number; node_name: string }>(
    `SELECT c.has_file AS has_file, n.id AS node_id, n.name AS node_name
       FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id
      WHERE n.group_id = ? AND c.file_id = ? ORDER BY c.id`,
    [groupId, fileId],
  );
  let result: GroupState = { state: "N", node: null };
  for (const r of rows) {
    const node = { id: r.node_id, name: r.node_name };
    if (r.has_file === "Y") return { state: "Y", node };
    if (r.has_file === "M") result = { state: "M", node };
    else if (r.has_file === "X" && result.state === "N") result = { state: "X", node };
  }
  return result;
}

/**
 * Set wants_file on every copy of a file (only the one on `nodeId` if given), whatever its
 * current state (alpenhorn's `file clean`). Returns the matched-row count.
 */
export async function setCopiesWants(db: Db, fileId: number, nodeId: number | null, wants: WantsFile): Promise<number> {
  const params: Param[] = [wants, fileId];
  let sql = "UPDATE archivefilecopy SET wants_file = ? WHERE file_id = ?";
  if (nodeId !== null) {
    sql += " AND node_id = ?";
    params.push(nodeId);
  }
  return (await db.run(sql, params)).changes;
}

/** Mark a file's present, unreleased copies (has Y/X/M, wants ≠ N) suspect; returns the count. */
export async function markCopiesSuspect(db: Db, fileId: number): Promise<number> {
  const r = await db.run("UPDATE archivefilecopy SET has_file = 'M' WHERE file_id = ? AND has_file <> 'N' AND wants_file <> 'N'", [fileId]);
  return r.changes;
}

export interface CopyUpdate {
  has_file?: HasFile;
  wants_file?: WantsFile;
  ready?: boolean;
}

/** Update one copy row (last_update untouched, as the CLI never bumps it); returns the count. */
export async function updateCopy(db: Db, copyId: number, u: CopyUpdate): Promise<number> {
  const sets: string[] = [];
  const params: Param[] = [];
  if (u.has_file !== undefined) sets.push("has_file = ?"), params.push(u.has_file);
  if (u.wants_file !== undefined) sets.push("wants_file = ?"), params.push(u.wants_file);
  if (u.ready !== undefined) sets.push("ready = ?"), params.push(u.ready ? 1 : 0);
  if (sets.length === 0) return 0;
  params.push(copyId);
  return (await db.run(`UPDATE archivefilecopy SET ${sets.join(", ")} WHERE id = ?`, params)).changes;
}

/** Insert a copy row with every NOT NULL column supplied (size unknown, last_update now). */
export async function insertCopy(db: Db, fileId: number, nodeId: number, has: HasFile, wants: WantsFile, ready: boolean): Promise<number> {
  const r = await db.run(
    "INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, ?, ?, ?, NULL, ?)",
    [fileId, nodeId, has, wants, ready ? 1 : 0, utcNow()],
  );
  return r.lastInsertId;
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
  const where = [copyStateCondition(f)];
  const params: Param[] = [];
  const list = (ids: number[]) => ids.map(() => "?").join(", ");
  if (acqIds.length) {
    where.push(`f.acq_id IN (${list(acqIds)})`);
    params.push(...acqIds);
  }
  const loc: string[] = [];
  if (nodeIds.length) {
    loc.push(`c.node_id IN (${list(nodeIds)})`);
    params.push(...nodeIds);
  }
  if (groupIds.length) {
    loc.push(`n.group_id IN (${list(groupIds)})`);
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
