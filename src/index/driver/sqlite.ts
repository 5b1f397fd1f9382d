// bun:sqlite behind the async Driver contract. One connection per process: statements
// outside a transaction wait while another async flow holds one open, because a
// single SQLite connection cannot keep two transactions apart.

import { Database } from "bun:sqlite";
import { IndexError } from "../../common/errors.ts";
import { sqliteDialect } from "../dialect/sqlite.ts";
import type { ConnectionFacts } from "../layout/types.ts";
import { ITERATE_CHUNK_ROWS, type Db, type Driver, type Param, type Row, type RunResult, type StatementTrace } from "./types.ts";

export interface SqliteOptions {
  /** File path, or ":memory:". */
  readonly path: string;
  readonly trace?: StatementTrace;
}

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 30_000;

export function openSqlite(opts: SqliteOptions): Driver {
  let db: Database;
  try {
    db = new Database(opts.path, { create: true, readwrite: true });
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (err) {
    throw new IndexError(`Database read error: ${(err as Error).message}`, "unavailable", err);
  }
  return new SqliteDriver(db, opts.trace);
}

class SqliteDriver implements Driver {
  readonly dialect = sqliteDialect;
  readonly facts: ConnectionFacts = {};
  /** Settles when the transaction now open (if any) ends. */
  private txDone: Promise<void> = Promise.resolve();
  private txDepth = 0;

  constructor(
    private readonly db: Database,
    private readonly trace?: StatementTrace,
  ) {}

  private exec<T>(sql: string, params: readonly Param[], op: (q: ReturnType<Database["query"]>) => T): T {
    this.trace?.(sql, params);
    try {
      return op(this.db.query(sql));
    } catch (err) {
      throw wrap(err);
    }
  }

  private allNow<T>(sql: string, params: readonly Param[] = []): T[] {
    return this.exec(sql, params, (q) => q.all(...(params as Param[])) as T[]);
  }
  private valuesNow(sql: string, params: readonly Param[] = []): unknown[][] {
    return this.exec(sql, params, (q) => q.values(...(params as Param[])) as unknown[][]);
  }
  private runNow(sql: string, params: readonly Param[] = []): RunResult {
    return this.exec(sql, params, (q) => {
      const r = q.run(...(params as Param[]));
      return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
    });
  }

  /** Chunks from a statement of its own (a cached one has one cursor shared by every use). */
  private *chunksNow<T>(sql: string, params: readonly Param[], chunkRows: number): Generator<T[]> {
    this.trace?.(sql, params);
    let stmt: ReturnType<Database["prepare"]>;
    try {
      stmt = this.db.prepare(sql);
    } catch (err) {
      throw wrap(err);
    }
    try {
      let rows: Iterator<unknown>;
      try {
        rows = stmt.iterate(...(params as Param[]));
      } catch (err) {
        throw wrap(err);
      }
      let chunk: T[] = [];
      for (;;) {
        let r: IteratorResult<unknown>;
        try {
          r = rows.next();
        } catch (err) {
          throw wrap(err);
        }
        if (r.done) break;
        chunk.push(r.value as T);
        if (chunk.length >= chunkRows) {
          yield chunk;
          chunk = [];
        }
      }
      if (chunk.length) yield chunk;
    } finally {
      stmt.finalize();
    }
  }

  /** A handle bound to the open transaction: it must not wait for its own transaction. */
  private readonly inTx: Db = {
    dialect: sqliteDialect,
    facts: this.facts,
    all: async <T = Row>(sql: string, params?: readonly Param[]) => this.allNow<T>(sql, params),
    get: async <T = Row>(sql: string, params?: readonly Param[]) => this.allNow<T>(sql, params)[0],
    values: async (sql: string, params?: readonly Param[]) => this.valuesNow(sql, params),
    run: async (sql: string, params?: readonly Param[]) => this.runNow(sql, params),
    iterate: <T = Row>(sql: string, params: readonly Param[] = [], chunkRows = ITERATE_CHUNK_ROWS) => toAsync(this.chunksNow<T>(sql, params, chunkRows)),
    transaction: <T>(fn: (tx: Db) => Promise<T>) => fn(this.inTx),
  };

  // Each public method waits in its own loop and then acts in the same synchronous step as its
  // last check: with a helper to await, another flow could open a transaction in between, and
  // the statement would run inside it (or a second BEGIN would fail).
  async all<T = Row>(sql: string, params?: readonly Param[]): Promise<T[]> {
    while (this.txDepth > 0) await this.txDone;
    return this.allNow<T>(sql, params);
  }
  async get<T = Row>(sql: string, params?: readonly Param[]): Promise<T | undefined> {
    while (this.txDepth > 0) await this.txDone;
    return this.allNow<T>(sql, params)[0];
  }
  async values(sql: string, params?: readonly Param[]): Promise<unknown[][]> {
    while (this.txDepth > 0) await this.txDone;
    return this.valuesNow(sql, params);
  }
  async run(sql: string, params?: readonly Param[]): Promise<RunResult> {
    while (this.txDepth > 0) await this.txDone;
    return this.runNow(sql, params);
  }

  /**
   * Holds the connection as a transaction does while the cursor is open: a BEGIN on this one
   * connection between two chunks would put the half-read SELECT inside someone's transaction.
   */
  async *iterate<T = Row>(sql: string, params: readonly Param[] = [], chunkRows = ITERATE_CHUNK_ROWS): AsyncGenerator<T[]> {
    while (this.txDepth > 0) await this.txDone;
    let release!: () => void;
    this.txDone = new Promise<void>((r) => (release = r));
    this.txDepth = 1;
    try {
      yield* this.chunksNow<T>(sql, params, chunkRows);
    } finally {
      this.txDepth = 0;
      release();
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    while (this.txDepth > 0) await this.txDone;
    let release!: () => void;
    this.txDone = new Promise<void>((r) => (release = r));
    this.txDepth = 1;
    try {
      this.runNow(sqliteDialect.beginTransaction);
      try {
        const result = await fn(this.inTx);
        this.runNow("COMMIT");
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.runNow("ROLLBACK");
        throw err;
      }
    } finally {
      this.txDepth = 0;
      release();
    }
  }

  async close(): Promise<void> {
    while (this.txDepth > 0) await this.txDone;
    this.db.close();
  }
}

async function* toAsync<T>(chunks: Generator<T>): AsyncGenerator<T> {
  yield* chunks;
}

function wrap(err: unknown): IndexError {
  if (err instanceof IndexError) return err;
  const kind = sqliteDialect.classifyError(err);
  return new IndexError((err as Error).message, kind, err);
}
