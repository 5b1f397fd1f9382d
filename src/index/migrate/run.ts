// Moving an index between the two table layouts. Only storagenode changes (and storagehost
// comes or goes), so a migration rewrites that one table, keeping every node id:
// - where DDL is transactional (SQLite), storagenode is rebuilt in the target layout's exact
//   DDL inside one transaction (new table, rows copied, old dropped, new renamed);
// - where DDL commits implicitly (MySQL), it is altered in place by steps that each look at
//   the table first, so a run interrupted anywhere can simply be run again.

import type { Db } from "../driver/types.ts";
import { tableDdl } from "../init.ts";
import { forgetLayout } from "../layout/detect.ts";
import type { LayoutName } from "../layout/types.ts";
import { CORE_TABLES, MAIN_CORE_TABLES, type ColumnDef, type TableDef } from "../schema.ts";
import { listTables } from "../version.ts";

const tableNamed = (tables: readonly TableDef[], name: string) => tables.find((t) => t.name === name)!;
const OLD_NODE = tableNamed(CORE_TABLES, "storagenode");
const MAIN_NODE = tableNamed(MAIN_CORE_TABLES, "storagenode");
const HOST = tableNamed(MAIN_CORE_TABLES, "storagehost");
const column = (t: TableDef, name: string): ColumnDef => t.columns.find((c) => c.name === name)!;

/** What the migration steps look at: the tables, and storagenode's columns and indexes. */
export interface SchemaState {
  readonly tables: ReadonlySet<string>;
  readonly columns: ReadonlySet<string>;
  readonly indexes: ReadonlySet<string>;
}

export async function schemaState(db: Db): Promise<SchemaState> {
  const names = async (sql: string, params: string[]) => new Set((await db.all<{ name: unknown }>(sql, params)).map((r) => String(r.name)));
  return {
    tables: new Set(await listTables(db)),
    columns: await names(db.dialect.listColumnsSql, ["storagenode"]),
    indexes: await names(db.dialect.listIndexesSql, ["storagenode"]),
  };
}

/** The role code a main-layout node gets back: A for archive, T in a Transport group, else F. */
const ROLE_FROM_ARCHIVE = "CASE WHEN n.archive <> 0 THEN 'A' WHEN g.io_class = 'Transport' THEN 'T' ELSE 'F' END";
const ARCHIVE_FROM_ROLE = "CASE WHEN n.storage_type = 'A' THEN 1 ELSE 0 END";

/** One host row per distinct host string, in the order of the first node naming it, with that node's log-in details. */
async function insertHostsFromNodes(db: Db): Promise<void> {
  const present = new Set((await db.all<{ name: string }>("SELECT name FROM storagehost")).map((r) => r.name));
  const nodes = await db.all<{ host: string; username: string | null; address: string | null }>(
    "SELECT host, username, address FROM storagenode WHERE host IS NOT NULL ORDER BY id",
  );
  for (const n of nodes) {
    if (present.has(n.host)) continue;
    present.add(n.host);
    await db.run("INSERT INTO storagehost (name, username, address, notes) VALUES (?, ?, ?, NULL)", [n.host, n.username, n.address]);
  }
}

/** SQLite: replace storagenode by a table of `def` filled by `select` (its columns in `def`'s order, id first). */
async function rebuildNodeTable(tx: Db, def: TableDef, select: string): Promise<void> {
  const scratch: TableDef = { ...def, name: "storagenode_new", indexes: [] };
  await tx.run(tx.dialect.createTable(scratch));
  await tx.run(`INSERT INTO storagenode_new (id, ${def.columns.map((c) => c.name).join(", ")}) ${select}`);
  await tx.run("DROP TABLE storagenode");
  await tx.run("ALTER TABLE storagenode_new RENAME TO storagenode");
  for (const index of def.indexes) await tx.run(tx.dialect.createIndex(def, index));
}

/** Node columns both layouts share, as `n.x`, around the ones that differ. */
const shared = (names: readonly string[]) => names.map((c) => `n.${c}`).join(", ");
const BEFORE = shared(["id", "name", "root"]);
const MIDDLE = shared(["io_class", "group_id", "active", "auto_import", "auto_verify"]);
const AFTER = shared(["max_total_gb", "min_avail_gb", "avail_gb", "avail_gb_last_checked", "notes", "io_config"]);

async function rebuildToMain(tx: Db): Promise<void> {
  for (const sql of tableDdl(tx, HOST)) await tx.run(sql);
  await insertHostsFromNodes(tx);
  await rebuildNodeTable(
    tx,
    MAIN_NODE,
    `SELECT ${BEFORE}, (SELECT h.id FROM storagehost h WHERE h.name = n.host), ${MIDDLE}, ${ARCHIVE_FROM_ROLE}, ${AFTER} FROM storagenode n`,
  );
}

async function rebuildTo632(tx: Db): Promise<void> {
  await rebuildNodeTable(
    tx,
    OLD_NODE,
    `SELECT ${BEFORE}, h.name, h.username, h.address, ${MIDDLE}, ${ROLE_FROM_ARCHIVE}, ${AFTER}
       FROM storagenode n LEFT JOIN storagehost h ON h.id = n.host_id JOIN storagegroup g ON g.id = n.group_id`,
  );
  await tx.run("DROP TABLE storagehost");
}

/** A step of the in-place (MySQL) migration: `todo` looks at the schema, `run` does one change. */
export interface InPlaceStep {
  readonly what: string;
  todo(s: SchemaState): boolean;
  run(db: Db): Promise<void>;
}

const colDdl = (db: Db, c: ColumnDef) => `${c.name} ${db.dialect.columnType(c)}${c.nullable ? " NULL" : " NOT NULL"}`;

export const IN_PLACE_TO_MAIN: readonly InPlaceStep[] = [
  {
    what: "create storagehost",
    todo: (s) => !s.tables.has("storagehost"),
    run: async (db) => {
      for (const sql of tableDdl(db, HOST)) await db.run(sql);
    },
  },
  { what: "fill storagehost", todo: (s) => s.columns.has("host"), run: insertHostsFromNodes },
  {
    what: "add host_id",
    todo: (s) => !s.columns.has("host_id"),
    run: (db) => db.run(`ALTER TABLE storagenode ADD COLUMN ${colDdl(db, column(MAIN_NODE, "host_id"))} AFTER root, ADD FOREIGN KEY (host_id) REFERENCES storagehost (id)`).then(() => undefined),
  },
  {
    what: "add archive",
    todo: (s) => !s.columns.has("archive"),
    // The default only fills the existing rows; it is dropped below, as main's DDL has none.
    run: (db) => db.run(`ALTER TABLE storagenode ADD COLUMN ${colDdl(db, column(MAIN_NODE, "archive"))} DEFAULT 0 AFTER auto_verify`).then(() => undefined),
  },
  {
    what: "set host_id",
    todo: (s) => s.columns.has("host"),
    run: (db) => db.run("UPDATE storagenode n SET host_id = (SELECT h.id FROM storagehost h WHERE h.name = n.host)").then(() => undefined),
  },
  {
    what: "set archive",
    todo: (s) => s.columns.has("storage_type"),
    run: (db) => db.run(`UPDATE storagenode n SET archive = ${ARCHIVE_FROM_ROLE}`).then(() => undefined),
  },
  {
    what: "index host_id",
    todo: (s) => !s.indexes.has("storagenode_host_id"),
    run: (db) => db.run(db.dialect.createIndex(MAIN_NODE, MAIN_NODE.indexes.find((i) => i.name === "storagenode_host_id")!)).then(() => undefined),
  },
  {
    what: "drop 632dd41's columns",
    todo: (s) => ["host", "username", "address", "storage_type"].some((c) => s.columns.has(c)),
    run: async (db) => {
      const s = await schemaState(db);
      const drops = ["host", "username", "address", "storage_type"].filter((c) => s.columns.has(c)).map((c) => `DROP COLUMN ${c}`);
      await db.run(`ALTER TABLE storagenode ALTER COLUMN archive DROP DEFAULT, ${drops.join(", ")}`);
    },
  },
];

export const IN_PLACE_TO_632: readonly InPlaceStep[] = [
  {
    what: "add host strings",
    todo: (s) => !s.columns.has("host"),
    run: (db) =>
      db
        .run(
          `ALTER TABLE storagenode ADD COLUMN ${colDdl(db, column(OLD_NODE, "host"))} AFTER root, ADD COLUMN ${colDdl(db, column(OLD_NODE, "username"))} AFTER host, ` +
            `ADD COLUMN ${colDdl(db, column(OLD_NODE, "address"))} AFTER username`,
        )
        .then(() => undefined),
  },
  {
    what: "add storage_type",
    todo: (s) => !s.columns.has("storage_type"),
    run: (db) => db.run(`ALTER TABLE storagenode ADD COLUMN ${colDdl(db, column(OLD_NODE, "storage_type"))} DEFAULT 'F' AFTER auto_verify`).then(() => undefined),
  },
  {
    what: "set host strings",
    todo: (s) => s.columns.has("host_id"),
    run: (db) =>
      db
        .run("UPDATE storagenode n LEFT JOIN storagehost h ON h.id = n.host_id SET n.host = h.name, n.username = h.username, n.address = h.address")
        .then(() => undefined),
  },
  {
    what: "set storage_type",
    todo: (s) => s.columns.has("archive"),
    run: (db) => db.run(`UPDATE storagenode n JOIN storagegroup g ON g.id = n.group_id SET n.storage_type = ${ROLE_FROM_ARCHIVE}`).then(() => undefined),
  },
  {
    what: "drop main's columns",
    todo: (s) => s.columns.has("host_id") || s.columns.has("archive"),
    run: async (db) => {
      const s = await schemaState(db);
      if (s.columns.has("host_id"))
        for (const fk of await db.all<{ name: string }>(db.dialect.listForeignKeysSql, ["storagenode", "host_id"]))
          await db.run(`ALTER TABLE storagenode DROP FOREIGN KEY ${db.dialect.quote(String(fk.name))}`);
      const drops = ["host_id", "archive"].filter((c) => s.columns.has(c)).map((c) => `DROP COLUMN ${c}`);
      await db.run(`ALTER TABLE storagenode ALTER COLUMN storage_type DROP DEFAULT, ${drops.join(", ")}`);
    },
  },
  {
    what: "drop storagehost",
    todo: (s) => s.tables.has("storagehost"),
    run: (db) => db.run("DROP TABLE storagehost").then(() => undefined),
  },
];

/** The in-place steps towards `to` that are still to do, in order (each re-checked before it runs). */
export function inPlaceSteps(to: LayoutName): readonly InPlaceStep[] {
  return to === "main" ? IN_PLACE_TO_MAIN : IN_PLACE_TO_632;
}

/** Move the index to layout `to` (the caller has checked that nothing undecidable remains). */
export async function migrateLayout(db: Db, to: LayoutName): Promise<void> {
  try {
    if (db.dialect.transactionalDdl) await db.transaction((tx) => (to === "main" ? rebuildToMain(tx) : rebuildTo632(tx)));
    else for (const step of inPlaceSteps(to)) if (step.todo(await schemaState(db))) await step.run(db);
  } finally {
    forgetLayout(db);
  }
}

/**
 * Whether a schema that matches neither layout is one an interrupted in-place migration
 * towards `to` leaves behind: the source layout's columns beside some of the target's.
 */
export function isInterruptedMigration(s: SchemaState, to: LayoutName): boolean {
  const old = ["host", "username", "address", "storage_type"].some((c) => s.columns.has(c));
  const main = s.tables.has("storagehost") || s.columns.has("host_id") || s.columns.has("archive");
  return to === "main" ? old && main : main && (s.columns.has("host") || s.columns.has("storage_type"));
}
