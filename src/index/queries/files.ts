// ArchiveFile writes of the `file` commands (create, modify) and the import request that
// `file import` leaves for the daemon.

import type { Db, Param } from "../driver/types.ts";
import { utcNow } from "../../common/time.ts";

/** Register a file (registered = now); returns the new id. */
export async function insertFile(db: Db, acqId: number, name: string, md5sum: string | null, sizeB: number | null): Promise<number> {
  const r = await db.run("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, ?, ?, ?)", [
    acqId,
    name,
    sizeB,
    md5sum,
    utcNow(),
  ]);
  return r.lastInsertId;
}

/** Update a file's md5sum and/or size_b (only the keys present). */
export async function updateFile(db: Db, fileId: number, u: { md5sum?: string; size_b?: number }): Promise<void> {
  const sets: string[] = [];
  const params: Param[] = [];
  if (u.md5sum !== undefined) sets.push("md5sum = ?"), params.push(u.md5sum);
  if (u.size_b !== undefined) sets.push("size_b = ?"), params.push(u.size_b);
  if (sets.length === 0) return;
  params.push(fileId);
  await db.run(`UPDATE archivefile SET ${sets.join(", ")} WHERE id = ?`, params);
}

/** An ArchiveFileImportRequest for `path` (stored verbatim) on a node, not recursive. */
export async function insertImportRequest(db: Db, nodeId: number, path: string, register: boolean): Promise<number> {
  const r = await db.run(
    "INSERT INTO archivefileimportrequest (node_id, path, recurse, register, completed, timestamp) VALUES (?, ?, 0, ?, 0, ?)",
    [nodeId, path, register ? 1 : 0, utcNow()],
  );
  return r.lastInsertId;
}
