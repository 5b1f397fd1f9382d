// Database URL (alpenhorn's `database.url`, playhouse db_url forms) → an open Driver.
// The MySQL driver is imported lazily so SQLite-only runs never load mysql2.

import { isAbsolute, resolve } from "node:path";
import { ConfigError } from "../common/errors.ts";
import type { Driver, StatementTrace } from "./driver/types.ts";

export type DatabaseTarget =
  | { kind: "sqlite"; path: string }
  | {
      kind: "mysql";
      host: string;
      port?: number;
      user?: string;
      password?: string;
      database: string;
      extra: Record<string, unknown>;
    };

const CONNECT_FAILED = "Unable to connect to the database: Database connect failed.\nSee --help-config for more details.";
const NOT_CONFIGURED = "Unable to connect to the database: No database configured.\nSee --help-config for more details.";

/** Query-string values are coerced as playhouse does: booleans, ints, floats, null. */
function coerceParam(value: string): unknown {
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null" || lower === "none") return null;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d+\.\d+$/.test(value)) return Number(value);
  return value;
}

/** Parse a database URL; `cwd` anchors relative SQLite paths. Throws ConfigError on bad forms. */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?/.exec(url);
  if (!m) throw new ConfigError(CONNECT_FAILED);
  const scheme = m[1]!.toLowerCase().replace(/\+pool$/, "");
  const netloc = m[2]!;
  const path = m[3]!;
  const extra: Record<string, unknown> = {};
  for (const part of (m[4] ?? "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    extra[key] = coerceParam(decodeURIComponent(eq < 0 ? "" : part.slice(eq + 1)));
  }
  if (scheme === "sqlite") {
    let file = typeof extra.database === "string" ? extra.database : path.slice(1);
    if (extra.uri === true && file.startsWith("file:")) {
      // A `file:` URI: keep the path part; `mode=memory` means a private in-memory index.
      const [p, q = ""] = file.slice(5).split("?");
      file = /(^|&)mode=memory(&|$)/.test(q) ? ":memory:" : p!;
    }
    if (file === "" || file === ":memory:") return { kind: "sqlite", path: ":memory:" };
    return { kind: "sqlite", path: isAbsolute(file) ? file : resolve(cwd, file) };
  }
  if (scheme === "mysql") {
    const at = netloc.lastIndexOf("@");
    const userinfo = at >= 0 ? netloc.slice(0, at) : "";
    const hostport = at >= 0 ? netloc.slice(at + 1) : netloc;
    const colon = userinfo.indexOf(":");
    const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostport);
    if (!hp) throw new ConfigError(CONNECT_FAILED);
    const target: DatabaseTarget = {
      kind: "mysql",
      host: hp[1]!.toLowerCase() || "localhost",
      database: path.slice(1),
      extra: Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "database")),
    };
    if (hp[2]) target.port = Number(hp[2]);
    if (userinfo) target.user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (colon >= 0) target.password = userinfo.slice(colon + 1);
    if (typeof extra.database === "string") target.database = extra.database;
    return target;
  }
  throw new ConfigError(CONNECT_FAILED);
}

/** Open the database a config's `database` section names. */
export async function connectIndex(
  database: Record<string, unknown>,
  opts: { cwd?: string; trace?: StatementTrace } = {},
): Promise<Driver> {
  const url = database.url;
  if (url === undefined || url === null || url === "") throw new ConfigError(NOT_CONFIGURED);
  const target = parseDatabaseUrl(String(url), opts.cwd);
  if (target.kind === "sqlite") {
    const { openSqlite } = await import("./driver/sqlite.ts");
    return openSqlite({ path: target.path, trace: opts.trace });
  }
  const { openMysql } = await import("./driver/mysql.ts");
  return openMysql({ ...target, trace: opts.trace });
}
