// ArchiveFileImportRequest (AFIR) rows written by `node init` / `node scan` and listed by
// `node show --imports`; the daemon acts on them later.

import { utcNow } from "../../common/time.ts";
import type { Db } from "../driver/types.ts";
import type { ArchiveFileImportRequestRow } from "../rows.ts";

/** The AFIR path that means "initialise the node". */
export const NODE_INIT_PATH = "ALPENHORN_NODE";

/** Insert a pending AFIR (completed 0, timestamp now); returns its id. No duplicate check. */
export async function insertImportRequest(
  db: Db,
  nodeId: number,
  path: string,
  opts: { recurse: boolean; register: boolean },
): Promise<number> {
  const r = await db.run(
    'INSERT INTO archivefileimportrequest (node_id, path, recurse, register, completed, "timestamp") VALUES (?, ?, ?, ?, 0, ?)',
    [nodeId, path, opts.recurse ? 1 : 0, opts.register ? 1 : 0, utcNow()],
  );
  return r.lastInsertId;
}

/** Pending (completed=0) AFIRs of a node, oldest first (NULL times first, as SQL sorts them). */
export async function listPendingImportRequests(db: Db, nodeId: number): Promise<ArchiveFileImportRequestRow[]> {
  return db.all<ArchiveFileImportRequestRow>(
    'SELECT * FROM archivefileimportrequest WHERE node_id = ? AND completed = 0 ORDER BY "timestamp", id',
    [nodeId],
  );
}
