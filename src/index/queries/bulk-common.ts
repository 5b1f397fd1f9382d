// SQL pieces shared by the queries: copy-state conditions, `?` lists, and id lists split to
// fit the dialect's bound-parameter limit.

import type { Db, Param } from "../driver/types.ts";
import type { HasFile, WantsFile } from "../rows.ts";

/** One copy-state condition: has_file = `has` AND wants_file `op` `wants`. */
export interface CopyStateCondition {
  readonly has: HasFile;
  readonly op: "=" | "<>";
  readonly wants: WantsFile;
}

/** The "healthy" state (has 'Y', not released), the default meaning of "present". */
export const HEALTHY: CopyStateCondition = { has: "Y", op: "<>", wants: "N" };

/**
 * The --corrupt/--healthy/--missing/--suspect flags of `file find` and `file list`
 * (alpenhorn/cli/options.py: state_constraint at 632dd41).
 */
export interface CopyStateFilter {
  corrupt?: boolean;
  healthy?: boolean;
  missing?: boolean;
  suspect?: boolean;
}

/** The conditions of the set flags, in flag order; no flag set means healthy. */
export function stateFilterConditions(f: CopyStateFilter): CopyStateCondition[] {
  const conds: CopyStateCondition[] = [];
  if (f.corrupt) conds.push({ has: "X", op: "<>", wants: "N" });
  if (f.healthy) conds.push(HEALTHY);
  if (f.missing) conds.push({ has: "N", op: "=", wants: "Y" });
  if (f.suspect) conds.push({ has: "M", op: "<>", wants: "N" });
  return conds.length ? conds : [HEALTHY];
}

/** `((a.has_file = ? AND a.wants_file <> ?) OR …)` for copy alias `a`; never called with none. */
export function copyStateSql(alias: string, conds: readonly CopyStateCondition[]): { sql: string; params: Param[] } {
  const sql = conds.map((c) => `(${alias}.has_file = ? AND ${alias}.wants_file ${c.op} ?)`).join(" OR ");
  return { sql: `(${sql})`, params: conds.flatMap((c) => [c.has, c.wants]) };
}

/** `?, ?, ?` for `n` values. */
export function placeholders(n: number): string {
  return new Array<string>(n).fill("?").join(", ");
}

/** Split `items` so each statement stays well under the dialect's parameter limit. */
export function chunks<T>(db: Db, items: readonly T[], paramsPerItem = 1): T[][] {
  const size = Math.max(1, Math.floor(Math.min(db.dialect.maxParams, 10_000) / paramsPerItem) - 8);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Run `UPDATE table SET column = value WHERE id IN (…)` over `ids`; the matched-row count. */
export async function updateColumnByIds(db: Db, table: string, column: string, value: Param, ids: readonly number[]): Promise<number> {
  let count = 0;
  for (const part of chunks(db, ids)) {
    const r = await db.run(`UPDATE ${table} SET ${column} = ? WHERE id IN (${placeholders(part.length)})`, [value, ...part]);
    count += r.changes;
  }
  return count;
}
