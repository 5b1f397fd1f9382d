// Schema versions of Data Index components: reading `dataindexversion`, and the
// version-requirement specs ("2", "<=2", ">1,<4") that extensions and start-up check.

import { CliError, IndexError } from "../common/errors.ts";
import type { Db } from "./driver/types.ts";
import { CORE_COMPONENT } from "./schema.ts";

/** Names of the tables in the connected database. */
export async function listTables(db: Db): Promise<string[]> {
  const rows = await db.all<{ name: string }>(db.dialect.listTablesSql);
  return rows.map((r) => String(r.name ?? Object.values(r)[0]));
}

/**
 * The stored version of a component; 0 when it has no row or the table does not exist.
 * A failing read becomes alpenhorn's `Database read error: …` (or `Unable to determine …`).
 */
export async function schemaVersion(db: Db, component: string = CORE_COMPONENT): Promise<number> {
  try {
    const row = await db.get<{ version: number }>("SELECT version FROM dataindexversion WHERE component = ?", [component]);
    return row ? Number(row.version) : 0;
  } catch (err) {
    let tables: string[];
    try {
      tables = await listTables(db);
    } catch (err2) {
      throw new CliError(`Database read error: ${messageOf(err2)}`);
    }
    if (tables.includes("dataindexversion")) throw new CliError(`Unable to determine schema version: ${messageOf(err)}`);
    return 0;
  }
}

/** All stored component versions (the table must exist). */
export async function allSchemaVersions(db: Db): Promise<Map<string, number>> {
  const rows = await db.all<{ component: string; version: number }>("SELECT component, version FROM dataindexversion");
  return new Map(rows.map((r) => [String(r.component), Number(r.version)]));
}

type Bound = { op: "<" | "<=" | ">" | ">="; value: number };
export type VersionSpec = number | string;

function parseBound(part: string): Bound {
  const m = /^(<=|>=|<|>)(\d+)$/.exec(part);
  if (!m) throw new Error(`invalid version spec: ${part}`);
  return { op: m[1] as Bound["op"], value: Number(m[2]) };
}

/**
 * Parse a requirement: an integer (exact), `<OP>n`, or a lower and an upper bound joined by a
 * comma. Anything else is a programming error (thrown as a plain Error).
 */
export function parseVersionSpec(spec: VersionSpec): Bound[] | number {
  if (typeof spec === "number") {
    if (!Number.isInteger(spec)) throw new Error(`invalid version spec: ${spec}`);
    return spec;
  }
  if (/^\d+$/.test(spec)) return Number(spec);
  const parts = spec.split(",");
  if (parts.length > 2 || spec === "") throw new Error(`invalid version spec: ${spec}`);
  const bounds = parts.map(parseBound);
  if (bounds.length === 2) {
    const lower = bounds.filter((b) => b.op[0] === ">").length;
    if (lower !== 1) throw new Error(`invalid version spec: ${spec}`);
  }
  return bounds;
}

export function versionSatisfies(version: number, spec: VersionSpec): boolean {
  const parsed = parseVersionSpec(spec);
  if (typeof parsed === "number") return version === parsed;
  return parsed.every(({ op, value }) =>
    op === "<" ? version < value : op === "<=" ? version <= value : op === ">" ? version > value : version >= value,
  );
}

/** alpenhorn's mismatch message (note the two spaces after the colon). */
export function versionMismatchMessage(component: string, spec: VersionSpec, found: number, requiredBy?: string): string {
  const forText = requiredBy ? ` (required by ${requiredBy})` : "";
  const foundText = found === 0 ? "no schema found" : `found version ${found}`;
  const what = component === CORE_COMPONENT ? "Data Index version mismatch" : `Schema version mismatch for Data Index component "${component}"`;
  return `${what}${forText}:  wanted version ${spec}; ${foundText}`;
}

/** Throw CliError unless the stored version of `component` satisfies `spec`. */
export async function checkSchemaVersion(db: Db, spec: VersionSpec, component: string = CORE_COMPONENT, requiredBy?: string): Promise<number> {
  const found = await schemaVersion(db, component);
  if (!versionSatisfies(found, spec)) throw new CliError(versionMismatchMessage(component, spec, found, requiredBy));
  return found;
}

function messageOf(err: unknown): string {
  if (err instanceof IndexError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
