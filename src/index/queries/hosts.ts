// StorageHost queries (upstream main's layout only): looking hosts up by name, and whether
// the daemon's host has a record.

import type { Db } from "../driver/types.ts";
import { layoutOf } from "../layout/detect.ts";
import type { StorageHostRow } from "../rows.ts";

/** The host named exactly `name` (MySQL's _ci collation would also match other spellings). */
export async function getHostByName(db: Db, name: string): Promise<StorageHostRow | undefined> {
  const rows = await db.all<StorageHostRow>("SELECT * FROM storagehost WHERE name = ?", [name]);
  return rows.find((r) => r.name === name);
}

/**
 * True when the index keeps host records (main's layout) and none is named `name`: a daemon
 * there cannot find its nodes. On 632dd41's layout a host is only a string, never missing.
 */
export async function hostRecordMissing(db: Db, name: string): Promise<boolean> {
  if ((await layoutOf(db)).hosts === "strings") return false;
  return (await getHostByName(db, name)) === undefined;
}

export interface NewHost {
  name: string;
  username: string | null;
  address: string | null;
  notes: string | null;
}

export async function insertHost(db: Db, h: NewHost): Promise<number> {
  const r = await db.run("INSERT INTO storagehost (name, username, address, notes) VALUES (?, ?, ?, ?)", [h.name, h.username, h.address, h.notes]);
  return r.lastInsertId;
}

export type HostWithNodeCount = StorageHostRow & { node_count: number };

/** Every host with the number of nodes on it, in database (id) order. */
export async function listHostsWithNodeCounts(db: Db): Promise<HostWithNodeCount[]> {
  const rows = await db.all<HostWithNodeCount>(
    "SELECT h.*, (SELECT COUNT(*) FROM storagenode n WHERE n.host_id = h.id) AS node_count FROM storagehost h ORDER BY h.id",
  );
  return rows.map((r) => ({ ...r, node_count: Number(r.node_count) }));
}

export type HostUpdates = Partial<Record<"name" | "username" | "address" | "notes", string | null>>;

/** Write `updates` (column → value) to host `id`; nothing to write is a no-op. Returns rows matched. */
export async function updateHost(db: Db, id: number, updates: HostUpdates): Promise<number> {
  const cols = Object.keys(updates);
  if (cols.length === 0) return 0;
  const r = await db.run(`UPDATE storagehost SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`, [
    ...(Object.values(updates) as Array<string | null>),
    id,
  ]);
  return r.changes;
}

/** Names of the nodes on host `id`, in database (id) order. */
export async function nodeNamesOnHost(db: Db, id: number): Promise<string[]> {
  const rows = await db.all<{ name: string }>("SELECT name FROM storagenode WHERE host_id = ? ORDER BY id", [id]);
  return rows.map((r) => r.name);
}

/** Take every node off host `id` (host_id NULL); returns how many there were. */
export async function detachNodesFromHost(db: Db, id: number): Promise<number> {
  return (await db.run("UPDATE storagenode SET host_id = NULL WHERE host_id = ?", [id])).changes;
}

/** Delete host `id`; returns the rows deleted (0 or 1). */
export async function deleteHost(db: Db, id: number): Promise<number> {
  return (await db.run("DELETE FROM storagehost WHERE id = ?", [id])).changes;
}
