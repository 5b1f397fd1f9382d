// SQL of the auto-actions run when a copy appears on a node (cli-schema §1.6): autosync
// inserts copy requests along `autosync` edges, autoclean releases copies upstream.

import type { Db } from "../driver/types.ts";

export interface Edge {
  node_from_id: number;
  group_to_id: number;
  group_name: string;
  node_name: string;
}

/** autosync edges leaving `nodeId` for groups other than its own. */
export async function autosyncEdges(db: Db, nodeId: number, ownGroupId: number): Promise<Edge[]> {
  return db.all<Edge>(
    `SELECT e.node_from_id, e.group_to_id, g.name AS group_name, n.name AS node_name FROM storagetransferaction e
     JOIN storagegroup g ON e.group_to_id = g.id JOIN storagenode n ON e.node_from_id = n.id
     WHERE e.node_from_id = ? AND e.group_to_id <> ? AND e.autosync = ? ORDER BY e.id`,
    [nodeId, ownGroupId, 1],
  );
}

/** autoclean edges into `groupId` from nodes other than `nodeId`. */
export async function autocleanEdges(db: Db, groupId: number, nodeId: number): Promise<Edge[]> {
  return db.all<Edge>(
    `SELECT e.node_from_id, e.group_to_id, g.name AS group_name, n.name AS node_name FROM storagetransferaction e
     JOIN storagegroup g ON e.group_to_id = g.id JOIN storagenode n ON e.node_from_id = n.id
     WHERE e.group_to_id = ? AND e.node_from_id <> ? AND e.autoclean = ? ORDER BY e.id`,
    [groupId, nodeId, 1],
  );
}

/** has_file values of a file's copies on the nodes of a group. */
export async function fileStatesInGroup(db: Db, fileId: number, groupId: number): Promise<string[]> {
  const rows = await db.all<{ has_file: string }>(
    "SELECT c.has_file FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id WHERE c.file_id = ? AND n.group_id = ?",
    [fileId, groupId],
  );
  return rows.map((r) => r.has_file);
}

export async function insertCopyRequest(db: Db, fileId: number, nodeFromId: number, groupToId: number, now: string): Promise<void> {
  await db.run(
    "INSERT INTO archivefilecopyrequest (file_id, group_to_id, node_from_id, completed, cancelled, timestamp, transfer_started, transfer_completed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    [fileId, groupToId, nodeFromId, 0, 0, now, null, null],
  );
}

/** Release a healthy wanted copy; true if one was changed. */
export async function releaseCopy(db: Db, fileId: number, nodeId: number, now: string): Promise<boolean> {
  const r = await db.run(
    "UPDATE archivefilecopy SET wants_file = ?, last_update = ? WHERE file_id = ? AND node_id = ? AND has_file = ? AND wants_file = ?",
    ["N", now, fileId, nodeId, "Y", "Y"],
  );
  return r.changes > 0;
}
