// StorageNode queries: creating, updating (the CLI's metadata commands, the daemon's free-space
// bookkeeping) and selecting nodes (`node list`, `node stats`, `group show`, the daemon's
// "my nodes").

import type { Db, Param } from "../driver/types.ts";
import { layoutOf } from "../layout/detect.ts";
import { nodeHostIsSql, nodeRowSql, nodeWriteValues } from "../layout/node-columns.ts";
import type { Layout } from "../layout/types.ts";
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

/**
 * Insert a node with every NOT NULL column supplied (the DDL has no defaults); returns its id.
 * On upstream main's layout `host` must name a storagehost row (NoSuchHostError).
 */
export async function insertNode(db: Db, n: NewNode): Promise<number> {
  const values = await nodeWriteValues(db, await layoutOf(db), {
    name: n.name,
    root: n.root,
    host: n.host,
    username: n.username,
    address: n.address,
    io_class: n.io_class,
    group_id: n.group_id,
    active: n.active ? 1 : 0,
    auto_import: n.auto_import ? 1 : 0,
    auto_verify: n.auto_verify,
    storage_type: n.storage_type,
    max_total_gb: n.max_total_gb,
    min_avail_gb: n.min_avail_gb,
    avail_gb: null,
    avail_gb_last_checked: null,
    notes: n.notes,
    io_config: n.io_config,
  });
  const r = await db.run(
    `INSERT INTO storagenode (${values.map(([c]) => c).join(", ")}) VALUES (${values.map(() => "?").join(", ")})`,
    values.map(([, v]) => v),
  );
  return r.lastInsertId;
}

export type NodeColumn =
  | "name" | "root" | "host" | "username" | "address" | "io_class" | "group_id" | "active" | "auto_import"
  | "auto_verify" | "storage_type" | "max_total_gb" | "min_avail_gb" | "notes" | "io_config";
export type NodeUpdates = Partial<Record<NodeColumn, string | number | null>>;

/** Write `updates` (column → value, 632dd41's column names) to node `id`; nothing to write is a no-op. */
export async function updateNode(db: Db, id: number, updates: NodeUpdates): Promise<void> {
  const values = await nodeWriteValues(db, await layoutOf(db), updates);
  if (values.length === 0) return;
  await db.run(`UPDATE storagenode SET ${values.map(([c]) => `${c} = ?`).join(", ")} WHERE id = ?`, [...values.map(([, v]) => v), id]);
}

export interface NodeFilter {
  active?: boolean;
  groupId?: number;
  host?: string;
}

/** WHERE clause (empty or " WHERE …") of the filter, on node alias `n`. */
function nodeWhere(layout: Layout, f: NodeFilter): { sql: string; params: Param[] } {
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
    where.push(nodeHostIsSql(layout, "n"));
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
  const layout = await layoutOf(db);
  const where = nodeWhere(layout, f);
  const node = nodeRowSql(layout, "n");
  return exactHost(await db.all<StorageNodeRow>(`SELECT ${node.columns} FROM storagenode n${node.joins}${where.sql} ORDER BY n.id`, where.params), f);
}

export type NodeWithGroup = StorageNodeRow & { group_name: string };

/** Nodes with their group's name, filtered, in database (id) order. */
export async function listNodes(db: Db, f: NodeFilter = {}): Promise<NodeWithGroup[]> {
  const layout = await layoutOf(db);
  const where = nodeWhere(layout, f);
  const node = nodeRowSql(layout, "n");
  const rows = await db.all<NodeWithGroup>(
    `SELECT ${node.columns}, g.name AS group_name FROM storagenode n${node.joins} JOIN storagegroup g ON n.group_id = g.id${where.sql} ORDER BY n.id`,
    where.params,
  );
  return exactHost(rows, f);
}

/** Nodes with the given ids (any order), keyed by id. */
export async function nodesByIds(db: Db, ids: readonly number[]): Promise<Map<number, StorageNodeRow>> {
  const out = new Map<number, StorageNodeRow>();
  if (ids.length === 0) return out;
  const node = nodeRowSql(await layoutOf(db), "n");
  const rows = await db.all<StorageNodeRow>(`SELECT ${node.columns} FROM storagenode n${node.joins} WHERE n.id IN (${ids.map(() => "?").join(", ")})`, [...ids]);
  for (const r of rows) out.set(Number(r.id), r);
  return out;
}

/** The node with id `id`. */
export async function getNodeById(db: Db, id: number): Promise<StorageNodeRow | undefined> {
  return (await nodesByIds(db, [id])).get(id);
}

/** The node named exactly `name` (MySQL's _ci collation would also match other spellings). */
export async function getNodeByName(db: Db, name: string): Promise<StorageNodeRow | undefined> {
  const node = nodeRowSql(await layoutOf(db), "n");
  const rows = await db.all<StorageNodeRow>(`SELECT ${node.columns} FROM storagenode n${node.joins} WHERE n.name = ?`, [name]);
  return rows.find((r) => r.name === name);
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
