// StorageGroup queries: creating, listing, updating and renaming groups (the CLI), and the
// groups of the daemon's nodes.

import type { Db, Param } from "../driver/types.ts";
import type { StorageGroupRow } from "../rows.ts";
import { placeholders } from "./bulk-common.ts";

export interface NewGroup {
  name: string;
  io_class: string | null;
  notes: string | null;
  io_config: string | null;
}

export async function insertGroup(db: Db, g: NewGroup): Promise<number> {
  const r = await db.run("INSERT INTO storagegroup (name, io_class, notes, io_config) VALUES (?, ?, ?, ?)", [g.name, g.io_class, g.notes, g.io_config]);
  return r.lastInsertId;
}

/** All groups in database (id) order. */
export async function listGroups(db: Db): Promise<StorageGroupRow[]> {
  return db.all<StorageGroupRow>("SELECT * FROM storagegroup ORDER BY id");
}

/** The groups with the given ids, keyed by id. */
export async function groupsByIds(db: Db, ids: readonly number[]): Promise<Map<number, StorageGroupRow>> {
  const out = new Map<number, StorageGroupRow>();
  if (ids.length === 0) return out;
  const rows = await db.all<StorageGroupRow>(`SELECT * FROM storagegroup WHERE id IN (${placeholders(ids.length)})`, [...ids]);
  for (const r of rows) out.set(r.id, r);
  return out;
}

export type GroupUpdates = Partial<Record<"name" | "io_class" | "notes" | "io_config", string | null>>;

/** Write `updates` (column → value) to group `id`; nothing to write is a no-op. */
export async function updateGroup(db: Db, id: number, updates: GroupUpdates): Promise<void> {
  const cols = Object.keys(updates);
  if (cols.length === 0) return;
  await db.run(`UPDATE storagegroup SET ${cols.map((c) => `${c} = ?`).join(", ")} WHERE id = ?`, [
    ...(Object.values(updates) as Param[]),
    id,
  ]);
}
