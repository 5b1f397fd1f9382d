// mysql2 behind the async Driver contract. Statements go over the text protocol (client-side
// placeholders), so single-precision FLOAT columns read back as the server prints them
// (10.1, not 10.100000381469727), as the Python stack saw them.

import mysql from "mysql2/promise";
import type { Pool, PoolConnection, ResultSetHeader } from "mysql2/promise";
import { IndexError } from "../../common/errors.ts";
import { mysqlDialect } from "../dialect/mysql.ts";
import type { ConnectionFacts } from "../layout/types.ts";
import { ITERATE_CHUNK_ROWS, type Db, type Driver, type Param, type Row, type RunResult, type StatementTrace } from "./types.ts";

export interface MysqlOptions {
  readonly host: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database: string;
  readonly trace?: StatementTrace;
  /** Extra driver options from the URL's query string. */
  readonly extra?: Record<string, unknown>;
}

/**
 * Session settings: ANSI_QUOTES so the double-quoted identifiers of our queries mean the same
 * on both databases; PIPES_AS_CONCAT as alpenhorn's ORM set; strict mode so an over-long or
 * invalid value is refused instead of silently truncated; UTC so stored times stay naive UTC.
 */
const SESSION_SQL = [
  "SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'",
  "SET SESSION time_zone = '+00:00'",
];

export function openMysql(opts: MysqlOptions): Driver {
  const pool = mysql.createPool({
    host: opts.host,
    port: opts.port ?? 3306,
    user: opts.user ?? "root",
    password: opts.password ?? "",
    database: opts.database,
    charset: "utf8mb4",
    dateStrings: true,
    supportBigNumbers: true,
    connectionLimit: 4,
    connectTimeout: 10_000,
    ...(opts.extra ?? {}),
  });
  // Every new session gets the settings before any statement of ours; mysql2 queues these first.
  pool.on("connection", (conn) => {
    for (const sql of SESSION_SQL) conn.query(sql);
  });
  return new MysqlDriver(pool, opts.trace);
}

type Queryable = Pool | PoolConnection;

class MysqlDriver implements Driver {
  readonly dialect = mysqlDialect;
  readonly facts: ConnectionFacts = {};
  private readonly direct: Db;
  constructor(
    private readonly pool: Pool,
    private readonly trace?: StatementTrace,
  ) {
    this.direct = this.handle(pool, true);
  }

  /** Run one statement; outside a transaction a lost connection is retried once on a new one. */
  private async exec(on: Queryable, sql: string, params: readonly Param[], retry: boolean, rowsAsArray = false): Promise<unknown> {
    this.trace?.(sql, params);
    try {
      const [result] = rowsAsArray ? await on.query({ sql, rowsAsArray: true }, params as Param[]) : await on.query(sql, params as Param[]);
      return result;
    } catch (err) {
      const kind = mysqlDialect.classifyError(err);
      if (retry && kind === "connection-lost") return this.exec(on, sql, params, false, rowsAsArray);
      throw new IndexError((err as Error).message, kind, err);
    }
  }

  private handle(on: Queryable, retry: boolean): Db {
    const self = this;
    const db: Db = {
      dialect: mysqlDialect,
      facts: self.facts,
      async all<T = Row>(sql: string, params: readonly Param[] = []) {
        return (await self.exec(on, sql, params, retry)) as T[];
      },
      async get<T = Row>(sql: string, params: readonly Param[] = []) {
        return ((await self.exec(on, sql, params, retry)) as T[])[0];
      },
      async values(sql: string, params: readonly Param[] = []) {
        return (await self.exec(on, sql, params, retry, true)) as unknown[][];
      },
      async run(sql: string, params: readonly Param[] = []): Promise<RunResult> {
        const r = (await self.exec(on, sql, params, retry)) as ResultSetHeader;
        return { changes: r.affectedRows, lastInsertId: Number(r.insertId) };
      },
      iterate: <T = Row>(sql: string, params: readonly Param[] = [], chunkRows = ITERATE_CHUNK_ROWS) =>
        on === self.pool ? self.iterate<T>(sql, params, chunkRows) : oneChunk(db.all<T>(sql, params)),
      transaction: <T>(fn: (tx: Db) => Promise<T>) => (on === self.pool ? self.transaction(fn) : fn(db)),
    };
    return db;
  }

  all<T = Row>(sql: string, params?: readonly Param[]) {
    return this.direct.all<T>(sql, params);
  }
  get<T = Row>(sql: string, params?: readonly Param[]) {
    return this.direct.get<T>(sql, params);
  }
  values(sql: string, params?: readonly Param[]) {
    return this.direct.values(sql, params);
  }
  run(sql: string, params?: readonly Param[]) {
    return this.direct.run(sql, params);
  }

  /**
   * A streamed result on a connection of its own (mysql2 reads rows off the socket as the
   * stream is consumed, so the server's result never sits in memory whole). A connection left
   * mid-result cannot serve another statement, so an early exit destroys it instead of
   * returning it to the pool.
   */
  async *iterate<T = Row>(sql: string, params: readonly Param[] = [], chunkRows = ITERATE_CHUNK_ROWS): AsyncGenerator<T[]> {
    let conn: PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (err) {
      throw new IndexError((err as Error).message, mysqlDialect.classifyError(err), err);
    }
    this.trace?.(sql, params);
    // The promise wrapper's `connection` is the callback-style connection, whose query() can stream.
    const core = conn.connection as unknown as { query(sql: string, values: Param[]): { stream(o: { highWaterMark: number }): AsyncIterable<T> & { destroy(): void } } };
    const rows = core.query(sql, [...params]).stream({ highWaterMark: Math.min(chunkRows, 1000) });
    let finished = false;
    try {
      let chunk: T[] = [];
      try {
        for await (const row of rows) {
          chunk.push(row);
          if (chunk.length >= chunkRows) {
            yield chunk;
            chunk = [];
          }
        }
      } catch (err) {
        throw err instanceof IndexError ? err : new IndexError((err as Error).message, mysqlDialect.classifyError(err), err);
      }
      finished = true;
      if (chunk.length) yield chunk;
    } finally {
      if (finished) conn.release();
      else {
        rows.destroy();
        conn.destroy();
      }
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    let conn: PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (err) {
      throw new IndexError((err as Error).message, mysqlDialect.classifyError(err), err);
    }
    try {
      const tx = this.handle(conn, false);
      await tx.run(mysqlDialect.beginTransaction);
      try {
        const result = await fn(tx);
        await tx.run("COMMIT");
        return result;
      } catch (err) {
        await conn.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Inside a transaction (one connection, no second cursor on it): the whole result as one chunk. */
async function* oneChunk<T>(rows: Promise<T[]>): AsyncGenerator<T[]> {
  const all = await rows;
  if (all.length) yield all;
}
