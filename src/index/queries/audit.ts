// The consistency audit's reads and its only writes to the Data Index (`alpenhorn check-site`):
// the node's copies streamed in id order (the before and after snapshots), the current state
// of chosen copies, index MD5s of a sample, and the guarded `has_file = 'M'` update, which
// succeeds only while the row still holds the state the audit saw.

import type { Db } from "../driver/types.ts";
import type { HasFile } from "../rows.ts";
import { chunks, placeholders } from "./bulk-common.ts";

/**
 * One page of the node's copies with id > `afterId`, in id order (keyset paging: each page is
 * an indexed range scan, and no page holds more than `limit` rows in memory), as arrays:
 * [copy id, file id, acquisition id, file name, the file's indexed size (null when unknown;
 * MySQL may return a BIGINT as text), state (`has_file || last_update`, so one string carries
 * both)]. The acquisition's name comes from auditAcqNames: joining it here would cost a lookup
 * and a concatenated path per copy, where a node has a thousand copies per acquisition.
 */
export function auditCopyValues(db: Db, nodeId: number, afterId: number, limit: number, untilId = Number.MAX_SAFE_INTEGER): Promise<unknown[][]> {
  return db.values(
    `SELECT c.id, c.file_id, f.acq_id, f.name, f.size_b, c.has_file || c.last_update
       FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id
      WHERE c.node_id = ? AND c.id > ? AND c.id <= ? ORDER BY c.id LIMIT ?`,
    [nodeId, afterId, untilId, limit],
  );
}

/** The id of the node's copy at `offset` in id order (where to split a read in two), or null past the end. */
export async function auditCopyIdAt(db: Db, nodeId: number, offset: number): Promise<number | null> {
  const rows = await db.values("SELECT id FROM archivefilecopy WHERE node_id = ? ORDER BY id LIMIT 1 OFFSET ?", [nodeId, offset]);
  return rows.length ? Number(rows[0]![0]) : null;
}

/** Names of the acquisitions `ids`, as [id, name] arrays (ids that do not exist are absent). */
export async function auditAcqNames(db: Db, ids: readonly number[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const part of chunks(db, ids)) for (const r of await db.values(`SELECT id, name FROM archiveacq WHERE id IN (${placeholders(part.length)})`, part)) out.push(r);
  return out;
}

/** How many copies the node has (a capacity hint for the snapshot: an index-only count). */
export async function auditCopyCount(db: Db, nodeId: number): Promise<number> {
  const rows = await db.values("SELECT COUNT(*) FROM archivefilecopy WHERE node_id = ?", [nodeId]);
  return Number(rows[0]?.[0] ?? 0);
}

/**
 * The node's copies of the files `acq` / each of `names` (one acquisition's candidates, looked up
 * through the unique indexes on archiveacq.name and archivefile(acq_id, name)), as arrays:
 * [copy id, path (`acq/name`), state (`has_file || last_update`)].
 */
export async function auditCopiesByName(db: Db, nodeId: number, acq: string, names: readonly string[]): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for (const part of chunks(db, names)) {
    const rows = await db.values(
      `SELECT c.id, a.name || '/' || f.name, c.has_file || c.last_update
         FROM archiveacq a JOIN archivefile f ON f.acq_id = a.id JOIN archivefilecopy c ON c.file_id = f.id
        WHERE a.name = ? AND f.name IN (${placeholders(part.length)}) AND c.node_id = ?`,
      [acq, ...part, nodeId],
    );
    for (const r of rows) out.push(r);
  }
  return out;
}

export interface CopyState {
  id: number;
  has_file: HasFile;
  last_update: string;
  /** `has_file || last_update`, as auditCopyValues reads it (so the two reads compare alike). */
  state: string;
}

/** The current has_file and last_update of the given copies (rows deleted since are absent). */
export async function auditCopyStates(db: Db, copyIds: readonly number[]): Promise<Map<number, CopyState>> {
  const out = new Map<number, CopyState>();
  for (const part of chunks(db, copyIds)) {
    const rows = await db.all<CopyState>(`SELECT id, has_file, last_update, has_file || last_update AS state FROM archivefilecopy WHERE id IN (${placeholders(part.length)})`, part);
    for (const r of rows) out.set(Number(r.id), { id: Number(r.id), has_file: r.has_file, last_update: String(r.last_update), state: String(r.state) });
  }
  return out;
}

/** Index MD5 of each file id (null when unknown). */
export async function auditFileMd5s(db: Db, fileIds: readonly number[]): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  for (const part of chunks(db, fileIds)) {
    const rows = await db.all<{ id: number; md5sum: string | null }>(`SELECT id, md5sum FROM archivefile WHERE id IN (${placeholders(part.length)})`, part);
    for (const r of rows) out.set(Number(r.id), r.md5sum);
  }
  return out;
}

/**
 * Ask the daemon to re-check a copy: `has_file = 'M'`, only if the row still has the has_file
 * and last_update the audit saw (compare-and-set: a concurrent write by the daemon wins).
 * Never deletes a row, never touches wants_file. Returns whether the row was updated.
 */
export async function markCopySuspectIfUnchanged(db: Db, copyId: number, seenHas: HasFile, seenLastUpdate: string, now: string): Promise<boolean> {
  const r = await db.run("UPDATE archivefilecopy SET has_file = 'M', last_update = ? WHERE id = ? AND has_file = ? AND last_update = ?", [
    now,
    copyId,
    seenHas,
    seenLastUpdate,
  ]);
  return r.changes > 0;
}
