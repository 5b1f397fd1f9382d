// ArchiveFileCopy queries about one copy or the copies of one file: reading, inserting and
// updating a copy row (CLI and daemon import), a file's copies with their nodes, and the state
// of a file in a group.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRow, HasFile, StorageNodeRow, WantsFile } from "../rows.ts";
import { utcNow } from "../../common/time.ts";

export async function getCopy(db: Db, fileId: number, nodeId: number): Promise<ArchiveFileCopyRow | undefined> {
  return db.get<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);
}

/** Insert a copy row with every NOT NULL column supplied (size unknown, last_update now). */
export async function insertCopy(db: Db, fileId: number, nodeId: number, has: HasFile, wants: WantsFile, ready: boolean): Promise<number> {
  const r = await db.run(
    "INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, ?, ?, ?, NULL, ?)",
    [fileId, nodeId, has, wants, ready ? 1 : 0, utcNow()],
  );
  return r.lastInsertId;
}

/** The daemon's import: insert a present copy; undefined if a row for (file, node) appeared meanwhile. */
export async function insertPresentCopy(db: Db, fileId: number, nodeId: number, sizeB: number | null, now: string): Promise<ArchiveFileCopyRow | undefined> {
  const r = await db.run(
    `${db.dialect.insertIgnore("archivefilecopy")} (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [fileId, nodeId, "Y", "Y", 1, sizeB, now],
  );
  return r.changes > 0 ? getCopy(db, fileId, nodeId) : undefined;
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

/** Re-import of a known copy: only the columns the import decides. */
export async function setCopyImported(db: Db, id: number, hasFile: HasFile, wantsFile: string, now: string): Promise<void> {
  await db.run("UPDATE archivefilecopy SET has_file = ?, wants_file = ?, ready = ?, last_update = ? WHERE id = ?", [hasFile, wantsFile, 1, now, id]);
}

/** Autoclean: release a healthy wanted copy; true if one was changed. */
export async function releaseCopy(db: Db, fileId: number, nodeId: number, now: string): Promise<boolean> {
  const r = await db.run(
    "UPDATE archivefilecopy SET wants_file = ?, last_update = ? WHERE file_id = ? AND node_id = ? AND has_file = ? AND wants_file = ?",
    ["N", now, fileId, nodeId, "Y", "Y"],
  );
  return r.changes > 0;
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

/**
 * The node tracks `acq/file`: a copy row with has_file ≠ 'N' (alpenhorn/db/storage.py:
 * StorageNode.named_copy_tracked at 632dd41).
 */
export async function copyTracked(db: Db, nodeId: number, acqName: string, fileName: string): Promise<boolean> {
  const rows = await db.all<{ acq: string; file: string }>(
    `SELECT a.name AS acq, f.name AS file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id
     WHERE c.node_id = ? AND a.name = ? AND f.name = ? AND c.has_file <> ?`,
    [nodeId, acqName, fileName, "N"],
  );
  return rows.some((r) => r.acq === acqName && r.file === fileName);
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

/** A file's copy rows on the nodes of a group (any state), in copy-id order. */
async function copiesInGroup(db: Db, groupId: number, fileId: number) {
  return db.all<{ has_file: HasFile; node_id: number; node_name: string }>(
    `SELECT c.has_file AS has_file, n.id AS node_id, n.name AS node_name
       FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id
      WHERE n.group_id = ? AND c.file_id = ? ORDER BY c.id`,
    [groupId, fileId],
  );
}

/** has_file values of a file's copies on the nodes of a group (autosync skips a group holding it). */
export async function fileStatesInGroup(db: Db, fileId: number, groupId: number): Promise<HasFile[]> {
  return (await copiesInGroup(db, groupId, fileId)).map((r) => r.has_file);
}

export interface GroupState {
  state: HasFile;
  node: Pick<StorageNodeRow, "id" | "name"> | null;
}

/**
 * The state of a file in a group (alpenhorn/db/storage.py: StorageGroup.state_on_node at
 * 632dd41): any 'Y' copy in the group wins at once; otherwise the latest 'M' copy, else the
 * first 'X' copy, else ('N', null). wants_file is ignored.
 */
export async function groupStateOfFile(db: Db, groupId: number, fileId: number): Promise<GroupState> {
  let result: GroupState = { state: "N", node: null };
  for (const r of await copiesInGroup(db, groupId, fileId)) {
    const node = { id: r.node_id, name: r.node_name };
    if (r.has_file === "Y") return { state: "Y", node };
    if (r.has_file === "M") result = { state: "M", node };
    else if (r.has_file === "X" && result.state === "N") result = { state: "X", node };
  }
  return result;
}
