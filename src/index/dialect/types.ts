// The Dialect contract: every difference between SQLite and MySQL/MariaDB SQL lives
// behind these members, one object per database. Queries never test a dialect's name.

import type { IndexErrorKind } from "../../common/errors.ts";
import type { ColumnDef, IndexDef, TableDef } from "../schema.ts";

export type DialectName = "sqlite" | "mysql";

export interface Dialect {
  readonly name: DialectName;
  /** Quote an identifier. */
  quote(identifier: string): string;
  /** DDL type of a column (enum native on MySQL, `string(1)` on SQLite, as alpenhorn's ORM emits). */
  columnType(column: ColumnDef): string;
  /** `CREATE TABLE IF NOT EXISTS …` for a table, byte-identical to the original's DDL. */
  createTable(table: TableDef): string;
  /** `CREATE [UNIQUE] INDEX …` (SQLite adds IF NOT EXISTS; MySQL has none). */
  createIndex(table: TableDef, index: IndexDef): string;
  /** `INSERT … ` prefix that silently skips rows violating a unique index. */
  insertIgnore(table: string): string;
  /**
   * An INSERT of one row that, when `conflict` (a unique index's columns) already exists,
   * updates `update` columns to the new values instead. Placeholders follow `columns`' order.
   */
  /** `rows` rows of `columns` values (placeholders row after row). */
  upsert(table: string, columns: readonly string[], conflict: readonly string[], update: readonly string[], rows?: number): string;
  /**
   * An UPDATE of `rows` rows of `table`, each found by its `key` column and given its own values
   * of `columns` (placeholders row after row: the key, then `columns`' values), all rows also
   * given the fixed `also` assignments (SQL, e.g. `completed = 1`). One statement for many rows
   * with different values, joined by key: a `CASE key WHEN … THEN …` per column costs a scan of
   * its WHEN list for every row, quadratic in the batch.
   */
  updateByKey(table: string, key: string, columns: readonly string[], rows: number, also?: readonly string[]): string;
  /**
   * An INSERT of one row of SQL expressions (`values`, e.g. `NEW.node_id` in a trigger) that,
   * when the `conflict` columns' unique key already exists, adds the new row's `add` columns to
   * the stored ones instead.
   */
  upsertAdd(table: string, columns: readonly string[], conflict: readonly string[], add: readonly string[], values: readonly string[]): string;
  /**
   * `CREATE TRIGGER` that runs `statements` after each `event` row of `table`, only for rows
   * where `when` (an expression over OLD/NEW) holds, if given.
   */
  createTrigger(name: string, event: "INSERT" | "UPDATE" | "DELETE", table: string, when: string | null, statements: readonly string[]): string;
  /** Names of the triggers of the current database (one column `name`). */
  readonly listTriggersSql: string;
  /**
   * Join keyword that makes the planner read the tables in the order written (SQLite: CROSS
   * JOIN; MySQL: STRAIGHT_JOIN), for a listing whose index order is its ORDER BY.
   */
  readonly joinInOrder: string;
  /** ORDER BY expression for a random row order. */
  readonly randomOrder: string;
  /**
   * Suffix of a SELECT inside a write transaction that keeps the rows it read from changing
   * until the transaction ends (so a check and the write that depends on it cannot race).
   */
  readonly lockRows: string;
  /** Statement that opens a write transaction. */
  readonly beginTransaction: string;
  /** Largest number of bound parameters one statement may carry (for chunked bulk work). */
  readonly maxParams: number;
  /** Query listing the names of the tables of the current database (one column `name`). */
  readonly listTablesSql: string;
  /** Query listing the columns (one column `name`, in table order) of the table bound to its one `?`. */
  readonly listColumnsSql: string;
  /** Query listing the index names (one column `name`) of the table bound to its one `?`. */
  readonly listIndexesSql: string;
  /** Query listing the foreign-key constraint names (column `name`) of table `?` on column `?`. */
  readonly listForeignKeysSql: string;
  /** Whether unique indexes on names ignore case and trailing blanks (MySQL's _ci collations). */
  readonly uniqueNamesIgnoreCase: boolean;
  /**
   * Whether DDL takes part in transactions (SQLite) or commits implicitly (MySQL): a schema
   * change is one transaction on the first, a sequence of re-runnable steps on the second.
   */
  readonly transactionalDdl: boolean;
  /** Map a driver error to a neutral kind, which the retry policy and messages read. */
  classifyError(err: unknown): IndexErrorKind;
}

/** `(?, ?), (?, ?)`: `rows` parenthesised rows of `columns` placeholders (the same in both dialects). */
export function valueRows(columns: number, rows: number): string {
  const row = `(${new Array<string>(columns).fill("?").join(", ")})`;
  return new Array<string>(rows).fill(row).join(", ");
}
