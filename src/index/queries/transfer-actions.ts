// SQL of the auto-action edges (storagetransferaction rows, node → group) that `group autosync`
// and `node autoclean` switch on and off. Rows are never deleted, only their flags change.

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
