// `db init`: create the core schema and each Data Index component that is missing,
// one transaction per component, following alpenhorn's version rules
// (alpenhorn/cli/db/init.py: init and alpenhorn/db/data_index.py: schema_version at 632dd41).

import { CliError } from "../common/errors.ts";
import type { Db } from "./driver/types.ts";
import { forgetLayout } from "./layout/detect.ts";
import type { LayoutName } from "./layout/types.ts";
import { CORE_COMPONENT, CORE_SCHEMA_VERSION, CORE_TABLES, MAIN_CORE_TABLES, type TableDef } from "./schema.ts";
import { allSchemaVersions, listTables } from "./version.ts";

/** A schema component `db init` can create: the core, or one from a data-index extension. */
export interface ComponentDef {
  readonly component: string;
  readonly version: number;
  readonly tables: readonly TableDef[];
  /** Fills the new tables; if it throws, the component is rolled back and `db init` goes on. */
  postInit?(db: Db): Promise<void>;
}

/** The error a post-init hook throws to report a failure that `db init` survives. */
export class PostInitError extends Error {}

export const CORE: ComponentDef = { component: CORE_COMPONENT, version: CORE_SCHEMA_VERSION, tables: CORE_TABLES };
/** The core in upstream main's table layout (same name and version: only the tables differ). */
export const CORE_MAIN: ComponentDef = { component: CORE_COMPONENT, version: CORE_SCHEMA_VERSION, tables: MAIN_CORE_TABLES };

/** The core component that makes a new index of `layout`. */
export function coreComponent(layout: LayoutName): ComponentDef {
  return layout === "main" ? CORE_MAIN : CORE;
}

/** DDL statements creating a table and its indexes, in order. */
export function tableDdl(db: Db, table: TableDef): string[] {
  return [db.dialect.createTable(table), ...table.indexes.map((i) => db.dialect.createIndex(table, i))];
}

function displayName(c: ComponentDef): string {
  return c.component === CORE_COMPONENT ? "Data Index" : `Component "${c.component}"`;
}

/**
 * Initialise `components` (core first). `say` receives each line for stdout. Returns true if
 * anything was created. Throws CliError for the conditions alpenhorn treats as fatal.
 */
export async function initDataIndex(db: Db, components: readonly ComponentDef[], say: (line: string) => void): Promise<boolean> {
  let created = false;
  let failed = false;
  for (const comp of components) {
    const name = displayName(comp);
    const tables = new Set(await listTables(db));
    const versions = tables.has("dataindexversion") ? await allSchemaVersions(db) : new Map<string, number>();
    const stored = versions.get(comp.component) ?? 0;
    if (stored === comp.version) continue;
    if (stored > 0) throw new CliError(`${name} version ${stored} already present.`);
    if (comp.tables.some((t) => tables.has(t.name))) throw new CliError(`Partially initialsed ${name} found.  Manual repair required.`);
    try {
      await db.transaction(async (tx) => {
        for (const table of comp.tables) for (const sql of tableDdl(tx, table)) await tx.run(sql);
        await tx.run("INSERT INTO dataindexversion (component, version) VALUES (?, ?)", [comp.component, comp.version]);
        try {
          await comp.postInit?.(tx);
        } catch (err) {
          // Any failure of an extension's hook fails only its component (alpenhorn crashed on
          // anything but RuntimeError, after committing earlier components).
          throw err instanceof PostInitError ? err : new PostInitError(err instanceof Error ? err.message : String(err));
        }
      });
    } catch (err) {
      // MySQL commits DDL implicitly, so a rollback may leave the new tables and the version
      // row behind: remove them, so a failed component leaves nothing half-made.
      await undoComponent(db, comp);
      if (!(err instanceof PostInitError)) throw err;
      say(`Error: post-init for ${name} failed: ${err.message}`);
      failed = true;
      continue;
    }
    // New tables: the connection decides its layout again on its next node query.
    forgetLayout(db);
    say(`${name} version ${comp.version} initialised.`);
    created = true;
  }
  if (failed) throw new CliError("One or more components failed to initialise.");
  return created;
}

async function undoComponent(db: Db, comp: ComponentDef): Promise<void> {
  const present = new Set(await listTables(db));
  for (const t of [...comp.tables].reverse()) if (present.has(t.name)) await db.run(`DROP TABLE ${db.dialect.quote(t.name)}`);
  if (comp.component !== CORE_COMPONENT && present.has("dataindexversion"))
    await db.run("DELETE FROM dataindexversion WHERE component = ?", [comp.component]);
}
