// The one place that knows how storagenode's host and role are stored in each table layout.
// Every query reads a node as 632dd41's row shape (`host`, `username`, `address` strings and a
// `storage_type` code), whatever the layout, and writes through `nodeWriteValues`, so the rest
// of the code sees one StorageNodeRow on both. On upstream main's layout:
// - `host`, `username`, `address` are the storagehost row's `name`, `username`, `address`;
// - `storage_type` reads 'A' for an archive node and 'T' otherwise: main knows only
//   "archive or not", and its Transport groups take every non-archive node.

import { CliError } from "../../common/errors.ts";
import type { Db, Param } from "../driver/types.ts";
import type { Layout } from "./types.ts";

/** Columns of storagenode that are the same in both layouts, in table order around the differing ones. */
const SHARED_BEFORE = ["id", "name", "root"] as const;
const SHARED_MIDDLE = ["io_class", "group_id", "active", "auto_import", "auto_verify"] as const;
const SHARED_AFTER = ["max_total_gb", "min_avail_gb", "avail_gb", "avail_gb_last_checked", "notes", "io_config"] as const;

/** The alias of the joined storagehost row of node alias `n`. */
const hostAlias = (n: string) => `${n}_host`;

/**
 * The SELECT list reading node alias `n` as a StorageNodeRow, and the JOIN it needs after
 * `FROM storagenode n` (empty on 632dd41's layout).
 */
export function nodeRowSql(layout: Layout, n = "n"): { columns: string; joins: string } {
  if (layout.hosts === "strings" && layout.archive === "storage_type") return { columns: `${n}.*`, joins: "" };
  const h = hostAlias(n);
  const col = (c: string) => `${n}.${c}`;
  const hostCols =
    layout.hosts === "strings"
      ? ["host", "username", "address"].map(col)
      : [`${h}.name AS host`, `${h}.username AS username`, `${h}.address AS address`, `${n}.host_id AS host_id`];
  const columns = [
    ...SHARED_BEFORE.map(col),
    ...hostCols,
    ...SHARED_MIDDLE.map(col),
    `${storageTypeExpr(layout, n)} AS storage_type`,
    ...SHARED_AFTER.map(col),
  ].join(", ");
  const joins = layout.hosts === "records" ? ` LEFT JOIN storagehost ${h} ON ${h}.id = ${n}.host_id` : "";
  return { columns, joins };
}

/** SQL expression of node alias `n`'s storage-type code. */
function storageTypeExpr(layout: Layout, n: string): string {
  return layout.archive === "storage_type" ? `${n}.storage_type` : `CASE WHEN ${n}.archive <> 0 THEN 'A' ELSE 'T' END`;
}

/** SQL condition "node alias `n` is an archive node". */
export function archiveNodeSql(layout: Layout, n = "n"): string {
  return layout.archive === "storage_type" ? `${n}.storage_type = 'A'` : `${n}.archive <> 0`;
}

/** SQL condition "node alias `n`'s host is named ?" (its JOIN from nodeRowSql must be present). */
export function nodeHostIsSql(layout: Layout, n = "n"): string {
  return layout.hosts === "strings" ? `${n}.host = ?` : `${hostAlias(n)}.name = ?`;
}

/** A host named in a node write that has no storagehost row (upstream main's `no such host: X`). */
export class NoSuchHostError extends CliError {
  override name = "NoSuchHostError";
  constructor(readonly host: string) {
    super(`no such host: ${host}`);
  }
}

/** A write of log-in details to a node where they belong to the host row (main's layout). */
export class HostDetailsOnNodeError extends CliError {
  override name = "HostDetailsOnNodeError";
}

/** The id of the storagehost row named exactly `name` (MySQL's _ci collation would match others). */
export async function hostIdByName(db: Db, name: string): Promise<number | undefined> {
  const rows = await db.all<{ id: number; name: string }>("SELECT id, name FROM storagehost WHERE name = ?", [name]);
  const row = rows.find((r) => r.name === name);
  return row ? Number(row.id) : undefined;
}

/** Node values keyed by 632dd41's column names (what the rest of the code writes). */
export type LogicalNodeValues = Record<string, Param | undefined>;

/**
 * The physical storagenode columns and values that store `values` in `layout`: on main's, a
 * host name becomes its row's id (NoSuchHostError if none), the role becomes `archive`, and
 * log-in details are refused (they are the host row's).
 */
export async function nodeWriteValues(db: Db, layout: Layout, values: LogicalNodeValues): Promise<Array<[string, Param]>> {
  const out: Array<[string, Param]> = [];
  for (const [column, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (column === "storage_type" && layout.archive === "flag") out.push(["archive", value === "A" ? 1 : 0]);
    else if (column === "host" && layout.hosts === "records") {
      if (value === null) out.push(["host_id", null]);
      else {
        const id = await hostIdByName(db, String(value));
        if (id === undefined) throw new NoSuchHostError(String(value));
        out.push(["host_id", id]);
      }
    } else if ((column === "username" || column === "address") && layout.hosts === "records") {
      if (value !== null) throw new HostDetailsOnNodeError(`a node's ${column} is its host's on this Data Index (upstream main's layout): use "alpenhorn host modify"`);
    } else out.push([column, value]);
  }
  return out;
}
