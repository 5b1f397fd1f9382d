// What the checks of many copy requests into one group read, in three statements whatever
// their number (alpenhorn/db/archive.py: ArchiveFileCopyRequest.check reads the same facts one
// request at a time, at 632dd41): the requests' own flags and the state of the source copy,
// every copy of their files on the group's nodes, and the source nodes. The daemon's group
// update checks thousands of requests per loop this way.

import type { Db } from "../driver/types.ts";
import type { HasFile, StorageNodeRow } from "../rows.ts";
import { chunks, placeholders } from "./bulk-common.ts";
import type { PullRequest } from "./pulls.ts";
import { nodesByIds } from "./nodes.ts";

/** A file's copy on a node of the group, in copy-id order. */
export interface GroupCopy {
  readonly node_id: number;
  readonly node_name: string;
  readonly has_file: HasFile;
}

export interface PullFacts {
  /** Requests still pending, with the state of their source copy (N when none). */
  readonly pending: ReadonlyArray<PullRequest & { readonly source_state: HasFile }>;
  /** Asked-for requests no longer pending: id → why. */
  readonly settled: ReadonlyMap<number, "completed" | "cancelled" | "gone">;
  /** File id → its copies on the group's nodes, in copy-id order. */
  readonly groupCopies: ReadonlyMap<number, readonly GroupCopy[]>;
  /** Source node id → its row. */
  readonly sources: ReadonlyMap<number, StorageNodeRow>;
}

const REQUESTS = `SELECT r.id, r.file_id, r.group_to_id, r.node_from_id, a.name AS acq_name, f.name AS file_name, f.size_b, f.md5sum,
       sc.has_file AS source_state, r.completed, r.cancelled
  FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id
  LEFT JOIN archivefilecopy sc ON sc.file_id = r.file_id AND sc.node_id = r.node_from_id
 WHERE r.group_to_id = ?`;

type RequestRow = PullRequest & { source_state: HasFile | null; completed: number; cancelled: number };

/**
 * The facts for the pending requests into `groupId` (all of them, oldest first), or for the
 * given request ids only (a task's re-check; ids no longer pending land in `settled`).
 */
export async function pullFacts(db: Db, groupId: number, requestIds?: readonly number[]): Promise<PullFacts> {
  let rows: RequestRow[];
  if (requestIds === undefined) rows = await db.all<RequestRow>(`${REQUESTS} AND r.completed = 0 AND r.cancelled = 0 ORDER BY r.id`, [groupId]);
  else {
    rows = [];
    for (const part of chunks(db, requestIds)) rows.push(...(await db.all<RequestRow>(`${REQUESTS} AND r.id IN (${placeholders(part.length)}) ORDER BY r.id`, [groupId, ...part])));
  }
  const settled = new Map<number, "completed" | "cancelled" | "gone">((requestIds ?? []).map((id) => [id, "gone"]));
  const pending: Array<PullRequest & { source_state: HasFile }> = [];
  for (const { completed, cancelled, source_state, ...r } of rows) {
    if (Number(completed) || Number(cancelled)) settled.set(Number(r.id), Number(completed) ? "completed" : "cancelled");
    else {
      settled.delete(Number(r.id));
      pending.push({ ...r, source_state: source_state ?? "N" });
    }
  }

  const groupCopies = new Map<number, GroupCopy[]>();
  const fileIds = [...new Set(pending.map((r) => Number(r.file_id)))];
  for (const part of chunks(db, fileIds)) {
    const copies = await db.all<GroupCopy & { file_id: number }>(
      `SELECT c.file_id, c.has_file, n.id AS node_id, n.name AS node_name
         FROM archivefilecopy c JOIN storagenode n ON c.node_id = n.id
        WHERE n.group_id = ? AND c.file_id IN (${placeholders(part.length)}) ORDER BY c.id`,
      [groupId, ...part],
    );
    for (const c of copies) {
      const list = groupCopies.get(Number(c.file_id));
      const copy = { node_id: Number(c.node_id), node_name: c.node_name, has_file: c.has_file };
      if (list) list.push(copy);
      else groupCopies.set(Number(c.file_id), [copy]);
    }
  }

  const sources = new Map<number, StorageNodeRow>();
  const sourceIds = [...new Set(pending.map((r) => Number(r.node_from_id)))];
  for (const part of chunks(db, sourceIds)) {
    for (const [id, n] of await nodesByIds(db, part)) sources.set(id, n);
  }
  return { pending, settled, groupCopies, sources };
}
