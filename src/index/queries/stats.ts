// Node usage statistics (`node stats`, `node show --stats`): node selection and per-node copy
// counts. Only copies with has_file='Y' AND wants_file='Y' count towards files and size.

import type { Db, Param } from "../driver/types.ts";
import type { StorageNodeRow } from "../rows.ts";

export interface NodeFilter {
  active?: boolean;
  groupId?: number;
  host?: string;
}

/** Nodes matching the `node list`/`node stats` filters, database order (by id). */
export async function selectNodes(db: Db, f: NodeFilter = {}): Promise<StorageNodeRow[]> {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.active !== undefined) {
    where.push("active = ?");
    params.push(f.active ? 1 : 0);
  }
  if (f.groupId !== undefined) {
    where.push("group_id = ?");
    params.push(f.groupId);
  }
  if (f.host !== undefined) {
    where.push("host = ?");
    params.push(f.host);
  }
  const clause = where.length ? ` WHERE ${where.join(" AND ")}` : "";
  const rows = await db.all<StorageNodeRow>(`SELECT * FROM storagenode${clause} ORDER BY id`, params);
  // host is compared exactly (MySQL's _ci collation would also match other spellings).
  return f.host === undefined ? rows : rows.filter((r) => r.host === f.host);
}

export interface NodeCounts {
  /** Copies with has 'Y' and wants 'Y'. */
  count: number;
  /** Σ file size_b of those copies, as the database returns it (MySQL: DECIMAL text); null if none. */
  size: number | string | null;
  corrupt: number;
  suspect: number;
  missing: number;
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/**
 * Raw statistics for each node id (nodes without copies get zeros). `extra` adds the counts of
 * copies with wants_file='Y' and has_file X (corrupt), M (suspect) and N (missing).
 */
export async function getNodeCounts(db: Db, nodeIds: readonly number[], extra: boolean): Promise<Map<number, NodeCounts>> {
  const out = new Map<number, NodeCounts>();
  for (const id of nodeIds) out.set(id, { count: 0, size: null, corrupt: 0, suspect: 0, missing: 0 });
  if (nodeIds.length === 0) return out;
  const ids = placeholders(nodeIds.length);
  const main = await db.all<{ node_id: number; count: number | string; size: number | string | null }>(
    "SELECT c.node_id AS node_id, COUNT(c.id) AS count, SUM(f.size_b) AS size FROM archivefilecopy c " +
      `JOIN archivefile f ON c.file_id = f.id WHERE c.has_file = 'Y' AND c.wants_file = 'Y' AND c.node_id IN (${ids}) ` +
      "GROUP BY c.node_id",
    nodeIds,
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
      nodeIds,
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
