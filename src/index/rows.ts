// Row shapes of the Data Index tables, with alpenhorn's column names verbatim. Datetimes are
// naive-UTC strings as stored; booleans come back as 0/1 from both databases.

import type { HAS_FILE_CODES, STORAGE_TYPES, WANTS_FILE_CODES } from "./schema.ts";

export type HasFile = (typeof HAS_FILE_CODES)[number];
export type WantsFile = (typeof WANTS_FILE_CODES)[number];
export type StorageType = (typeof STORAGE_TYPES)[number];
/** A stored boolean (0/1; MySQL BOOL and SQLite INTEGER alike). */
export type Flag = number | boolean;

export interface ArchiveAcqRow {
  id: number;
  name: string;
  comment: string | null;
}

export interface ArchiveFileRow {
  id: number;
  acq_id: number;
  name: string;
  size_b: number | null;
  md5sum: string | null;
  registered: string;
}

export interface StorageGroupRow {
  id: number;
  name: string;
  io_class: string | null;
  notes: string | null;
  io_config: string | null;
}

/** A host of upstream main's layout (absent in 632dd41's). */
export interface StorageHostRow {
  id: number;
  name: string;
  username: string | null;
  address: string | null;
  notes: string | null;
}

/**
 * A node as every query returns it, on either table layout (layout/node-columns.ts): on
 * upstream main's, `host`, `username` and `address` come from its storagehost row, `host_id`
 * is set, and `storage_type` is 'A' for an archive node, 'T' for any other.
 */
export interface StorageNodeRow {
  id: number;
  name: string;
  root: string | null;
  host: string | null;
  host_id?: number | null;
  username: string | null;
  address: string | null;
  io_class: string | null;
  group_id: number;
  active: Flag;
  auto_import: Flag;
  auto_verify: number;
  storage_type: StorageType;
  max_total_gb: number | null;
  min_avail_gb: number;
  avail_gb: number | null;
  avail_gb_last_checked: string | null;
  notes: string | null;
  io_config: string | null;
}

export interface StorageTransferActionRow {
  id: number;
  node_from_id: number;
  group_to_id: number;
  autosync: Flag;
  autoclean: Flag;
}

export interface ArchiveFileCopyRow {
  id: number;
  file_id: number;
  node_id: number;
  has_file: HasFile;
  wants_file: WantsFile;
  ready: Flag;
  size_b: number | null;
  last_update: string;
}

export interface ArchiveFileCopyRequestRow {
  id: number;
  file_id: number;
  group_to_id: number;
  node_from_id: number;
  completed: Flag;
  cancelled: Flag;
  timestamp: string | null;
  transfer_started: string | null;
  transfer_completed: string | null;
}

export interface ArchiveFileImportRequestRow {
  id: number;
  node_id: number;
  path: string;
  recurse: Flag;
  register: Flag;
  completed: Flag;
  timestamp: string | null;
}
