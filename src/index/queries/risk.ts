// The queries of `alpenhorn node risk`: per node, the files (and bytes) whose safety depends on
// it, in the classes of riskClassesOf (src/common/archive-rule.ts), counted set-wise: one
// aggregate over every copy of the index gives each file's healthy and healthy-archive copy
// counts, joined to the copies of the nodes asked about. No per-file round trips: a
// million-copy index is one statement. Which nodes are archive nodes is decided by the caller
// on node rows (isArchiveNode), so this module writes no SQL on the node's type.

import { HEALTHY_HAS_FILE, type RiskClass } from "../../common/archive-rule.ts";
import type { Db, Param } from "../driver/types.ts";
import { placeholders } from "./bulk-common.ts";

export interface RiskTally {
  files: number;
  bytes: number;
}

export type NodeRisk = Record<RiskClass, RiskTally>;

/** The rule's inputs: the archive nodes' ids and `daemon.archive_copy_count`. */
export interface RiskRule {
  readonly archiveNodeIds: readonly number[];
  readonly required: number;
}

/** `node_id IN (…)` over `ids`, or a false condition for none (an empty IN list is not SQL). */
function inList(column: string, ids: readonly number[]): { sql: string; params: Param[] } {
  return ids.length === 0 ? { sql: "1 = 0", params: [] } : { sql: `${column} IN (${placeholders(ids.length)})`, params: [...ids] };
}

/** Per file: healthy copies anywhere, and healthy copies on archive nodes. */
function fileCounts(rule: RiskRule): { sql: string; params: Param[] } {
  const archive = inList("node_id", rule.archiveNodeIds);
  return {
    sql: `SELECT file_id, SUM(CASE WHEN has_file = ? THEN 1 ELSE 0 END) AS healthy,
                 SUM(CASE WHEN has_file = ? AND ${archive.sql} THEN 1 ELSE 0 END) AS archived
            FROM archivefilecopy GROUP BY file_id`,
    params: [HEALTHY_HAS_FILE, HEALTHY_HAS_FILE, ...archive.params],
  };
}

/** Each class's condition on copy `c` and its file's counts `h` (riskClassesOf, in SQL). */
function classCondition(cls: RiskClass, required: number): { sql: string; params: Param[] } {
  switch (cls) {
    case "only_here":
      return { sql: "c.has_file = ? AND h.healthy = 1", params: [HEALTHY_HAS_FILE] };
    case "under_archived":
      return { sql: "c.has_file = ? AND h.archived < ?", params: [HEALTHY_HAS_FILE, required] };
    case "no_healthy_copy":
      return { sql: "c.has_file IN ('M', 'X') AND h.healthy = 0", params: [] };
  }
}

const CLASSES: readonly RiskClass[] = ["only_here", "under_archived", "no_healthy_copy"];

/** The tallies of every class for each of `nodeIds` (zeros for a node with none). */
export async function riskByNode(db: Db, nodeIds: readonly number[], rule: RiskRule): Promise<Map<number, NodeRisk>> {
  const out = new Map<number, NodeRisk>();
  for (const id of nodeIds) out.set(id, { only_here: { files: 0, bytes: 0 }, under_archived: { files: 0, bytes: 0 }, no_healthy_copy: { files: 0, bytes: 0 } });
  if (nodeIds.length === 0) return out;
  const counts = fileCounts(rule);
  const sums: string[] = [];
  const sumParams: Param[] = [];
  for (const [i, cls] of CLASSES.entries()) {
    const cond = classCondition(cls, rule.required);
    sums.push(`SUM(CASE WHEN ${cond.sql} THEN 1 ELSE 0 END) AS f${i}`, `SUM(CASE WHEN ${cond.sql} THEN COALESCE(f.size_b, 0) ELSE 0 END) AS b${i}`);
    sumParams.push(...cond.params, ...cond.params);
  }
  const nodes = inList("c.node_id", nodeIds);
  const rows = await db.all<Record<string, number | string | null>>(
    `SELECT c.node_id AS node_id, ${sums.join(", ")}
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN (${counts.sql}) h ON h.file_id = c.file_id
      WHERE ${nodes.sql} GROUP BY c.node_id`,
    [...sumParams, ...counts.params, ...nodes.params],
  );
  for (const r of rows) {
    const risk = out.get(Number(r.node_id))!;
    // MySQL returns SUM() as DECIMAL text.
    for (const [i, cls] of CLASSES.entries()) risk[cls] = { files: Number(r[`f${i}`] ?? 0), bytes: Number(r[`b${i}`] ?? 0) };
  }
  return out;
}

/** A copy of a node as the `--list` pages read it. */
export interface PagedCopy {
  readonly id: number;
  readonly file_id: number;
  readonly has_file: string;
  readonly path: string;
}

/** Up to `limit` copies of a node after copy id `after`, in id order (the caller classifies them). */
export async function nodeCopiesPage(db: Db, nodeId: number, after: number, limit: number): Promise<PagedCopy[]> {
  const rows = await db.values(
    `SELECT c.id, c.file_id, c.has_file, a.name, f.name
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id
      WHERE c.node_id = ? AND c.id > ? ORDER BY c.id LIMIT ?`,
    [nodeId, after, limit],
  );
  return rows.map((r) => ({ id: Number(r[0]), file_id: Number(r[1]), has_file: String(r[2]), path: `${r[3]}/${r[4]}` }));
}

/** For each of `fileIds`: its healthy copies anywhere and its healthy archive copies. */
export async function fileCopyCounts(db: Db, fileIds: readonly number[], rule: RiskRule): Promise<Map<number, { healthy: number; archived: number }>> {
  const out = new Map<number, { healthy: number; archived: number }>();
  const archive = inList("node_id", rule.archiveNodeIds);
  // The archive ids take parameters too: leave them room beside each part's file ids.
  const size = Math.max(1, Math.min(db.dialect.maxParams, 10_000) - archive.params.length - 10);
  for (let i = 0; i < fileIds.length; i += size) {
    const part = fileIds.slice(i, i + size);
    const rows = await db.values(
      `SELECT file_id, SUM(CASE WHEN has_file = ? THEN 1 ELSE 0 END), SUM(CASE WHEN has_file = ? AND ${archive.sql} THEN 1 ELSE 0 END)
         FROM archivefilecopy WHERE file_id IN (${placeholders(part.length)}) GROUP BY file_id`,
      [HEALTHY_HAS_FILE, HEALTHY_HAS_FILE, ...archive.params, ...part],
    );
    for (const r of rows) out.set(Number(r[0]), { healthy: Number(r[1]), archived: Number(r[2]) });
  }
  return out;
}
