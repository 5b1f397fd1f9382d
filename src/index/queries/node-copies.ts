// One node's copies as an I/O class sees them (extension-api.ts: IndexOps): staging classes
// (LustreHSM, alpenhorn/io/lustrehsm.py at 632dd41) keep the copy's `ready` flag in step with
// what the storage holds on disk, release the least recently used copies, and walk the node's
// present copies a batch at a time. Writes touch only the columns they mean to change.

import type { Db } from "../driver/types.ts";
import type { HasFile } from "../rows.ts";

/** A copy with the names of its file, the file's registered size and its readiness. */
export interface NodeCopyRow {
  readonly id: number;
  readonly file_id: number;
  readonly acq_name: string;
  readonly file_name: string;
  readonly size_b: number | null;
  readonly has_file: HasFile;
  readonly ready: number;
  readonly last_update: string;
}

const NODE_COPY = `SELECT c.id, c.file_id, a.name AS acq_name, f.name AS file_name, f.size_b, c.has_file, c.ready, c.last_update
  FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id`;

/** The copy of file `fileId` on the node, or undefined. */
export function nodeCopyOfFile(db: Db, nodeId: number, fileId: number): Promise<NodeCopyRow | undefined> {
  return db.get<NodeCopyRow>(`${NODE_COPY} WHERE c.node_id = ? AND c.file_id = ?`, [nodeId, fileId]);
}

/** The copy of `acqName/fileName` on the node, or undefined (a remote's readiness question). */
export function nodeCopyByName(db: Db, nodeId: number, acqName: string, fileName: string): Promise<NodeCopyRow | undefined> {
  return db.get<NodeCopyRow>(`${NODE_COPY} WHERE c.node_id = ? AND a.name = ? AND f.name = ?`, [nodeId, acqName, fileName]);
}

/**
 * Present, ready copies of the node, least recently updated first, `n` at a time: the page after
 * (`lastUpdate`, `id`) in (last_update, id) order (a keyset: copies released meanwhile leave the
 * filter without shifting the pages).
 */
export function readyCopiesByAge(db: Db, nodeId: number, after: { lastUpdate: string; id: number } | null, n: number): Promise<NodeCopyRow[]> {
  const base = `${NODE_COPY} WHERE c.node_id = ? AND c.has_file = 'Y' AND c.ready = 1`;
  const order = "ORDER BY c.last_update, c.id LIMIT ?";
  if (after === null) return db.all<NodeCopyRow>(`${base} ${order}`, [nodeId, n]);
  const lu = after.lastUpdate;
  return db.all<NodeCopyRow>(`${base} AND (c.last_update > ? OR (c.last_update = ? AND c.id > ?)) ${order}`, [nodeId, lu, lu, after.id, n]);
}

/** Set a copy's ready flag (and last_update); false when the row is gone. */
export async function setCopyReady(db: Db, copyId: number, ready: boolean, now: string): Promise<boolean> {
  const r = await db.run("UPDATE archivefilecopy SET ready = ?, last_update = ? WHERE id = ?", [ready ? 1 : 0, now, copyId]);
  return r.changes > 0;
}

/** The storage no longer has the copy's file: has_file N, not ready. */
export async function markCopyGone(db: Db, copyId: number, now: string): Promise<boolean> {
  const r = await db.run("UPDATE archivefilecopy SET has_file = 'N', ready = 0, last_update = ? WHERE id = ?", [now, copyId]);
  return r.changes > 0;
}

/** A random present (has_file Y) copy of the node, where a walk starts; undefined if none. */
export async function presentWalkStart(db: Db, nodeId: number): Promise<number | undefined> {
  const row = await db.get<{ id: number }>(`SELECT id FROM archivefilecopy WHERE node_id = ? AND has_file = 'Y' ORDER BY ${db.dialect.randomOrder} LIMIT 1`, [nodeId]);
  return row === undefined ? undefined : Number(row.id);
}

/** Up to `n` present (has_file Y) copies of the node with id ≥ `from`, in id order. */
export function presentCopiesFrom(db: Db, nodeId: number, from: number, n: number): Promise<NodeCopyRow[]> {
  return db.all<NodeCopyRow>(`${NODE_COPY} WHERE c.node_id = ? AND c.has_file = 'Y' AND c.id >= ? ORDER BY c.id LIMIT ?`, [nodeId, from, n]);
}
