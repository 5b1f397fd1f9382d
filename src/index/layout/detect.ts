// Telling the two "version 2" layouts apart. `dataindexversion` says 2 for both, so the
// layout is read from storagenode's columns and the table list, once per connection, and
// kept in the connection's facts. A half-done hand migration is refused in one line.

import { CliError } from "../../common/errors.ts";
import type { Db } from "../driver/types.ts";
import { listTables } from "../version.ts";
import { LAYOUT_632DD41, LAYOUT_MAIN, type ConnectionFacts, type Layout } from "./types.ts";

/** The index's tables match neither supported layout (exit 1, one line). */
export class LayoutError extends CliError {
  override name = "LayoutError";
}

/** The storagenode columns and the table that decide the layout, in the order we report them. */
const HOST_STRING_COLUMNS = ["host", "username", "address"] as const;
const DECIDING_COLUMNS = [...HOST_STRING_COLUMNS, "host_id", "storage_type", "archive"] as const;

const SUPPORTED =
  "alpenhorn 632dd41's (host, username, address, storage_type) or upstream main's (host_id with table storagehost, archive)";

/**
 * The layout that storagenode's `columns` and the database's `tables` describe; undefined when
 * there is no storagenode table (an index not initialised yet). Throws LayoutError otherwise.
 */
export function decideLayout(columns: readonly string[], tables: readonly string[]): Layout | undefined {
  if (!tables.includes("storagenode")) return undefined;
  const has = new Set(columns);
  const hostTable = tables.includes("storagehost");
  const hostStrings = HOST_STRING_COLUMNS.every((c) => has.has(c)) && !has.has("host_id") && !hostTable;
  const hostRecords = has.has("host_id") && hostTable && !HOST_STRING_COLUMNS.some((c) => has.has(c));
  const typeCode = has.has("storage_type") && !has.has("archive");
  const archiveFlag = has.has("archive") && !has.has("storage_type");
  if (hostStrings && typeCode) return LAYOUT_632DD41;
  if (hostRecords && archiveFlag) return LAYOUT_MAIN;
  const found = `storagenode has ${DECIDING_COLUMNS.filter((c) => has.has(c)).join(", ") || `none of ${DECIDING_COLUMNS.join(", ")}`}; table storagehost ${hostTable ? "present" : "absent"}`;
  // Upstream's one-day interim layout (1518526) is not supported, but named so the operator knows it.
  const what = hostStrings && archiveFlag ? "Unsupported Data Index layout (upstream 1518526's interim layout: " : "Unrecognised Data Index layout (";
  throw new LayoutError(`${what}${found}); expected ${SUPPORTED}.`);
}

/** Read the index's layout from its tables (no caching). */
export async function readLayout(db: Db): Promise<Layout | undefined> {
  const tables = await listTables(db);
  if (!tables.includes("storagenode")) return undefined;
  const columns = await db.all<{ name: string }>(db.dialect.listColumnsSql, ["storagenode"]);
  return decideLayout(columns.map((c) => String(c.name ?? Object.values(c)[0])), tables);
}

/**
 * Decide the connection's layout now (start-up calls this before the first query), and keep it.
 * An index without tables yet has no layout; it is decided again after `db init`.
 */
export async function detectLayout(db: Db): Promise<Layout | undefined> {
  const layout = await readLayout(db);
  factsOf(db).layout = layout;
  return layout;
}

/** The connection's facts; a database extension's driver written before they existed gets them here. */
function factsOf(db: Db): ConnectionFacts {
  const d = db as { facts?: ConnectionFacts };
  return (d.facts ??= {});
}

/** The layout start-up detected on this connection, if any (no query). */
export function knownLayout(db: Db): Layout | undefined {
  return factsOf(db).layout;
}

/** The connection's layout, detected on first need; an index without storagenode reads as 632dd41's. */
export async function layoutOf(db: Db): Promise<Layout> {
  return factsOf(db).layout ?? (await detectLayout(db)) ?? LAYOUT_632DD41;
}

/** Drop what the connection knew about its layout (after DDL changed it). */
export function forgetLayout(db: Db): void {
  factsOf(db).layout = undefined;
}
