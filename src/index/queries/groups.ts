// SQL of the storage-group commands: creating, listing, updating and renaming groups, and the
// node, transfer and auto-action summaries that `group show` prints.

import type { Db, Param } from "../driver/types.ts";
import type { StorageGroupRow, StorageNodeRow } from "../rows.ts";

export interface NewGroup {
  name: string;
  io_class: string | null;
  notes: string | null;
  io_config: string | null;
}

export async function insertGroup(db: Db, g: NewGroup): Promise<number> {
  const r = await db.run("INSERT INTO storagegroup (name, io_class, notes, io_config) VALUES (?, ?, ?, ?)", [g.name, g.io_class, g.notes, g.io_config]);
  return r.lastInsertId;
}

/** All groups in database (id) order. */
export async function listGroups(db: Db): Promise<StorageGroupRow[]> {
  return db.all<StorageGroupRow>("SELECT * FROM storagegroup ORDER BY id");
}

export type GroupUpdates = Partial<Record<"name" | "io_class" | "notes" | "io_config", string | null>>;

/** Write `updates` (column → value) to group `id`; nothing to write is a no-op. */
export async function updateGroup(db: Db, id: number, updates: GroupUpdates): Promise<void> {
  const cols = Object.keys(updates);
  if (cols.length === 0) return;
  await db.run(`UPDATE storagegroup SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`, [
    ...(Object.values(updates) as Param[]),
    id,
  ]);
}

/** The member nodes of a group, in database (id) order. */
export async function listGroupNodes(db: Db, groupId: number): Promise<StorageNodeRow[]> {
  return db.all<StorageNodeRow>("SELECT * FROM storagenode WHERE group_id = ? ORDER BY id", [groupId]);
}

export interface NodeUsage {
  count: number;
  /** Σ file size_b of the counted copies; null when none has a size. */
  size: number | null;
}

/**
 * Per node: the number of copies with has_file='Y' and wants_file='Y', and the sum of their
 * *file* sizes (what `group show --node-stats` and `node stats` report). Nodes without such
 * copies are absent from the map.
 */
export async function nodeUsage(db: Db, nodeIds: readonly number[]): Promise<Map<number, NodeUsage>> {
  const out = new Map<number, NodeUsage>();
  if (nodeIds.length === 0) return out;
  const rows = await db.all<{ node_id: number; n: number | string; size: number | string | null }>(
    `SELECT c.node_id AS node_id, COUNT(c.id) AS n, SUM(f.size_b) AS size
       FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id
      WHERE c.has_file = 'Y' AND c.wants_file = 'Y' AND c.node_id IN (${nodeIds.map(() => "?").join(", ")})
      GROUP BY c.node_id`,
    [...nodeIds],
  );
  // MySQL returns SUM() as a DECIMAL string.
  for (const r of rows) out.set(Number(r.node_id), { count: Number(r.n), size: r.size === null ? null : Number(r.size) });
  return out;
}

export interface InboundTransfers {
  node_name: string;
  count: number;
  size: number | null;
}

/** Pending copy requests into a group, per source node, ordered by node name. */
export async function pendingInboundTransfers(db: Db, groupId: number): Promise<InboundTransfers[]> {
  const rows = await db.all<{ node_name: string; n: number | string; size: number | string | null }>(
    `SELECT n.name AS node_name, COUNT(r.id) AS n, SUM(f.size_b) AS size
       FROM archivefilecopyrequest r
       JOIN archivefile f ON r.file_id = f.id
       JOIN storagenode n ON r.node_from_id = n.id
      WHERE r.group_to_id = ? AND r.completed = 0 AND r.cancelled = 0
      GROUP BY r.node_from_id, n.name
      ORDER BY n.name`,
    [groupId],
  );
  return rows.map((r) => ({ node_name: r.node_name, count: Number(r.n), size: r.size === null ? null : Number(r.size) }));
}

export interface GroupAction {
  node_name: string;
  autosync: boolean;
  autoclean: boolean;
}

/** Transfer actions into a group with autosync or autoclean set, ordered by source node id. */
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
