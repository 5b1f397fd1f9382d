// Reads for `--wait`: the current state of the rows a command filed, set-wise (one statement
// per chunk of ids, whatever the number of files), and their names for the final listing.

import type { Db } from "../driver/types.ts";
import { chunks, placeholders } from "./bulk-common.ts";

export interface ImportRequestState {
  id: number;
  completed: number;
}

export interface CopyRequestState {
  id: number;
  completed: number;
  cancelled: number;
  size_b: number | null;
}

export interface CopyState {
  id: number;
  has_file: string;
  wants_file: string;
  size_b: number | null;
}

async function byIds<T>(db: Db, ids: readonly number[], sql: (inList: string) => string): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(db, ids)) out.push(...(await db.all<T>(sql(placeholders(part.length)), part)));
  return out;
}

/** Import requests by id: whether each is completed. */
export function importRequestStates(db: Db, ids: readonly number[]): Promise<ImportRequestState[]> {
  return byIds(db, ids, (list) => `SELECT id, completed FROM archivefileimportrequest WHERE id IN (${list})`);
}

/** Copy requests by id, with the size of the file each moves. */
export function copyRequestStates(db: Db, ids: readonly number[]): Promise<CopyRequestState[]> {
  return byIds(
    db,
    ids,
    (list) =>
      `SELECT r.id, r.completed, r.cancelled, f.size_b FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id WHERE r.id IN (${list})`,
  );
}

/** File copies by id, with their file's size. */
export function copyStates(db: Db, ids: readonly number[]): Promise<CopyState[]> {
  return byIds(
    db,
    ids,
    (list) => `SELECT c.id, c.has_file, c.wants_file, f.size_b FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.id IN (${list})`,
  );
}

/**
 * The ids of the pending copy requests from node to group for these files. Called inside the
 * transaction that inserted them, after checking that none was pending before: so exactly
 * the rows just inserted (a multi-row INSERT reports only one id).
 */
export async function pendingCopyRequestIds(db: Db, nodeId: number, groupId: number, fileIds: readonly number[]): Promise<number[]> {
  const rows = await byIds<{ id: number }>(
    db,
    fileIds,
    (list) =>
      `SELECT id FROM archivefilecopyrequest WHERE node_from_id = ${Number(nodeId)} AND group_to_id = ${Number(groupId)} AND completed = 0 AND cancelled = 0 AND file_id IN (${list})`,
  );
  return rows.map((r) => Number(r.id));
}

/** `"path" on Node "n"` for import requests. */
export async function describeImportRequests(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await byIds<{ id: number; path: string; node: string }>(
    db,
    ids,
    (list) => `SELECT r.id, r.path, n.name AS node FROM archivefileimportrequest r JOIN storagenode n ON n.id = r.node_id WHERE r.id IN (${list})`,
  );
  return new Map(rows.map((r) => [Number(r.id), `"${r.path}" on Node "${r.node}"`]));
}

/** `acq/file from Node "s" to Group "g"` for copy requests. */
export async function describeCopyRequests(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await byIds<{ id: number; acq: string; file: string; node: string; grp: string }>(
    db,
    ids,
    (list) =>
      "SELECT r.id, a.name AS acq, f.name AS file, n.name AS node, g.name AS grp FROM archivefilecopyrequest r " +
      "JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id " +
      `JOIN storagenode n ON n.id = r.node_from_id JOIN storagegroup g ON g.id = r.group_to_id WHERE r.id IN (${list})`,
  );
  return new Map(rows.map((r) => [Number(r.id), `${r.acq}/${r.file} from Node "${r.node}" to Group "${r.grp}"`]));
}

/** `acq/file on Node "n"` for file copies. */
export async function describeCopies(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const rows = await byIds<{ id: number; acq: string; file: string; node: string }>(
    db,
    ids,
    (list) =>
      "SELECT c.id, a.name AS acq, f.name AS file, n.name AS node FROM archivefilecopy c " +
      "JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id " +
      `JOIN storagenode n ON n.id = c.node_id WHERE c.id IN (${list})`,
  );
  return new Map(rows.map((r) => [Number(r.id), `${r.acq}/${r.file} on Node "${r.node}"`]));
}
