// The built-in `pattern_importer` extension: alpenhorn's example import-detect extension as
// fixed upstream after 632dd41 (its post-init only inserts the demo's types). Acquisitions and
// files are recognised by full-matching regular expressions stored in its own tables.

import { columnTypes as t, foreignKey, indexDefs, type TableDef } from "../../index/schema.ts";
import { insertPatternType } from "../../index/queries/pattern-importer.ts";
import type { Db } from "../../index/driver/types.ts";
import type { DataIndexExtension, Extension } from "./types.ts";
import { detectByPatterns } from "./pattern-detect.ts";

export const COMPONENT = "pattern_importer";
export const SCHEMA_VERSION = 2;
const VERSION = "2.0.0";

const typeTable = (name: string): TableDef => ({
  name,
  columns: [
    { name: "name", type: t.varchar(64) },
    { name: "patterns", type: t.text },
    { name: "notes", type: t.text, nullable: true },
  ],
  indexes: indexDefs(name, [[["name"], true]]),
});

const dataTable = (name: string, owner: string, ownerTable: string, typeTableName: string): TableDef => ({
  name,
  columns: [foreignKey(owner, ownerTable), { ...foreignKey("type", typeTableName), nullable: true }],
  indexes: indexDefs(name, [
    [[`${owner}_id`], true],
    [["type_id"], false],
  ]),
});

export const TABLES: readonly TableDef[] = [
  typeTable("acqtype"),
  typeTable("filetype"),
  dataTable("acqdata", "acq", "archiveacq", "acqtype"),
  dataTable("filedata", "file", "archivefile", "filetype"),
];

/** The demo's types (alpenhorn's `demo_init`). The patterns' dots are deliberately unescaped. */
async function demoInit(db: Db): Promise<void> {
  await insertPatternType(db, "acqtype", "demo_acq", ["20[0-9][0-9]/(0[1-9]|1[012])/(0[1-9]|[12][0-9]|3[01])"], "AcqType for alpenhorn demo");
  await insertPatternType(db, "filetype", "demo_data", ["(0[0-9]|2[0-3])/[0-5][0-9][0-5][0-9].dat"], "Data files for alpenhorn demo");
  await insertPatternType(db, "filetype", "demo_meta", ["meta.txt$"], "Metadata file for alpenhorn demo");
}

export function register_extensions(): Extension[] {
  const dataIndex: DataIndexExtension = {
    type: "data-index",
    name: "PatternImporterDB",
    version: VERSION,
    component: COMPONENT,
    schemaVersion: SCHEMA_VERSION,
    tables: TABLES,
    postInit: demoInit,
  };
  return [
    dataIndex,
    {
      type: "import-detect",
      name: "PatternImporterDetect",
      version: VERSION,
      requireSchema: { [COMPONENT]: SCHEMA_VERSION },
      detect: detectByPatterns,
    },
  ];
}
