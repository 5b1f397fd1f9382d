// The driver contract: one async interface over bun:sqlite and mysql2, so queries are
// written once. Placeholders are `?` on both; rows come back keyed by column name.

import type { Dialect } from "../dialect/types.ts";
import type { ConnectionFacts } from "../layout/types.ts";

export type Param = string | number | bigint | boolean | null;
export type Row = Record<string, unknown>;

export interface RunResult {
  /** Rows matched by an UPDATE/DELETE (both drivers count matched, not changed, rows). */
  readonly changes: number;
  readonly lastInsertId: number;
}

/** A database handle: the connection itself, or one bound to an open transaction. */
export interface Db {
  readonly dialect: Dialect;
  /** What this connection knows about its index (its table layout); the same object in its transactions. */
  readonly facts: ConnectionFacts;
  all<T = Row>(sql: string, params?: readonly Param[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: readonly Param[]): Promise<T | undefined>;
  /**
   * Rows as arrays of values in the order of the SELECT list (no object per row, no column
   * names): for reads of many rows, such as the audit's snapshot of a node's copies.
   */
  values(sql: string, params?: readonly Param[]): Promise<unknown[][]>;
  run(sql: string, params?: readonly Param[]): Promise<RunResult>;
  /**
   * The rows of a SELECT in chunks of about `chunkRows`, read from the database as they are
   * consumed, so a listing of millions of rows never sits in memory whole. Give every column a
   * distinct name (rows are keyed by column name). Leave the loop early only with `break` or a
   * throw: either closes the cursor. While it runs, other statements on the same handle wait
   * (SQLite) or use other connections (MySQL).
   */
  iterate<T = Row>(sql: string, params?: readonly Param[], chunkRows?: number): AsyncIterable<T[]>;
  /**
   * Run `fn` inside one write transaction: committed when it resolves, rolled back when it
   * throws. Calling it on a handle that is already in a transaction just runs `fn` there.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
}

/** Rows per chunk of `iterate` when the caller does not say. */
export const ITERATE_CHUNK_ROWS = 10_000;

export interface Driver extends Db {
  close(): Promise<void>;
}

/** Called with every statement before it runs (the CLI logs them at --debug). */
export type StatementTrace = (sql: string, params: readonly Param[]) => void;
