// SQL of the node metadata commands: creating, listing, updating and renaming storage nodes,
// and the initialisation request `node create --init` files.

import { utcNow } from "../../common/time.ts";
import type { Db, Param } from "../driver/types.ts";
import type { StorageNodeRow, StorageType } from "../rows.ts";

export interface NewNode {
  name: string;
  root: string | null;
  host: string | null;
  username: string | null;
  address: string | null;
  io_class: string | null;
  group_id: number;
  active: boolean;
  auto_import: boolean;
  auto_verify: number;
  storage_type: StorageType;
  max_total_gb: number | null;
  min_avail_gb: number;
  notes: string | null;
  io_config: string | null;
}

/** Insert a node with every NOT NULL column supplied (the DDL has no defaults); returns its id. */
export async function insertNode(db: Db, n: NewNode): Promise<number> {
  const r = await db.run(
    `INSERT INTO storagenode (name, root, host, username, address, io_class, group_id, active, auto_import,
       auto_verify, storage_type, max_total_gb, min_avail_gb, avail_gb, avail_gb_last_checked, notes, io_config)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
    [
      n.name,
      n.root,
      n.host,
      n.username,
      n.address,
      n.io_class,
      n.group_id,
      n.active ? 1 : 0,
      n.auto_import ? 1 : 0,
      n.auto_verify,
      n.storage_type,
      n.max_total_gb,
      n.min_avail_gb,
      n.notes,
      n.io_config,
    ],
  );
  return r.lastInsertId;
}

export type NodeColumn =
  | "name" | "root" | "host" | "username" | "address" | "io_class" | "group_id" | "active" | "auto_import"
  | "auto_verify" | "storage_type" | "max_total_gb" | "min_avail_gb" | "notes" | "io_config";
export type NodeUpdates = Partial<Record<NodeColumn, string | number | null>>;

/** Write `updates` (column → value) to node `id`; nothing to write is a no-op. */
export async function updateNode(db: Db, id: number, updates: NodeUpdates): Promise<void> {
  const cols = Object.keys(updates);
  if (cols.length === 0) return;
  await db.run(`UPDATE storagenode SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`, [
    ...(Object.values(updates) as Param[]),
    id,
  ]);
}

export interface NodeListFilter {
  active?: boolean;
  groupId?: number;
  host?: string;
}

export type NodeWithGroup = StorageNodeRow & { group_name: string };

/** Nodes with their group's name, filtered, in database (id) order. Host matches exactly. */
export async function listNodes(db: Db, f: NodeListFilter = {}): Promise<NodeWithGroup[]> {
  const where: string[] = [];
  const params: Param[] = [];
  if (f.active !== undefined) {
    where.push("n.active = ?");
    params.push(f.active ? 1 : 0);
  }
  if (f.groupId !== undefined) {
    where.push("n.group_id = ?");
    params.push(f.groupId);
  }
  if (f.host !== undefined) {
    where.push("n.host = ?");
    params.push(f.host);
  }
  const rows = await db.all<NodeWithGroup>(
    `SELECT n.*, g.name AS group_name FROM storagenode n JOIN storagegroup g ON n.group_id = g.id
     ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY n.id`,
    params,
  );
  // MySQL's _ci collation would also match other spellings of the host.
  return f.host === undefined ? rows : rows.filter((r) => r.host === f.host);
}

/** File the node-initialisation request the daemon acts on (an AFIR for `ALPENHORN_NODE`). */
export async function requestNodeInit(db: Db, nodeId: number): Promise<void> {
  await db.run("INSERT INTO archivefileimportrequest (node_id, path, recurse, register, completed, timestamp) VALUES (?, 'ALPENHORN_NODE', 0, 0, 0, ?)", [
    nodeId,
    utcNow(),
  ]);
}
