// SQL of the daemon's import path: what a node already holds, and creating acquisitions, files
// and copies so that two simultaneous imports of one file register it once (unique indexes +
// insert-ignore, then re-read).

import type { Db } from "../driver/types.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow, HasFile } from "../rows.ts";
import { getAcqByName, getFileInAcq } from "./lookup.ts";

/** `acq/file` paths of the node's copies whose has_file is one of `states`. */
export async function copyPathsOnNode(db: Db, nodeId: number, states: readonly HasFile[]): Promise<Set<string>> {
  const rows = await db.all<{ acq: string; file: string }>(
    `SELECT a.name AS acq, f.name AS file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id
     WHERE c.node_id = ? AND c.has_file IN (${states.map(() => "?").join(", ")})`,
    [nodeId, ...states],
  );
  return new Set(rows.map((r) => `${r.acq}/${r.file}`));
}

/** The node tracks `acq/file` (a copy row with has_file ≠ 'N'). */
export async function copyTracked(db: Db, nodeId: number, acqName: string, fileName: string): Promise<boolean> {
  const rows = await db.all<{ acq: string; file: string }>(
    `SELECT a.name AS acq, f.name AS file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id
     WHERE c.node_id = ? AND a.name = ? AND f.name = ? AND c.has_file <> ?`,
    [nodeId, acqName, fileName, "N"],
  );
  return rows.some((r) => r.acq === acqName && r.file === fileName);
}

export { getAcqByName, getFileInAcq };

/** Create the acquisition unless it exists; `created` is false when another flow won the race. */
export async function ensureAcq(db: Db, name: string): Promise<{ acq: ArchiveAcqRow; created: boolean }> {
  const r = await db.run(`${db.dialect.insertIgnore("archiveacq")} (name, comment) VALUES (?, ?)`, [name, null]);
  const acq = await getAcqByName(db, name);
  if (!acq) throw new Error(`acquisition "${name}" vanished while being created`);
  return { acq, created: r.changes > 0 };
}

export async function ensureFile(
  db: Db,
  f: { acqId: number; name: string; sizeB: number | null; md5sum: string | null; registered: string },
): Promise<{ file: ArchiveFileRow; created: boolean }> {
  const r = await db.run(`${db.dialect.insertIgnore("archivefile")} (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, ?, ?, ?)`, [
    f.acqId,
    f.name,
    f.sizeB,
    f.md5sum,
    f.registered,
  ]);
  const file = await getFileInAcq(db, f.acqId, f.name);
  if (!file) throw new Error(`file "${f.name}" vanished while being created`);
  return { file, created: r.changes > 0 };
}

export async function getCopy(db: Db, fileId: number, nodeId: number): Promise<ArchiveFileCopyRow | undefined> {
  return db.get<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);
}

/** Insert a present copy; undefined if a row for (file, node) appeared meanwhile. */
export async function insertPresentCopy(db: Db, fileId: number, nodeId: number, sizeB: number | null, now: string): Promise<ArchiveFileCopyRow | undefined> {
  const r = await db.run(
    `${db.dialect.insertIgnore("archivefilecopy")} (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [fileId, nodeId, "Y", "Y", 1, sizeB, now],
  );
  return r.changes > 0 ? getCopy(db, fileId, nodeId) : undefined;
}

/** Re-import of a known copy: only the columns the import decides. */
export async function setCopyImported(db: Db, id: number, hasFile: HasFile, wantsFile: string, now: string): Promise<void> {
  await db.run("UPDATE archivefilecopy SET has_file = ?, wants_file = ?, ready = ?, last_update = ? WHERE id = ?", [hasFile, wantsFile, 1, now, id]);
}
