// StorageTransferAction queries: the auto-action edges node → group. `group autosync` and
// `node autoclean` switch their flags (rows are never deleted, only their flags change),
// `group show` and `node show` list them, and the daemon follows them when a copy appears on
// a node (alpenhorn/db/archive.py: ArchiveFileCopy.trigger_autoactions at 632dd41).

import type { Db } from "../driver/types.ts";
import type { StorageTransferActionRow } from "../rows.ts";

export type ActionFlag = "autosync" | "autoclean";

async function getTransferAction(db: Db, nodeId: number, groupId: number): Promise<StorageTransferActionRow | undefined> {
  return db.get<StorageTransferActionRow>("SELECT * FROM storagetransferaction WHERE node_from_id = ? AND group_to_id = ?", [nodeId, groupId]);
}

async function setTransferActionFlag(db: Db, id: number, flag: ActionFlag, on: boolean): Promise<void> {
  await db.run(`UPDATE storagetransferaction SET ${flag} = ? WHERE id = ?`, [on ? 1 : 0, id]);
}

/** A new edge with only `flag` switched on. */
async function insertTransferAction(db: Db, nodeId: number, groupId: number, flag: ActionFlag): Promise<void> {
  await db.run("INSERT INTO storagetransferaction (node_from_id, group_to_id, autosync, autoclean) VALUES (?, ?, ?, ?)", [
    nodeId,
    groupId,
    flag === "autosync" ? 1 : 0,
    flag === "autoclean" ? 1 : 0,
  ]);
}

/**
 * Switch `flag` of the edge node → group on or off, creating the edge when switching on.
 * Returns false when nothing had to change (a missing edge is already "off").
 */
export async function setTransferFlag(db: Db, nodeId: number, groupId: number, flag: ActionFlag, on: boolean): Promise<boolean> {
  const action = await getTransferAction(db, nodeId, groupId);
  if (action ? Boolean(Number(action[flag])) === on : !on) return false;
  if (action) await setTransferActionFlag(db, action.id, flag, on);
  else await insertTransferAction(db, nodeId, groupId, flag);
  return true;
}

export interface GroupAction {
  node_name: string;
  autosync: boolean;
  autoclean: boolean;
}

/** `group show`: edges into a group with autosync or autoclean set, ordered by source node id. */
export async function groupActions(db: Db, groupId: number): Promise<GroupAction[]> {
  const rows = await db.all<{ node_name: string; autosync: number | boolean; autoclean: number | boolean }>(
    `SELECT n.name AS node_name, a.autosync AS autosync, a.autoclean AS autoclean
       FROM storagetransferaction a JOIN storagenode n ON a.node_from_id = n.id
      WHERE a.group_to_id = ? AND (a.autosync = 1 OR a.autoclean = 1)
      ORDER BY a.node_from_id`,
    [groupId],
  );
  return rows.map((r) => ({ node_name: r.node_name, autosync: Boolean(Number(r.autosync)), autoclean: Boolean(Number(r.autoclean)) }));
}

export interface NodeAction {
  group_name: string;
  autosync: boolean;
  autoclean: boolean;
}

/** `node show`: edges from the node with autosync or autoclean set (self-loops included), by group id. */
export async function listNodeActions(db: Db, nodeId: number): Promise<NodeAction[]> {
  const rows = await db.all<{ group_name: string; autosync: number; autoclean: number }>(
    "SELECT g.name AS group_name, a.autosync AS autosync, a.autoclean AS autoclean FROM storagetransferaction a " +
      "JOIN storagegroup g ON a.group_to_id = g.id WHERE a.node_from_id = ? AND (a.autosync = 1 OR a.autoclean = 1) " +
      "ORDER BY a.group_to_id",
    [nodeId],
  );
  return rows.map((r) => ({ group_name: r.group_name, autosync: Boolean(Number(r.autosync)), autoclean: Boolean(Number(r.autoclean)) }));
}

export interface Edge {
  node_from_id: number;
  group_to_id: number;
  group_name: string;
  node_name: string;
}

const EDGES = `SELECT e.node_from_id, e.group_to_id, g.name AS group_name, n.name AS node_name FROM storagetransferaction e
  JOIN storagegroup g ON e.group_to_id = g.id JOIN storagenode n ON e.node_from_id = n.id`;

/** The daemon's autosync: edges leaving `nodeId` for groups other than its own. */
export async function autosyncEdges(db: Db, nodeId: number, ownGroupId: number): Promise<Edge[]> {
  return db.all<Edge>(`${EDGES} WHERE e.node_from_id = ? AND e.group_to_id <> ? AND e.autosync = ? ORDER BY e.id`, [nodeId, ownGroupId, 1]);
}

/** The daemon's autoclean: edges into `groupId` from nodes other than `nodeId`. */
export async function autocleanEdges(db: Db, groupId: number, nodeId: number): Promise<Edge[]> {
  return db.all<Edge>(`${EDGES} WHERE e.group_to_id = ? AND e.node_from_id <> ? AND e.autoclean = ? ORDER BY e.id`, [groupId, nodeId, 1]);
}
