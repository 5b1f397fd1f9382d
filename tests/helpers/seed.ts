// Row builders for tests (alpenhorn's factory fixtures, explicit): each takes only the fields
// a test cares about, supplies alpenhorn's defaults for the rest, and returns the new row.

import { utcNow } from "../../src/common/time.ts";
import type { Db, Param } from "../../src/index/driver/types.ts";
import type {
  ArchiveAcqRow,
  ArchiveFileCopyRequestRow,
  ArchiveFileCopyRow,
  ArchiveFileImportRequestRow,
  ArchiveFileRow,
  StorageGroupRow,
  StorageHostRow,
  StorageNodeRow,
  StorageTransferActionRow,
} from "../../src/index/rows.ts";

async function insert<T>(db: Db, table: string, row: Record<string, unknown>): Promise<T> {
  const cols = Object.keys(row);
  const r = await db.run(
    `INSERT INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    Object.values(row) as Param[],
  );
  return (await db.get<T>(`SELECT * FROM ${table} WHERE id = ?`, [r.lastInsertId]))!;
}

export const seed = {
  group: (db: Db, f: Partial<StorageGroupRow> & { name: string }) =>
    insert<StorageGroupRow>(db, "storagegroup", { io_class: null, notes: null, io_config: null, ...f }),

  node: (db: Db, f: Partial<StorageNodeRow> & { name: string; group_id: number }) =>
    insert<StorageNodeRow>(db, "storagenode", {
      root: null,
      host: null,
      username: null,
      address: null,
      io_class: null,
      active: 0,
      auto_import: 0,
      auto_verify: 0,
      storage_type: "A",
      max_total_gb: null,
      min_avail_gb: 0,
      avail_gb: null,
      avail_gb_last_checked: null,
      notes: null,
      io_config: null,
      ...f,
    }),

  /** A host (upstream main's layout). */
  host: (db: Db, f: Partial<StorageHostRow> & { name: string }) =>
    insert<StorageHostRow>(db, "storagehost", { username: null, address: null, notes: null, ...f }),

  /** A node as upstream main's layout stores it (`host_id`, `archive`); returns the raw row. */
  mainNode: (db: Db, f: Partial<Omit<StorageNodeRow, "host" | "username" | "address" | "storage_type">> & { name: string; group_id: number; archive?: number }) =>
    insert<Record<string, unknown>>(db, "storagenode", {
      root: null,
      host_id: null,
      io_class: null,
      active: 0,
      auto_import: 0,
      auto_verify: 0,
      archive: 0,
      max_total_gb: null,
      min_avail_gb: 0,
      avail_gb: null,
      avail_gb_last_checked: null,
      notes: null,
      io_config: null,
      ...f,
    }),

  acq: (db: Db, f: Partial<ArchiveAcqRow> & { name: string }) => insert<ArchiveAcqRow>(db, "archiveacq", { comment: null, ...f }),

  file: (db: Db, f: Partial<ArchiveFileRow> & { name: string; acq_id: number }) =>
    insert<ArchiveFileRow>(db, "archivefile", { size_b: null, md5sum: null, registered: utcNow(), ...f }),

  copy: (db: Db, f: Partial<ArchiveFileCopyRow> & { file_id: number; node_id: number }) =>
    insert<ArchiveFileCopyRow>(db, "archivefilecopy", { has_file: "N", wants_file: "Y", ready: 0, size_b: null, last_update: utcNow(), ...f }),

  copyRequest: (db: Db, f: Partial<ArchiveFileCopyRequestRow> & { file_id: number; group_to_id: number; node_from_id: number }) =>
    insert<ArchiveFileCopyRequestRow>(db, "archivefilecopyrequest", {
      completed: 0,
      cancelled: 0,
      timestamp: utcNow(),
      transfer_started: null,
      transfer_completed: null,
      ...f,
    }),

  importRequest: (db: Db, f: Partial<ArchiveFileImportRequestRow> & { node_id: number; path: string }) =>
    insert<ArchiveFileImportRequestRow>(db, "archivefileimportrequest", { recurse: 0, register: 0, completed: 0, timestamp: utcNow(), ...f }),

  transferAction: (db: Db, f: Partial<StorageTransferActionRow> & { node_from_id: number; group_to_id: number }) =>
    insert<StorageTransferActionRow>(db, "storagetransferaction", { autosync: 0, autoclean: 0, ...f }),
};
