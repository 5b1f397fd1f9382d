// StorageNode queries: creating, updating (the CLI's metadata commands, the daemon's free-space
// bookkeeping) and selecting nodes (`node list`, `node stats`, `group show`, the daemon's
// "my nodes").

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

export interface NodeFilter {
  active?: boolean;
  groupId?: number;
  host?: string;
}

/** WHERE clause (empty or " WHERE …") of the filter, on node alias `n`. */
function nodeWhere(f: NodeFilter): { sql: string; params: Param[] } {
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
  return { sql: where.length ? ` WHERE ${where.join(" AND ")}` : "", params };
}

/** The host is compared exactly: MySQL's _ci collation would also match other spellings. */
function exactHost<T extends StorageNodeRow>(rows: T[], f: NodeFilter): T[] {
  return f.host === undefined ? rows : rows.filter((r) => r.host === f.host);
}

/** Nodes matching the filter, in database (id) order. */
export async function selectNodes(db: Db, f: NodeFilter = {}): Promise<StorageNodeRow[]> {
  const where = nodeWhere(f);
  return exactHost(await db.all<StorageNodeRow>(`SELECT n.* FROM storagenode n${where.sql} ORDER BY n.id`, where.params), f);
}

export type NodeWithGroup = StorageNodeRow & { group_name: string };

/** Nodes with their group's name, filtered, in database (id) order. */
export async function listNodes(db: Db, f: NodeFilter = {}): Promise<NodeWithGroup[]> {
  const where = nodeWhere(f);
  const rows = await db.all<NodeWithGroup>(
    `SELECT n.*, g.name AS group_name FROM storagenode n JOIN storagegroup g ON n.group_id = g.id${where.sql} ORDER BY n.id`,
    where.params,
  );
  return exactHost(rows, f);
}

/** The member nodes of a group, in database (id) order. */
export function listGroupNodes(db: Db, groupId: number): Promise<StorageNodeRow[]> {
  return selectNodes(db, { groupId });
}

/** The daemon's nodes: active ones whose host is exactly `host`. */
export function activeNodesOnHost(db: Db, host: string): Promise<StorageNodeRow[]> {
  return selectNodes(db, { active: true, host });
}

export async function nodeActive(db: Db, nodeId: number): Promise<boolean> {
  const r = await db.get<{ active: number }>("SELECT active FROM storagenode WHERE id = ?", [nodeId]);
  return Boolean(r && Number(r.active));
}

/**
 * Free-space bookkeeping: `avail_gb` only when known, the check time always; no other column
 * is written (alpenhorn/db/storage.py: StorageNode.update_avail_gb at 632dd41).
 */
export async function updateAvailGb(db: Db, nodeId: number, availGb: number | null, checked: string): Promise<void> {
  if (availGb === null) await db.run("UPDATE storagenode SET avail_gb_last_checked = ? WHERE id = ?", [checked, nodeId]);
  else await db.run("UPDATE storagenode SET avail_gb = ?, avail_gb_last_checked = ? WHERE id = ?", [availGb, checked, nodeId]);
}
