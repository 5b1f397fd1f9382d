// examples/pattern-importer.sql, loaded into an index made by `db init` with pattern_importer,
// gives the detection its comments describe, on SQLite and MariaDB; and a daemon imports a
// node laid out that way, recording each acquisition's and file's type.

import { expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { detectWithTypes, readPatternTypes } from "../../../src/engine/extensions/pattern-detect.ts";
import { backendSuites } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { demoIndex, demoNode, runServe } from "../../engine/_daemon.ts";
import type { Db } from "../../../src/index/driver/types.ts";

const SQL = readFileSync(resolve(import.meta.dir, "../../../examples/pattern-importer.sql"), "utf8");

/** The file's statements, comments dropped. */
const statements = () =>
  SQL.split("\n")
    .filter((l) => !l.startsWith("--"))
    .join("\n")
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);

async function load(db: Db) {
  for (const s of statements()) await db.run(s);
}

const CASES: Array<[string, string | null]> = [
  ["20250221T003500Z_chime_corr/00000000_0000.h5", "20250221T003500Z_chime_corr"],
  ["20250221T003500Z_chime_corr/acq.log", "20250221T003500Z_chime_corr"],
  ["20250221T003500Z_chime_hk/hk_20250221.csv", "20250221T003500Z_chime_hk"],
  ["hk/2025/20250221T000000Z_chime_hk/hk_20250221_2.csv", "hk/2025/20250221T000000Z_chime_hk"],
  ["raw/20250221T003500Z_chime_corr/00000001_0000.h5", "raw/20250221T003500Z_chime_corr"],
  // Not imported: no acquisition directory; a file type that does not match; a dot not a dot.
  ["scratch/00000000_0000.h5", null],
  ["20250221T003500Z_chime_corr/notes.txt", null],
  ["20250221T003500Z_chime_corr/00000000_0000xh5", null],
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`examples/pattern-importer.sql [${backend}]`, () => {
    test("loads beside the demo types and detects acquisitions and files as documented", async () => {
      await using idx = await demoIndex(backend);
      await load(idx.db);
      const types = await readPatternTypes(idx.db);
      expect(types.acqTypes.map((t) => t.name)).toEqual(["demo_acq", "corr", "hk"]);
      expect(types.fileTypes.map((t) => t.name)).toEqual(["demo_data", "demo_meta", "corr_data", "log", "hk_data"]);
      for (const [path, acq] of CASES) expect([path, detectWithTypes(await readPatternTypes(idx.db), path).acqName]).toEqual([path, acq]);
    });
  });
}

test("a daemon imports a node laid out as the example describes, with the types recorded", async () => {
  await using idx = await demoIndex("sqlite");
  await load(idx.db);
  const { root } = await demoNode(idx);
  writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
  for (const [path] of CASES) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), `${path}\n`);
  }
  expect((await cliFor(idx)(["node", "scan", "demo_storage1", "--register-new"])).code).toBe(0);
  const r = await runServe(idx);
  expect(r.code).toBe(0);
  const files = await idx.db.all<{ path: string; type: string }>(
    "SELECT a.name || '/' || f.name AS path, t.name AS type FROM archivefile f JOIN archiveacq a ON a.id = f.acq_id JOIN filedata d ON d.file_id = f.id JOIN filetype t ON t.id = d.type_id ORDER BY path",
  );
  expect(files).toEqual([
    { path: "20250221T003500Z_chime_corr/00000000_0000.h5", type: "corr_data" },
    { path: "20250221T003500Z_chime_corr/acq.log", type: "log" },
    { path: "20250221T003500Z_chime_hk/hk_20250221.csv", type: "hk_data" },
    { path: "hk/2025/20250221T000000Z_chime_hk/hk_20250221_2.csv", type: "hk_data" },
    { path: "raw/20250221T003500Z_chime_corr/00000001_0000.h5", type: "corr_data" },
  ]);
  const acqs = await idx.db.all<{ name: string; type: string }>(
    "SELECT a.name AS name, t.name AS type FROM archiveacq a JOIN acqdata d ON d.acq_id = a.id JOIN acqtype t ON t.id = d.type_id ORDER BY a.name",
  );
  expect(acqs.map((a) => `${a.name} ${a.type}`)).toEqual([
    "20250221T003500Z_chime_corr corr",
    "20250221T003500Z_chime_hk hk",
    "hk/2025/20250221T000000Z_chime_hk hk",
    "raw/20250221T003500Z_chime_corr corr",
  ]);
});
