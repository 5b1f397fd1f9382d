// Data Index schema version 2 as data: the nine core tables, their columns, neutral
// types and indexes, in the order `db init` creates them. Each dialect renders the DDL.

/** Neutral column types; each dialect maps them to its own DDL (index/dialect/*.ts). */
export type ColumnType =
  | { kind: "int" }
  | { kind: "bigint" }
  | { kind: "varchar"; length: number }
  | { kind: "text" }
  | { kind: "float" }
  | { kind: "bool" }
  | { kind: "datetime" }
  | { kind: "enum"; values: readonly string[] };

export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
  /** Foreign key target table (column is `<x>_id`, references `<table>(id)`). */
  readonly references?: string;
}

export interface IndexDef {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableDef {
  readonly name: string;
  /** Every column but the auto-increment `id` primary key, which every table has. */
  readonly columns: readonly ColumnDef[];
  readonly indexes: readonly IndexDef[];
}

const int = { kind: "int" } as const;
const bigint = { kind: "bigint" } as const;
const text = { kind: "text" } as const;
const float = { kind: "float" } as const;
const bool = { kind: "bool" } as const;
const datetime = { kind: "datetime" } as const;
const varchar = (length: number) => ({ kind: "varchar", length }) as const;
const enumOf = (...values: string[]) => ({ kind: "enum", values }) as const;

/** Foreign-key column `<name>_id` → `<table>(id)`. */
const fk = (name: string, table: string): ColumnDef => ({ name: `${name}_id`, type: int, references: table });

/** Index names follow peewee: `<table>_<col1>_<col2>…` (column names, `_id` included). */
function indexes(table: string, specs: ReadonlyArray<readonly [readonly string[], boolean]>): IndexDef[] {
  return specs.map(([columns, unique]) => ({ name: `${table}_${columns.join("_")}`, columns, unique }));
}

/** Storage-type codes of a node: archive, transport, field. */
export const STORAGE_TYPES = ["A", "T", "F"] as const;
/** has_file codes in the order of the DDL's enum. */
export const HAS_FILE_CODES = ["N", "Y", "M", "X"] as const;
/** wants_file codes in the order of the DDL's enum. */
export const WANTS_FILE_CODES = ["Y", "M", "N"] as const;

export const CORE_TABLES: readonly TableDef[] = [
  {
    name: "archiveacq",
    columns: [
      { name: "name", type: varchar(64) },
      { name: "comment", type: text, nullable: true },
    ],
    indexes: indexes("archiveacq", [[["name"], true]]),
  },
  {
    name: "archivefile",
    columns: [
      fk("acq", "archiveacq"),
      { name: "name", type: varchar(255) },
      { name: "size_b", type: bigint, nullable: true },
      { name: "md5sum", type: varchar(32), nullable: true },
      { name: "registered", type: datetime },
    ],
    indexes: indexes("archivefile", [
      [["acq_id"], false],
      [["acq_id", "name"], true],
    ]),
  },
  {
    name: "storagegroup",
    columns: [
      { name: "name", type: varchar(64) },
      { name: "io_class", type: varchar(255), nullable: true },
      { name: "notes", type: text, nullable: true },
      { name: "io_config", type: text, nullable: true },
    ],
    indexes: indexes("storagegroup", [[["name"], true]]),
  },
  {
    name: "storagenode",
    columns: [
      { name: "name", type: varchar(64) },
      { name: "root", type: varchar(255), nullable: true },
      { name: "host", type: varchar(64), nullable: true },
      { name: "username", type: varchar(64), nullable: true },
      { name: "address", type: varchar(255), nullable: true },
      { name: "io_class", type: varchar(255), nullable: true },
      fk("group", "storagegroup"),
      { name: "active", type: bool },
      { name: "auto_import", type: bool },
      { name: "auto_verify", type: int },
      { name: "storage_type", type: enumOf(...STORAGE_TYPES) },
      { name: "max_total_gb", type: float, nullable: true },
      { name: "min_avail_gb", type: float },
      { name: "avail_gb", type: float, nullable: true },
      { name: "avail_gb_last_checked", type: datetime, nullable: true },
      { name: "notes", type: text, nullable: true },
      { name: "io_config", type: text, nullable: true },
    ],
    indexes: indexes("storagenode", [
      [["name"], true],
      [["group_id"], false],
    ]),
  },
  {
    name: "archivefilecopy",
    columns: [
      fk("file", "archivefile"),
      fk("node", "storagenode"),
      { name: "has_file", type: enumOf(...HAS_FILE_CODES) },
      { name: "wants_file", type: enumOf(...WANTS_FILE_CODES) },
      { name: "ready", type: bool },
      { name: "size_b", type: bigint, nullable: true },
      { name: "last_update", type: datetime },
    ],
    indexes: indexes("archivefilecopy", [
      [["file_id"], false],
      [["node_id"], false],
      [["file_id", "node_id"], true],
    ]),
  },
  {
    name: "archivefilecopyrequest",
    columns: [
      fk("file", "archivefile"),
      fk("group_to", "storagegroup"),
      fk("node_from", "storagenode"),
      { name: "completed", type: bool },
      { name: "cancelled", type: bool },
      { name: "timestamp", type: datetime, nullable: true },
      { name: "transfer_started", type: datetime, nullable: true },
      { name: "transfer_completed", type: datetime, nullable: true },
    ],
    indexes: indexes("archivefilecopyrequest", [
      [["file_id"], false],
      [["group_to_id"], false],
      [["node_from_id"], false],
      [["file_id", "group_to_id", "node_from_id"], false],
    ]),
  },
  {
    name: "archivefileimportrequest",
    columns: [
      fk("node", "storagenode"),
      { name: "path", type: varchar(1024) },
      { name: "recurse", type: bool },
      { name: "register", type: bool },
      { name: "completed", type: bool },
      { name: "timestamp", type: datetime, nullable: true },
    ],
    indexes: indexes("archivefileimportrequest", [[["node_id"], false]]),
  },
  {
    name: "dataindexversion",
    columns: [
      { name: "component", type: varchar(256) },
      { name: "version", type: int },
    ],
    indexes: indexes("dataindexversion", [[["component"], true]]),
  },
  {
    name: "storagetransferaction",
    columns: [
      fk("node_from", "storagenode"),
      fk("group_to", "storagegroup"),
      { name: "autosync", type: bool },
      { name: "autoclean", type: bool },
    ],
    indexes: indexes("storagetransferaction", [
      [["node_from_id"], false],
      [["group_to_id"], false],
      [["node_from_id", "group_to_id"], true],
    ]),
  },
];

/**
 * Upstream main's layout (89943e0), also "version 2": a storagehost table, and storagenode with
 * `host_id` in place of the host strings and the boolean `archive` in place of `storage_type`
 * (each in the same position). Every other table is the same as 632dd41's.
 */
const STORAGEHOST_TABLE: TableDef = {
  name: "storagehost",
  columns: [
    { name: "name", type: varchar(64) },
    { name: "username", type: varchar(64), nullable: true },
    { name: "address", type: varchar(255), nullable: true },
    { name: "notes", type: text, nullable: true },
  ],
  indexes: indexes("storagehost", [[["name"], true]]),
};

function mainStorageNode(old: TableDef): TableDef {
  const columns: ColumnDef[] = [];
  for (const c of old.columns) {
    if (c.name === "host") columns.push({ ...fk("host", "storagehost"), nullable: true });
    else if (c.name === "username" || c.name === "address") continue;
    else if (c.name === "storage_type") columns.push({ name: "archive", type: bool });
    else columns.push(c);
  }
  return {
    name: old.name,
    columns,
    indexes: indexes("storagenode", [
      [["name"], true],
      [["host_id"], false],
      [["group_id"], false],
    ]),
  };
}

/** The core tables of upstream main's layout, in the order its `db init` creates them. */
export const MAIN_CORE_TABLES: readonly TableDef[] = CORE_TABLES.flatMap((t) =>
  t.name === "storagenode" ? [STORAGEHOST_TABLE, mainStorageNode(t)] : [t],
);

/** The core component's name in `dataindexversion` and the only version we serve. */
export const CORE_COMPONENT = "alpenhorn";
export const CORE_SCHEMA_VERSION = 2;

/** Helpers for extension tables, which follow the same conventions. */
export const columnTypes = { int, bigint, text, float, bool, datetime, varchar, enumOf } as const;
export { fk as foreignKey, indexes as indexDefs };
