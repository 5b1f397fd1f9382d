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
