// Names for shell completion: every node, group or acquisition name, in name order.

import type { Db } from "../driver/types.ts";

export type NameKind = "node" | "group" | "acq";

const TABLE: Record<NameKind, string> = { node: "storagenode", group: "storagegroup", acq: "archiveacq" };

export async function namesOf(db: Db, kind: NameKind): Promise<string[]> {
  const rows = await db.all<{ name: string }>(`SELECT name FROM ${TABLE[kind]} ORDER BY name`);
  return rows.map((r) => r.name);
}
