// ArchiveFileCopy queries about one copy or the copies of one file: reading, inserting and
// updating a copy row (CLI and daemon import), a file's copies with their nodes, and the state
// of a file in a group.

import type { Db, Param } from "../driver/types.ts";
import type { ArchiveFileCopyRow, HasFile, StorageNodeRow, WantsFile } from "../rows.ts";
import { utcNow } from "../../common/time.ts";
import { chunks, placeholders } from "./bulk-common.ts";

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
  return groupStateOf(await copiesInGroup(db, groupId, fileId));
}

/** groupStateOfFile's rule over a file's copies on the group's nodes, in copy-id order. */
export function groupStateOf(copies: Iterable<{ has_file: HasFile; node_id: number; node_name: string }>): GroupState {
  let result: GroupState = { state: "N", node: null };
  for (const r of copies) {
    const node = { id: r.node_id, name: r.node_name };
    if (r.has_file === "Y") return { state: "Y", node };
    if (r.has_file === "M") result = { state: "M", node };
    else if (r.has_file === "X" && result.state === "N") result = { state: "X", node };
  }
  return result;
}

/** Of `fileIds`, those with a healthy ('Y') copy on a node of the group (autosync skips them). */
export async function filesHealthyInGroup(db: Db, groupId: number, fileIds: readonly number[]): Promise<Set<number>> {
  const held = new Set<number>();
  for (const part of chunks(db, fileIds)) {
    const rows = await db.all<{ file_id: number }>(
      `SELECT DISTINCT c.file_id FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id
        WHERE n.group_id = ? AND c.has_file = 'Y' AND c.file_id IN (${placeholders(part.length)})`,
      [groupId, ...part],
    );
    for (const r of rows) held.add(Number(r.file_id));
  }
  return held;
}

/** releaseCopy for many files on one node; the ids of the files whose copy it released. */
export async function releaseCopies(db: Db, fileIds: readonly number[], nodeId: number, now: string): Promise<number[]> {
  const released: number[] = [];
  for (const part of chunks(db, fileIds)) {
    const rows = await db.all<{ file_id: number }>(
      `SELECT file_id FROM archivefilecopy WHERE node_id = ? AND has_file = 'Y' AND wants_file = 'Y' AND file_id IN (${placeholders(part.length)})`,
      [nodeId, ...part],
    );
    if (rows.length === 0) continue;
    const ids = rows.map((r) => Number(r.file_id));
    await db.run(
      `UPDATE archivefilecopy SET wants_file = 'N', last_update = ? WHERE node_id = ? AND has_file = 'Y' AND wants_file = 'Y' AND file_id IN (${placeholders(ids.length)})`,
      [now, nodeId, ...ids],
    );
    released.push(...ids);
  }
  return released;
}
