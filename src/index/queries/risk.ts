// The queries of `alpenhorn node risk`: per node, the files (and bytes) whose safety depends on
// it, in the classes of riskClassesOf (src/common/archive-rule.ts), counted set-wise: one
// aggregate reads every copy of the index once, file by file (riskByNode), and `--list` reads
// a node's copies a page at a time with their files' counts (nodeCopiesPage, fileCopyCounts).
// No per-file round trips. Which nodes are archive nodes is decided by the caller on node rows
// (isArchiveNode), so this module writes no SQL on the node's type.

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

/** An id written into SQL: node ids come from the index, but are checked to be integers. */
function idLiteral(id: number): string {
  if (!Number.isSafeInteger(id)) throw new Error(`not an id: ${id}`);
  return String(id);
}

/** Nodes per statement: each adds seven columns to it. */
const NODES_PER_STATEMENT = 50;

/**
 * The tallies of every class for each of `nodeIds` (zeros for a node with none), in one
 * statement per 50 nodes. The inner aggregate reads every copy once, file by file, giving each
 * file its size, its healthy and healthy-archive copy counts, and the state of its copy on
 * each asked node (one column per node: a file has at most one copy per node); the outer one
 * sums the classes (riskClassesOf's rules) per node column. No per-copy join back to a derived
 * table, which would cost a temporary index over every file.
 */
export async function riskByNode(db: Db, nodeIds: readonly number[], rule: RiskRule): Promise<Map<number, NodeRisk>> {
  const out = new Map<number, NodeRisk>();
  for (const id of nodeIds) out.set(id, { only_here: { files: 0, bytes: 0 }, under_archived: { files: 0, bytes: 0 }, no_healthy_copy: { files: 0, bytes: 0 } });
  const archive = rule.archiveNodeIds.length === 0 ? "1 = 0" : `c.node_id IN (${rule.archiveNodeIds.map(idLiteral).join(", ")})`;
  const ids = [...out.keys()];
  for (let i = 0; i < ids.length; i += NODES_PER_STATEMENT) {
    const part = ids.slice(i, i + NODES_PER_STATEMENT);
    const states = part.map((id, k) => `MAX(CASE WHEN c.node_id = ${idLiteral(id)} THEN c.has_file END) AS s${k}`).join(", ");
    const sums = part.flatMap((_, k) =>
      CLASSES.map((cls) => {
        const cond = classCondition(cls, `s${k}`);
        return `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END), SUM(CASE WHEN ${cond} THEN size ELSE 0 END)`;
      }),
    );
    const rows = await db.values(
      `SELECT ${sums.join(", ")}
         FROM (SELECT COALESCE(MAX(f.size_b), 0) AS size,
                      SUM(CASE WHEN c.has_file = ? THEN 1 ELSE 0 END) AS healthy,
                      SUM(CASE WHEN c.has_file = ? AND ${archive} THEN 1 ELSE 0 END) AS archived,
                      ${states}
                 FROM archivefile f JOIN archivefilecopy c ON c.file_id = f.id GROUP BY f.id) p`,
      [...sumParams(part.length, rule.required), HEALTHY_HAS_FILE, HEALTHY_HAS_FILE],
    );
    const row = rows[0] ?? [];
    for (const [k, id] of part.entries()) {
      const risk = out.get(id)!;
      // MySQL returns SUM() as DECIMAL text; no row at all (no files) is all zeros.
      for (const [j, cls] of CLASSES.entries()) {
        const at = (k * CLASSES.length + j) * 2;
        risk[cls] = { files: Number(row[at] ?? 0), bytes: Number(row[at + 1] ?? 0) };
      }
    }
  }
  return out;
}

/** Each class's condition on the state column `s` of a file row (riskClassesOf, in SQL). */
function classCondition(cls: RiskClass, s: string): string {
  switch (cls) {
    case "only_here":
      return `${s} = ? AND healthy = 1`;
    case "under_archived":
      return `${s} = ? AND archived < ?`;
    case "no_healthy_copy":
      return `${s} IN ('M', 'X') AND healthy = 0`;
  }
}

/** The parameters of the sums, in their order: per node, per class, twice (count and bytes). */
function sumParams(nodes: number, required: number): Param[] {
  const perClass: Record<RiskClass, Param[]> = { only_here: [HEALTHY_HAS_FILE], under_archived: [HEALTHY_HAS_FILE, required], no_healthy_copy: [] };
  const out: Param[] = [];
  for (let k = 0; k < nodes; k++) for (const cls of CLASSES) out.push(...perClass[cls], ...perClass[cls]);
  return out;
}

const CLASSES: readonly RiskClass[] = ["only_here", "under_archived", "no_healthy_copy"];

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
