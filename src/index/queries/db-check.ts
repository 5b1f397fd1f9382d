// The queries of `alpenhorn db check`, the Data Index's self-audit: each reads one kind of
// inconsistency set-wise (one statement, whatever the size of the index) and returns the rows
// that show it. Judging and wording are the command's (src/commands/db/check.ts and the pure
// src/commands/db/_findings.ts); the node-root overlap is judged there on the node rows.

import type { Db } from "../driver/types.ts";

/** A row pointing at a row of another table that does not exist. */
export interface DanglingRef {
  /** Table holding the reference. */
  readonly table: string;
  readonly id: number;
  /** The referencing column (`file_id`, `node_id`, …). */
  readonly column: string;
  /** The id it names. */
  readonly ref: number;
}

/** Every foreign key of the core schema: table, column, referenced table. */
const REFERENCES: ReadonlyArray<readonly [string, string, string]> = [
  ["archivefile", "acq_id", "archiveacq"],
  ["storagenode", "group_id", "storagegroup"],
  ["archivefilecopy", "file_id", "archivefile"],
  ["archivefilecopy", "node_id", "storagenode"],
  ["archivefilecopyrequest", "file_id", "archivefile"],
  ["archivefilecopyrequest", "group_to_id", "storagegroup"],
  ["archivefilecopyrequest", "node_from_id", "storagenode"],
  ["archivefileimportrequest", "node_id", "storagenode"],
  ["storagetransferaction", "node_from_id", "storagenode"],
  ["storagetransferaction", "group_to_id", "storagegroup"],
];

/** Rows whose reference names a missing row (an anti-join per foreign key), in table order. */
export async function danglingReferences(db: Db): Promise<DanglingRef[]> {
  const out: DanglingRef[] = [];
  for (const [table, column, target] of REFERENCES) {
    const rows = await db.all<{ id: number; ref: number }>(
      `SELECT t.id AS id, t.${column} AS ref FROM ${table} t LEFT JOIN ${target} x ON x.id = t.${column} WHERE x.id IS NULL ORDER BY t.id`,
    );
    for (const r of rows) out.push({ table, id: Number(r.id), column, ref: Number(r.ref) });
  }
  return out;
}

export interface FileRef {
  readonly id: number;
  readonly path: string;
}

/** Files without a size or without an MD5 (empty counts as none), in id order. */
export async function filesWithoutSizeOrMd5(db: Db): Promise<Array<FileRef & { size_b: number | null; md5sum: string | null }>> {
  const rows = await db.all<{ id: number; acq: string | null; name: string; size_b: number | null; md5sum: string | null }>(
    `SELECT f.id AS id, a.name AS acq, f.name AS name, f.size_b AS size_b, f.md5sum AS md5sum
       FROM archivefile f LEFT JOIN archiveacq a ON a.id = f.acq_id
      WHERE f.size_b IS NULL OR f.md5sum IS NULL OR f.md5sum = '' ORDER BY f.id`,
  );
  return rows.map((r) => ({ id: Number(r.id), path: `${r.acq ?? "?"}/${r.name}`, size_b: r.size_b === null ? null : Number(r.size_b), md5sum: r.md5sum }));
}

export interface SizeMismatch {
  readonly copy_id: number;
  readonly path: string;
  readonly node: string;
  readonly copy_size: number;
  readonly file_size: number;
}

/**
 * Healthy copies (`healthy`: the has_file value the archive-copy rule counts) whose recorded
 * storage size differs from their file's size by more than `slack(file size)` allows; the
 * slack is applied here as max(minSlack, size / fraction), since storage is counted in blocks.
 */
export async function healthySizeMismatches(db: Db, healthy: string, minSlack: number, fraction: number): Promise<SizeMismatch[]> {
  const rows = await db.all<{ copy_id: number; acq: string; name: string; node: string; copy_size: number | string; file_size: number | string }>(
    `SELECT c.id AS copy_id, a.name AS acq, f.name AS name, n.name AS node, c.size_b AS copy_size, f.size_b AS file_size
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id JOIN storagenode n ON n.id = c.node_id
      WHERE c.has_file = ? AND c.size_b IS NOT NULL AND f.size_b IS NOT NULL
        AND ABS(c.size_b - f.size_b) > CASE WHEN f.size_b / ? > ? THEN f.size_b / ? ELSE ? END
      ORDER BY c.id`,
    [healthy, fraction, minSlack, fraction, minSlack],
  );
  return rows.map((r) => ({ copy_id: Number(r.copy_id), path: `${r.acq}/${r.name}`, node: r.node, copy_size: Number(r.copy_size), file_size: Number(r.file_size) }));
}

export interface DuplicateRequests {
  readonly path: string;
  readonly group: string;
  readonly ids: number[];
}

/** Pending copy requests that share their file and destination group with another, by file. */
export async function duplicatePendingRequests(db: Db): Promise<DuplicateRequests[]> {
  const rows = await db.all<{ id: number; file_id: number; group_to_id: number; acq: string; name: string; grp: string }>(
    `SELECT r.id AS id, r.file_id AS file_id, r.group_to_id AS group_to_id, a.name AS acq, f.name AS name, g.name AS grp
       FROM archivefilecopyrequest r
       JOIN (SELECT file_id, group_to_id FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0
              GROUP BY file_id, group_to_id HAVING COUNT(*) > 1) d ON d.file_id = r.file_id AND d.group_to_id = r.group_to_id
       JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id JOIN storagegroup g ON g.id = r.group_to_id
      WHERE r.completed = 0 AND r.cancelled = 0 ORDER BY r.file_id, r.group_to_id, r.id`,
  );
  const byPair = new Map<string, DuplicateRequests>();
  for (const r of rows) {
    const key = `${r.file_id}:${r.group_to_id}`;
    let d = byPair.get(key);
    if (!d) byPair.set(key, (d = { path: `${r.acq}/${r.name}`, group: r.grp, ids: [] }));
    d.ids.push(Number(r.id));
  }
  return [...byPair.values()];
}

/** Pending import requests for inactive nodes (no daemon serves them), in id order. */
export async function importRequestsForInactiveNodes(db: Db): Promise<Array<{ id: number; node: string; path: string }>> {
  const rows = await db.all<{ id: number; node: string; path: string }>(
    `SELECT r.id AS id, n.name AS node, r.path AS path FROM archivefileimportrequest r JOIN storagenode n ON n.id = r.node_id
      WHERE r.completed = 0 AND n.active = 0 ORDER BY r.id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export interface StaleRequest {
  readonly kind: "copy" | "import";
  readonly id: number;
  readonly timestamp: string;
  /** `acq/file` for a copy request, the path for an import request. */
  readonly what: string;
  /** Destination group (copy) or node (import). */
  readonly where: string;
}

/** Pending copy and import requests made before `before` (a naive-UTC timestamp), oldest first. */
export async function staleRequests(db: Db, before: string): Promise<StaleRequest[]> {
  const copies = await db.all<{ id: number; ts: string; acq: string; name: string; grp: string }>(
    `SELECT r.id AS id, r.timestamp AS ts, a.name AS acq, f.name AS name, g.name AS grp
       FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id JOIN storagegroup g ON g.id = r.group_to_id
      WHERE r.completed = 0 AND r.cancelled = 0 AND r.timestamp IS NOT NULL AND r.timestamp < ? ORDER BY r.timestamp, r.id`,
    [before],
  );
  const imports = await db.all<{ id: number; ts: string; path: string; node: string }>(
    `SELECT r.id AS id, r.timestamp AS ts, r.path AS path, n.name AS node
       FROM archivefileimportrequest r JOIN storagenode n ON n.id = r.node_id
      WHERE r.completed = 0 AND r.timestamp IS NOT NULL AND r.timestamp < ? ORDER BY r.timestamp, r.id`,
    [before],
  );
  return [
    ...copies.map((r) => ({ kind: "copy" as const, id: Number(r.id), timestamp: String(r.ts), what: `${r.acq}/${r.name}`, where: r.grp })),
    ...imports.map((r) => ({ kind: "import" as const, id: Number(r.id), timestamp: String(r.ts), what: r.path, where: r.node })),
  ];
}
