// Count and size aggregates per node: copy counts of `node stats`, `node show --stats` and
// `group show --node-stats`, and the pending copy requests into a group (`group show
// --transfers`) or out of a node (`node show --transfers`).

import type { Db } from "../driver/types.ts";
import { placeholders } from "./bulk-common.ts";
import { nodeTotalsState, readNodeTotals } from "../node-totals.ts";

export interface NodeCounts {
  /** Copies with has 'Y' and wants 'Y'. */
  count: number;
  /** Σ file size_b of those copies, as the database returns it (MySQL: DECIMAL text); null if none. */
  size: number | string | null;
  corrupt: number;
  suspect: number;
  missing: number;
}

/**
 * Raw statistics for each node id (nodes without copies get zeros), from the node totals when
 * they are on (src/index/node-totals.ts), else counted from the copies. Only copies with
 * has_file='Y' AND wants_file='Y' count towards `count` and `size` (the summed *file* sizes).
 * `extra` adds the counts of copies with wants_file='Y' and has_file X (corrupt), M (suspect)
 * and N (missing).
 */
export async function getNodeCounts(db: Db, nodeIds: readonly number[], extra: boolean): Promise<Map<number, NodeCounts>> {
  const out = new Map<number, NodeCounts>();
  for (const id of nodeIds) out.set(id, { count: 0, size: null, corrupt: 0, suspect: 0, missing: 0 });
  if (nodeIds.length === 0) return out;
  if ((await nodeTotalsState(db)) === "on") {
    for (const r of await readNodeTotals(db, nodeIds)) {
      const s = out.get(r.node_id)!;
      if (r.wants_file !== "Y") continue;
      if (r.has_file === "Y") {
        s.count = r.copies;
        s.size = r.sized > 0 ? r.bytes : null;
      } else if (extra && r.has_file === "X") s.corrupt = r.copies;
      else if (extra && r.has_file === "M") s.suspect = r.copies;
      else if (extra && r.has_file === "N") s.missing = r.copies;
    }
    return out;
  }
  const ids = placeholders(nodeIds.length);
  const main = await db.all<{ node_id: number; count: number | string; size: number | string | null }>(
    "SELECT c.node_id AS node_id, COUNT(c.id) AS count, SUM(f.size_b) AS size FROM archivefilecopy c " +
      `JOIN archivefile f ON c.file_id = f.id WHERE c.has_file = 'Y' AND c.wants_file = 'Y' AND c.node_id IN (${ids}) ` +
      "GROUP BY c.node_id",
    [...nodeIds],
  );
  for (const r of main) {
    const s = out.get(Number(r.node_id))!;
    s.count = Number(r.count);
    s.size = r.size;
  }
  if (extra) {
    const rows = await db.all<{ node_id: number; has_file: string; count: number | string }>(
      "SELECT node_id, has_file, COUNT(id) AS count FROM archivefilecopy " +
        `WHERE wants_file = 'Y' AND has_file IN ('X', 'M', 'N') AND node_id IN (${ids}) GROUP BY node_id, has_file`,
      [...nodeIds],
    );
    for (const r of rows) {
      const s = out.get(Number(r.node_id))!;
      const n = Number(r.count);
      if (r.has_file === "X") s.corrupt = n;
      else if (r.has_file === "M") s.suspect = n;
      else if (r.has_file === "N") s.missing = n;
    }
  }
  return out;
}

export interface NodeUsage {
  count: number;
  /** Σ file size_b of the counted copies; null when none has a size. */
  size: number | null;
}

/** `count` and `size` of getNodeCounts as numbers; nodes without counted copies are absent. */
export async function nodeUsage(db: Db, nodeIds: readonly number[]): Promise<Map<number, NodeUsage>> {
  const out = new Map<number, NodeUsage>();
  for (const [id, c] of await getNodeCounts(db, nodeIds, false)) {
    // MySQL returns SUM() as a DECIMAL string.
    if (c.count > 0) out.set(id, { count: c.count, size: c.size === null ? null : Number(c.size) });
  }
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

export interface OutboundTransfers {
  group_name: string;
  count: number;
  /** Σ file size_b as the database returns it (MySQL: DECIMAL text); null if all NULL. */
  size: number | string | null;
}

/** Pending copy requests from a node, per destination group, ordered by group name. */
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
