// The extra sections of `node show`: pending outbound transfers per destination group and the
// node's auto-actions (transfer-action edges from the node with autosync or autoclean set).

import type { Db } from "../driver/types.ts";

export interface OutboundTransfers {
  group_name: string;
  count: number;
  /** Σ file size_b as the database returns it (MySQL: DECIMAL text); null if all NULL. */
  size: number | string | null;
}

/** Pending AFCRs (not completed, not cancelled) from the node, grouped by destination, by group name. */
export async function listPendingOutbound(db: Db, nodeId: number): Promise<OutboundTransfers[]> {
  const rows = await db.all<OutboundTransfers>(
    "SELECT g.name AS group_name, COUNT(r.id) AS count, SUM(f.size_b) AS size FROM archivefilecopyrequest r " +
      "JOIN archivefile f ON r.file_id = f.id JOIN storagegroup g ON r.group_to_id = g.id " +
      "WHERE r.node_from_id = ? AND r.completed = 0 AND r.cancelled = 0 " +
      "GROUP BY r.group_to_id, g.name ORDER BY g.name",
    [nodeId],
  );
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

export interface NodeAction {
  group_name: string;
  autosync: boolean;
  autoclean: boolean;
}

/** Edges from the node with autosync or autoclean set (self-loops included), by group id. */
export async function listNodeActions(db: Db, nodeId: number): Promise<NodeAction[]> {
  const rows = await db.all<{ group_name: string; autosync: number; autoclean: number }>(
    "SELECT g.name AS group_name, a.autosync AS autosync, a.autoclean AS autoclean FROM storagetransferaction a " +
      "JOIN storagegroup g ON a.group_to_id = g.id WHERE a.node_from_id = ? AND (a.autosync = 1 OR a.autoclean = 1) " +
      "ORDER BY a.group_to_id",
    [nodeId],
  );
  return rows.map((r) => ({ group_name: r.group_name, autosync: Boolean(Number(r.autosync)), autoclean: Boolean(Number(r.autoclean)) }));
}
