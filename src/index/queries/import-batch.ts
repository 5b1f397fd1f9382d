// The set-wise reads and writes of a batch of imports (engine/import/batch.ts): what the per-file
// import (alpenhorn/daemon/auto_import.py: _import_file at 632dd41) asks of one file at a time —
// is it tracked on the node, do its acquisition and file exist — asked for many in a few
// statements, and the acquisition, file and copy rows made with multi-row insert-ignores. Names
// match exactly (lookup.ts): rows are fetched by SQL equality and filtered here.

import type { Db } from "../driver/types.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow, HasFile } from "../rows.ts";
import { chunks, placeholders } from "./bulk-common.ts";

/** A registered file with the state of its copy on the node (null: no copy row). */
export type FileOnNode = ArchiveFileRow & { readonly copy_has_file: HasFile | null };

/** Acquisitions by exact name. */
export async function acqsByName(db: Db, names: readonly string[]): Promise<Map<string, ArchiveAcqRow>> {
  const want = new Set(names);
  const out = new Map<string, ArchiveAcqRow>();
  for (const part of chunks(db, [...want])) {
    for (const r of await db.all<ArchiveAcqRow>(`SELECT * FROM archiveacq WHERE name IN (${placeholders(part.length)})`, part)) {
      if (want.has(r.name)) out.set(r.name, r);
    }
  }
  return out;
}

/** Files of one acquisition by exact name, with their copy's state on `nodeId`. */
export async function filesOnNode(db: Db, acqId: number, names: readonly string[], nodeId: number): Promise<Map<string, FileOnNode>> {
  const want = new Set(names);
  const out = new Map<string, FileOnNode>();
  for (const part of chunks(db, [...want])) {
    const rows = await db.all<FileOnNode>(
      `SELECT f.*, c.has_file AS copy_has_file FROM archivefile f LEFT JOIN archivefilecopy c ON c.file_id = f.id AND c.node_id = ?
        WHERE f.acq_id = ? AND f.name IN (${placeholders(part.length)})`,
      [nodeId, acqId, ...part],
    );
    for (const r of rows) if (want.has(r.name)) out.set(r.name, r);
  }
  return out;
}

/** Create the acquisitions that do not exist; all of them by name, and the names this call created. */
export async function ensureAcqs(db: Db, names: readonly string[]): Promise<{ acqs: Map<string, ArchiveAcqRow>; created: Set<string> }> {
  const before = await acqsByName(db, names);
  const missing = [...new Set(names)].filter((n) => !before.has(n));
  for (const part of chunks(db, missing, 2)) {
    await db.run(`${db.dialect.insertIgnore("archiveacq")} (name, comment) VALUES ${part.map(() => "(?, NULL)").join(", ")}`, part);
  }
  const acqs = missing.length > 0 ? await acqsByName(db, names) : before;
  return { acqs, created: new Set(missing.filter((n) => acqs.has(n))) };
}

export interface NewFile {
  readonly name: string;
  readonly sizeB: number | null;
  readonly md5sum: string | null;
}

/**
 * Create the files of one acquisition that do not exist; all of them by name, and the names this
 * call created. `fresh`: the acquisition was created in this transaction (it has no files).
 */
export async function ensureFiles(
  db: Db,
  acqId: number,
  files: readonly NewFile[],
  registered: string,
  fresh = false,
): Promise<{ files: Map<string, ArchiveFileRow>; created: Set<string> }> {
  const names = files.map((f) => f.name);
  // Node id 0 is no node: the files alone (copy_has_file null).
  const before = fresh ? new Map<string, FileOnNode>() : await filesOnNode(db, acqId, names, 0);
  const missing = files.filter((f) => !before.has(f.name));
  for (const part of chunks(db, missing, 5)) {
    await db.run(
      `${db.dialect.insertIgnore("archivefile")} (acq_id, name, size_b, md5sum, registered) VALUES ${part.map(() => "(?, ?, ?, ?, ?)").join(", ")}`,
      part.flatMap((f) => [acqId, f.name, f.sizeB, f.md5sum, registered]),
    );
  }
  const rows = missing.length > 0 ? await filesOnNode(db, acqId, names, 0) : before;
  const out = new Map<string, ArchiveFileRow>();
  for (const [name, r] of rows) {
    const { copy_has_file: _, ...file } = r;
    out.set(name, file);
  }
  return { files: out, created: new Set(missing.filter((f) => out.has(f.name)).map((f) => f.name)) };
}

/** The copy rows of `fileIds` on `nodeId`, by file id. */
export async function copiesOfFilesOnNode(db: Db, fileIds: readonly number[], nodeId: number): Promise<Map<number, ArchiveFileCopyRow>> {
  const out = new Map<number, ArchiveFileCopyRow>();
  for (const part of chunks(db, fileIds)) {
    const rows = await db.all<ArchiveFileCopyRow>(`SELECT * FROM archivefilecopy WHERE node_id = ? AND file_id IN (${placeholders(part.length)})`, [nodeId, ...part]);
    for (const r of rows) out.set(Number(r.file_id), r);
  }
  return out;
}

/** Insert present copies (has Y, wants Y, ready) of files that have no row on the node; insert-ignore, so a row made meanwhile stays. */
export async function insertPresentCopies(db: Db, copies: ReadonlyArray<{ readonly fileId: number; readonly sizeB: number | null }>, nodeId: number, now: string): Promise<void> {
  for (const part of chunks(db, copies, 7)) {
    await db.run(
      `${db.dialect.insertIgnore("archivefilecopy")} (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES ${part.map(() => "(?, ?, 'Y', 'Y', 1, ?, ?)").join(", ")}`,
      part.flatMap((c) => [c.fileId, nodeId, c.sizeB, now]),
    );
  }
}
