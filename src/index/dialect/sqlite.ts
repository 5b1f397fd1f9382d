// SQLite's side of every SQL difference (see dialect/types.ts).

import type { IndexErrorKind } from "../../common/errors.ts";
import type { ColumnDef, IndexDef, TableDef } from "../schema.ts";
import { valueRows, type Dialect } from "./types.ts";

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

function columnType(column: ColumnDef): string {
  const t = column.type;
  switch (t.kind) {
    case "int":
    case "bigint":
    case "bool":
      return "INTEGER";
    case "varchar":
      return `VARCHAR(${t.length})`;
    case "text":
      return "TEXT";
    case "float":
      return "REAL";
    case "datetime":
      return "DATETIME";
    case "enum":
      // The ORM wrote its unknown type name verbatim; SQLite stores the codes as 1-char text.
      return "string(1)";
  }
}

export const sqliteDialect: Dialect = {
  name: "sqlite",
  quote,
  columnType,
  createTable(table: TableDef): string {
    const cols = [`${quote("id")} INTEGER NOT NULL PRIMARY KEY`];
    for (const c of table.columns) cols.push(`${quote(c.name)} ${columnType(c)}${c.nullable ? "" : " NOT NULL"}`);
    for (const c of table.columns)
      if (c.references) cols.push(`FOREIGN KEY (${quote(c.name)}) REFERENCES ${quote(c.references)} (${quote("id")})`);
    return `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (${cols.join(", ")})`;
  },
  createIndex(table: TableDef, index: IndexDef): string {
    const cols = index.columns.map(quote).join(", ");
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${quote(index.name)} ON ${quote(table.name)} (${cols})`;
  },
  insertIgnore: (table) => `INSERT OR IGNORE INTO ${quote(table)}`,
  upsert: (table, columns, conflict, update, rows = 1) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${valueRows(columns.length, rows)} ` +
    `ON CONFLICT (${conflict.map(quote).join(", ")}) DO UPDATE SET ${update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(", ")}`,
  // UPDATE … FROM (SQLite 3.33+); a VALUES table names its columns column1, column2, …
  updateByKey: (table, key, columns, rows, also = []) =>
    `UPDATE ${quote(table)} SET ${[...also, ...columns.map((c, i) => `${quote(c)} = v.column${i + 2}`)].join(", ")} ` +
    `FROM (VALUES ${valueRows(columns.length + 1, rows)}) AS v WHERE ${quote(table)}.${quote(key)} = v.column1`,
  upsertAdd: (table, columns, conflict, add, values) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${values.join(", ")}) ` +
    `ON CONFLICT (${conflict.map(quote).join(", ")}) DO UPDATE SET ${add.map((c) => `${quote(c)} = ${quote(c)} + excluded.${quote(c)}`).join(", ")}`,
  createTrigger: (name, event, table, when, statements) =>
    `CREATE TRIGGER ${quote(name)} AFTER ${event} ON ${quote(table)} FOR EACH ROW ${when ? `WHEN ${when} ` : ""}BEGIN ${statements.map((s) => `${s}; `).join("")}END`,
  listTriggersSql: "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
  joinInOrder: "CROSS JOIN",
  randomOrder: "RANDOM()",
  // A write transaction (BEGIN IMMEDIATE) already excludes every other writer.
  lockRows: "",
  beginTransaction: "BEGIN IMMEDIATE",
  maxParams: 32766,
  listTablesSql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
  listColumnsSql: "SELECT name FROM pragma_table_info(?) ORDER BY cid",
  listIndexesSql: "SELECT name FROM pragma_index_list(?)",
  listForeignKeysSql: `SELECT id AS name FROM pragma_foreign_key_list(?) WHERE "from" = ?`,
  uniqueNamesIgnoreCase: false,
  transactionalDdl: true,
  classifyError(err: unknown): IndexErrorKind {
    const code = String((err as { code?: unknown })?.code ?? "");
    const msg = String((err as { message?: unknown })?.message ?? "");
    if (code.startsWith("SQLITE_CONSTRAINT_UNIQUE") || code.startsWith("SQLITE_CONSTRAINT_PRIMARYKEY")) return "conflict";
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return "busy";
    if (code.startsWith("SQLITE_CANTOPEN") || /unable to open database/.test(msg)) return "unavailable";
    if (/no such (table|column)/.test(msg)) return "schema";
    return "other";
  },
};
