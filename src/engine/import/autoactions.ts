// Auto-actions when copies appear on a node (alpenhorn/db/archive.py:
// ArchiveFileCopy.trigger_autoactions at 632dd41): autosync queues copy requests to
// groups that lack a healthy copy; autoclean releases the file on upstream nodes. Done for
// many files at once (a batch of pulls), in a few statements per edge whatever their number.

import { utcNow } from "../../common/time.ts";
import { autocleanEdges, autosyncEdges } from "../../index/queries/actions.ts";
import { filesHealthyInGroup, releaseCopies } from "../../index/queries/copies.ts";
import { insertCopyRequests } from "../../index/queries/requests.ts";
import type { Db } from "../../index/driver/types.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { Logger } from "../../common/logger.ts";

export interface NewCopy {
  readonly fileId: number;
  /** `acq/file`, for the log lines. */
  readonly path: string;
}

export function triggerAutoactions(db: Db, log: Logger, node: StorageNodeRow, fileId: number, path: string): Promise<void> {
  return triggerAutoactionsMany(db, log, node, [{ fileId, path }]);
}

export async function triggerAutoactionsMany(db: Db, log: Logger, node: StorageNodeRow, copies: readonly NewCopy[]): Promise<void> {
  if (copies.length === 0) return;
  const ids = copies.map((c) => c.fileId);
  const now = utcNow();
  for (const e of await autosyncEdges(db, node.id, node.group_id)) {
    const held = await filesHealthyInGroup(db, e.group_to_id, ids);
    const wanted = copies.filter((c) => !held.has(c.fileId));
    for (const c of wanted) log.debug(`Autosyncing ${c.path} from node ${node.name} to group ${e.group_name}`);
    await insertCopyRequests(db, wanted.map((c) => c.fileId), node.id, e.group_to_id, now);
  }
  for (const e of await autocleanEdges(db, node.group_id, node.id)) {
    const released = new Set(await releaseCopies(db, ids, e.node_from_id, now));
    for (const c of copies) if (released.has(c.fileId)) log.debug(`Autocleaning ${c.path} from node ${e.node_name}`);
  }
}
