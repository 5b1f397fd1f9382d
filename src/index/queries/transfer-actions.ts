// SQL of the auto-action edges (storagetransferaction rows, node → group) that `group autosync`
// and `node autoclean` switch on and off. Rows are never deleted, only their flags change.

import type { Db } from "../driver/types.ts";
import type { StorageTransferActionRow } from "../rows.ts";

export type ActionFlag = "autosync" | "autoclean";

export async function getTransferAction(db: Db, nodeId: number, groupId: number): Promise<StorageTransferActionRow | undefined> {
  return db.get<StorageTransferActionRow>("SELECT * FROM storagetransferaction WHERE node_from_id = ? AND group_to_id = ?", [nodeId, groupId]);
}

export async function setTransferActionFlag(db: Db, id: number, flag: ActionFlag, on: boolean): Promise<void> {
  await db.run(`UPDATE storagetransferaction SET ${flag} = ? WHERE id = ?`, [on ? 1 : 0, id]);
}

/** A new edge with only `flag` switched on. */
export async function insertTransferAction(db: Db, nodeId: number, groupId: number, flag: ActionFlag): Promise<void> {
  await db.run("INSERT INTO storagetransferaction (node_from_id, group_to_id, autosync, autoclean) VALUES (?, ?, ?, ?)", [
    nodeId,
    groupId,
    flag === "autosync" ? 1 : 0,
    flag === "autoclean" ? 1 : 0,
  ]);
}
