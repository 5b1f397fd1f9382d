// MySQL/MariaDB's side of every SQL difference (see dialect/types.ts).

import type { IndexErrorKind } from "../../common/errors.ts";
import type { ColumnDef, IndexDef, TableDef } from "../schema.ts";
import { valueRows, type Dialect } from "./types.ts";

const quote = (id: string) => `\`${id.replaceAll("`", "``")}\``;

function columnType(column: ColumnDef): string {
  const t = column.type;
  switch (t.kind) {
    case "int":
      return "INTEGER";
    case "bigint":
      return "BIGINT";
    case "bool":
      return "BOOL";
    case "varchar":
      return `VARCHAR(${t.length})`;
    case "text":
      return "TEXT";
    case "float":
      return "FLOAT";
    case "datetime":
      return "DATETIME";
    case "enum":
      return `enum(${t.values.map((v) => `'${v}'`).join(", ")})`;
  }
}

/** Server error numbers that mean the session is gone and a retry on a new one is safe. */
const CONNECTION_LOST = new Set(["PROTOCOL_CONNECTION_LOST", "ECONNRESET", "EPIPE", "ER_SERVER_SHUTDOWN", "ER_CON_COUNT_ERROR"]);
const UNAVAILABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ER_ACCESS_DENIED_ERROR", "ER_BAD_DB_ERROR"]);

export const mysqlDialect: Dialect = {
  name: "mysql",
  quote,
  columnType,
  createTable(table: TableDef): string {
    const cols = [`${quote("id")} INTEGER AUTO_INCREMENT NOT NULL PRIMARY KEY`];
    for (const c of table.columns) cols.push(`${quote(c.name)} ${columnType(c)}${c.nullable ? "" : " NOT NULL"}`);
    for (const c of table.columns)
      if (c.references) cols.push(`FOREIGN KEY (${quote(c.name)}) REFERENCES ${quote(c.references)} (${quote("id")})`);
    return `CREATE TABLE IF NOT EXISTS ${quote(table.name)} (${cols.join(", ")})`;
  },
  createIndex(table: TableDef, index: IndexDef): string {
    const cols = index.columns.map(quote).join(", ");
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quote(index.name)} ON ${quote(table.name)} (${cols})`;
  },
  insertIgnore: (table) => `INSERT IGNORE INTO ${quote(table)}`,
  // MySQL finds the conflicting unique index itself; `conflict` only documents which one.
  upsert: (table, columns, _conflict, update, rows = 1) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES ${valueRows(columns.length, rows)} ` +
    `ON DUPLICATE KEY UPDATE ${update.map((c) => `${quote(c)} = VALUES(${quote(c)})`).join(", ")}`,
  // A multi-table UPDATE joined to a derived table of the rows (UNION ALL: MariaDB and MySQL
  // both take it, unlike their different VALUES-table syntaxes).
  updateByKey: (table, key, columns, rows, also = []) => {
    const first = `SELECT ? AS k, ${columns.map((_, i) => `? AS v${i}`).join(", ")}`;
    const rest = ` UNION ALL SELECT ${Array(columns.length + 1).fill("?").join(", ")}`.repeat(Math.max(0, rows - 1));
    const t = quote(table);
    return (
      `UPDATE ${t} JOIN (${first}${rest}) AS v ON ${t}.${quote(key)} = v.k ` +
      `SET ${[...also.map((a) => `${t}.${a}`), ...columns.map((c, i) => `${t}.${quote(c)} = v.v${i}`)].join(", ")}`
    );
  },
  upsertAdd: (table, columns, _conflict, add, values) =>
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${values.join(", ")}) ` +
    `ON DUPLICATE KEY UPDATE ${add.map((c) => `${quote(c)} = ${quote(c)} + VALUES(${quote(c)})`).join(", ")}`,
  // No WHEN clause on MySQL triggers: the condition becomes an IF around the body.
  createTrigger: (name, event, table, when, statements) => {
    const body = statements.map((s) => `${s}; `).join("");
    return `CREATE TRIGGER ${quote(name)} AFTER ${event} ON ${quote(table)} FOR EACH ROW BEGIN ${when ? `IF ${when} THEN ${body}END IF; ` : body}END`;
  },
  listTriggersSql: "SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = DATABASE() ORDER BY trigger_name",
  joinInOrder: "STRAIGHT_JOIN",
  randomOrder: "RAND()",
  // Locks the rows read until the transaction ends; a locking read sees the latest commits.
  lockRows: " FOR UPDATE",
  beginTransaction: "START TRANSACTION",
  maxParams: 65535,
  listTablesSql: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name",
  listColumnsSql:
    "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
  listIndexesSql: "SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?",
  listForeignKeysSql:
    "SELECT constraint_name AS name FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ? AND referenced_table_name IS NOT NULL",
  uniqueNamesIgnoreCase: true,
  transactionalDdl: false,
  classifyError(err: unknown): IndexErrorKind {
    const code = String((err as { code?: unknown })?.code ?? "");
    if (code === "ER_DUP_ENTRY") return "conflict";
    if (code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT") return "busy";
    if (CONNECTION_LOST.has(code)) return "connection-lost";
    if (UNAVAILABLE.has(code)) return "unavailable";
    if (code === "ER_NO_SUCH_TABLE" || code === "ER_BAD_FIELD_ERROR") return "schema";
    return "other";
  },
};
