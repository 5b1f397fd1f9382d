// SQL of the tidy-up task: which acquisition directories to look at.

import type { Db } from "../driver/types.ts";

/** Names of all acquisitions (the tidy-up visits those that exist on the node). */
export async function allAcqNames(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>("SELECT name FROM archiveacq ORDER BY id");
  return rows.map((r) => r.name);
}
