// Auto-actions when a copy appears on a node (alpenhorn/db/archive.py:
// ArchiveFileCopy.trigger_autoactions at 632dd41): autosync queues copy requests to
// groups that lack a healthy copy; autoclean releases the file on upstream nodes.

import { utcNow } from "../../common/time.ts";
import { autocleanEdges, autosyncEdges } from "../../index/queries/actions.ts";
import { fileStatesInGroup, releaseCopy } from "../../index/queries/copies.ts";
import { insertCopyRequest } from "../../index/queries/requests.ts";
import type { Db } from "../../index/driver/types.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { Logger } from "../../common/logger.ts";

export async function triggerAutoactions(db: Db, log: Logger, node: StorageNodeRow, fileId: number, path: string): Promise<void> {
  for (const e of await autosyncEdges(db, node.id, node.group_id)) {
    const states = await fileStatesInGroup(db, fileId, e.group_to_id);
    if (states.includes("Y")) continue;
    log.debug(`Autosyncing ${path} from node ${node.name} to group ${e.group_name}`);
    await insertCopyRequest(db, fileId, node.id, e.group_to_id, utcNow());
  }
  for (const e of await autocleanEdges(db, node.group_id, node.id)) {
    if (await releaseCopy(db, fileId, e.node_from_id, utcNow())) log.debug(`Autocleaning ${path} from node ${e.node_name}`);
  }
}
