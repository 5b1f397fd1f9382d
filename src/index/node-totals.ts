// Node totals: an optional table of copy counts and file bytes per (node, has_file, wants_file),
// kept current by triggers on archivefilecopy and archivefile, so `node stats`, `node show
// --stats` and `group show` read a few rows instead of joining every copy with its file (on an
// index of 1,000,000 copies that join alone takes 0.15–0.3 s).
//
// Triggers live in the database, so every writer keeps the totals current: our daemons and CLI,
// alpenhorn's Python ones, and hand-written SQL alike. They cost each copy write a few
// microseconds, which is why they are off until `alpenhorn db node-totals --enable`.

import type { Db } from "./driver/types.ts";
import { listTables } from "./version.ts";

export const NODE_TOTALS_TABLE = "alpenhorn_ts_node_totals";

const T = NODE_TOTALS_TABLE;
const KEY = ["node_id", "has_file", "wants_file"] as const;
const COLUMNS = [...KEY, "copies", "sized", "bytes"] as const;
const ADDED = ["copies", "sized", "bytes"] as const;

/** Whether the file of a copy (`row` is NEW or OLD) has a size, as 0/1, and its size or 0. */
const sizedOf = (row: string) => `(SELECT COUNT(size_b) FROM archivefile WHERE id = ${row}.file_id)`;
const bytesOf = (row: string) => `IFNULL((SELECT size_b FROM archivefile WHERE id = ${row}.file_id), 0)`;

function addCopy(db: Db, row: "NEW"): string {
  return db.dialect.upsertAdd(T, COLUMNS, KEY, ADDED, [`${row}.node_id`, `${row}.has_file`, `${row}.wants_file`, "1", sizedOf(row), bytesOf(row)]);
}

function removeCopy(row: "OLD"): string {
  return (
    `UPDATE ${T} SET copies = copies - 1, sized = sized - ${sizedOf(row)}, bytes = bytes - ${bytesOf(row)} ` +
    `WHERE node_id = ${row}.node_id AND has_file = ${row}.has_file AND wants_file = ${row}.wants_file`
  );
}

interface TriggerDef {
  name: string;
  event: "INSERT" | "UPDATE" | "DELETE";
  table: string;
  when: string | null;
  statements: (db: Db) => string[];
}

const TRIGGERS: readonly TriggerDef[] = [
  { name: `${T}_copy_insert`, event: "INSERT", table: "archivefilecopy", when: null, statements: (db) => [addCopy(db, "NEW")] },
  { name: `${T}_copy_delete`, event: "DELETE", table: "archivefilecopy", when: null, statements: () => [removeCopy("OLD")] },
  {
    name: `${T}_copy_update`,
    event: "UPDATE",
    table: "archivefilecopy",
    // Most copy updates (last_update, ready, size on disk) leave the totals alone.
    when: "OLD.node_id <> NEW.node_id OR OLD.file_id <> NEW.file_id OR OLD.has_file <> NEW.has_file OR OLD.wants_file <> NEW.wants_file",
    statements: (db) => [removeCopy("OLD"), addCopy(db, "NEW")],
  },
  {
    name: `${T}_file_size`,
    event: "UPDATE",
    table: "archivefile",
    // Null-safe "the size changed", written so both databases read it the same way.
    when: "(OLD.size_b IS NULL) <> (NEW.size_b IS NULL) OR OLD.size_b <> NEW.size_b",
    // A file has at most one copy per node, so each totals row is hit at most once.
    statements: () => [
      `UPDATE ${T} SET sized = sized - (OLD.size_b IS NOT NULL) + (NEW.size_b IS NOT NULL), ` +
        `bytes = bytes - IFNULL(OLD.size_b, 0) + IFNULL(NEW.size_b, 0) ` +
        `WHERE (node_id, has_file, wants_file) IN (SELECT node_id, has_file, wants_file FROM archivefilecopy WHERE file_id = NEW.id)`,
    ],
  },
];

export type NodeTotalsState = "on" | "off" | "partial";

/** "on" with the table and every trigger; "off" with none of them; "partial" otherwise. */
export async function nodeTotalsState(db: Db): Promise<NodeTotalsState> {
  const table = (await listTables(db)).includes(T);
  const triggers = new Set((await db.all<{ name: string }>(db.dialect.listTriggersSql)).map((r) => String(r.name)));
  const present = TRIGGERS.filter((t) => triggers.has(t.name)).length;
  if (table && present === TRIGGERS.length) return "on";
  if (!table && present === 0) return "off";
  return "partial";
}

/**
 * Create the table and triggers (replacing any left half-made) and count every copy into it.
 * The count runs in a write transaction after the triggers exist: writes committed before it
 * are in its snapshot, later ones go through the triggers, none is counted twice.
 */
export async function enableNodeTotals(db: Db): Promise<void> {
  await dropNodeTotals(db);
  try {
    await db.run(
      `CREATE TABLE ${T} (node_id INTEGER NOT NULL, has_file CHAR(1) NOT NULL, wants_file CHAR(1) NOT NULL, ` +
        `copies BIGINT NOT NULL, sized BIGINT NOT NULL, bytes BIGINT NOT NULL, PRIMARY KEY (node_id, has_file, wants_file))`,
    );
    for (const t of TRIGGERS) await db.run(db.dialect.createTrigger(t.name, t.event, t.table, t.when, t.statements(db)));
    await db.transaction(async (tx) => {
      await tx.run(`DELETE FROM ${T}`);
      await tx.run(`INSERT INTO ${T} (${COLUMNS.join(", ")}) ${RECOUNT_SQL}`);
    });
  } catch (err) {
    // E.g. MySQL refusing triggers to a user without the privilege: leave nothing half made.
    await dropNodeTotals(db).catch(() => undefined);
    throw err;
  }
}

/** Remove the triggers and the table (whatever part of them exists). */
export async function dropNodeTotals(db: Db): Promise<void> {
  const triggers = new Set((await db.all<{ name: string }>(db.dialect.listTriggersSql)).map((r) => String(r.name)));
  for (const t of TRIGGERS) if (triggers.has(t.name)) await db.run(`DROP TRIGGER ${db.dialect.quote(t.name)}`);
  if ((await listTables(db)).includes(T)) await db.run(`DROP TABLE ${T}`);
}

const RECOUNT_SQL =
  "SELECT c.node_id, c.has_file, c.wants_file, COUNT(*), COUNT(f.size_b), IFNULL(SUM(f.size_b), 0) " +
  "FROM archivefilecopy c LEFT JOIN archivefile f ON f.id = c.file_id GROUP BY c.node_id, c.has_file, c.wants_file";

export interface NodeTotalsRow {
  node_id: number;
  has_file: string;
  wants_file: string;
  copies: number;
  /** Copies whose file has a size. */
  sized: number;
  /** Σ their file sizes, as the database returns it (MySQL: text beyond 2^53). */
  bytes: number | string;
}

const toRow = (r: unknown[]): NodeTotalsRow => ({
  node_id: Number(r[0]),
  has_file: String(r[1]),
  wants_file: String(r[2]),
  copies: Number(r[3]),
  sized: Number(r[4]),
  bytes: typeof r[5] === "bigint" ? String(r[5]) : (r[5] as number | string),
});

/** The stored totals of some nodes (rows with no copies left are skipped). */
export async function readNodeTotals(db: Db, nodeIds: readonly number[]): Promise<NodeTotalsRow[]> {
  if (nodeIds.length === 0) return [];
  const rows = await db.values(
    `SELECT ${COLUMNS.join(", ")} FROM ${T} WHERE node_id IN (${nodeIds.map(() => "?").join(", ")}) AND copies <> 0`,
    [...nodeIds],
  );
  return rows.map(toRow);
}

/** Rows where the stored totals differ from a recount of the copies, each with both versions. */
export async function nodeTotalsDrift(db: Db): Promise<Array<{ stored: NodeTotalsRow | null; counted: NodeTotalsRow | null }>> {
  const key = (r: NodeTotalsRow) => `${r.node_id}/${r.has_file}/${r.wants_file}`;
  const stored = new Map((await db.values(`SELECT ${COLUMNS.join(", ")} FROM ${T} WHERE copies <> 0 OR sized <> 0 OR bytes <> 0`)).map((r) => [key(toRow(r)), toRow(r)]));
  const counted = new Map((await db.values(RECOUNT_SQL)).map((r) => [key(toRow(r)), toRow(r)]));
  const out: Array<{ stored: NodeTotalsRow | null; counted: NodeTotalsRow | null }> = [];
  for (const k of new Set([...stored.keys(), ...counted.keys()])) {
    const s = stored.get(k) ?? null;
    const c = counted.get(k) ?? null;
    if (!s || !c || s.copies !== c.copies || s.sized !== c.sized || String(s.bytes) !== String(c.bytes)) out.push({ stored: s, counted: c });
  }
  return out;
}
