// Reads for `alpenhorn status`: a handful of aggregate statements over the whole index (one
// per section, never one per node), so the screen costs the same however many nodes exist.

import type { Db } from "../driver/types.ts";
import { layoutOf } from "../layout/detect.ts";
import { nodeRowSql } from "../layout/node-columns.ts";

export interface StatusNodeRow {
  id: number;
  name: string;
  host: string | null;
  active: number;
  storage_type: string;
  group_name: string;
  avail_gb: number | null;
  avail_gb_last_checked: string | null;
  min_avail_gb: number | null;
  max_total_gb: number | null;
}

/** Every node (its host name whichever table layout holds it) with its group's name, in name order. */
export async function statusNodes(db: Db): Promise<StatusNodeRow[]> {
  const node = nodeRowSql(await layoutOf(db));
  return db.all<StatusNodeRow>(
    `SELECT ${node.columns}, g.name AS group_name FROM storagenode n${node.joins} JOIN storagegroup g ON g.id = n.group_id ORDER BY n.name`,
  );
}

/** Copies per node and state (present or suspect or corrupt: absent ones are left out), with bytes. */
export interface CopyTallyRow {
  node_id: number;
  has_file: string;
  wants_file: string;
  copies: number;
  bytes: number | string | null;
}

export function copyTallies(db: Db): Promise<CopyTallyRow[]> {
  return db.all<CopyTallyRow>(
    "SELECT c.node_id, c.has_file, c.wants_file, COUNT(*) AS copies, SUM(f.size_b) AS bytes FROM archivefilecopy c " +
      "JOIN archivefile f ON f.id = c.file_id WHERE c.has_file <> 'N' GROUP BY c.node_id, c.has_file, c.wants_file",
  );
}

/** Import requests not yet completed, per node. */
export function pendingImportsPerNode(db: Db): Promise<Array<{ node_id: number; requests: number }>> {
  return db.all("SELECT node_id, COUNT(*) AS requests FROM archivefileimportrequest WHERE completed = 0 GROUP BY node_id");
}

/** Copy requests neither completed nor cancelled, per destination group and source node, with bytes. */
export function pendingTransfersPerRoute(db: Db): Promise<Array<{ group_name: string; node_name: string; requests: number; bytes: number | string | null }>> {
  return db.all(
    "SELECT g.name AS group_name, n.name AS node_name, COUNT(*) AS requests, SUM(f.size_b) AS bytes FROM archivefilecopyrequest r " +
      "JOIN archivefile f ON f.id = r.file_id JOIN storagegroup g ON g.id = r.group_to_id JOIN storagenode n ON n.id = r.node_from_id " +
      "WHERE r.completed = 0 AND r.cancelled = 0 GROUP BY g.name, n.name ORDER BY g.name, n.name",
  );
}
