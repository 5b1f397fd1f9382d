// `alpenhorn db init` on both backends (alpenhorn/cli/db/init.py and tests/cli/db/test_init.py
// at 632dd41).

import { describe, expect, test } from "bun:test";
import { backendSuites, emptyIndex, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { join } from "node:path";
import { listTables } from "../../../src/index/version.ts";

const PI = "extensions:\n  - pattern_importer\n";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`db init [${backend}]`, () => {
    test("creates the schema on an empty index and records version 2", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx)(["db", "init"]);
      expect(r).toMatchObject({ code: 0, out: "Data Index version 2 initialised.\n", err: "" });
      expect(await idx.db.get("SELECT version FROM dataindexversion WHERE component = 'alpenhorn'")).toEqual({ version: 2 });
      const tables = await listTables(idx.db);
      for (const t of ["archiveacq", "archivefile", "archivefilecopy", "archivefilecopyrequest", "archivefileimportrequest", "dataindexversion", "storagegroup", "storagenode", "storagetransferaction"])
        expect(tables).toContain(t);
    });

    test("is a no-op on an initialised index", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("INSERT INTO storagegroup (name) VALUES ('keep')");
      const r = await cliFor(idx)(["db", "init"]);
      expect(r).toMatchObject({ code: 0, out: "Data Index already initialised.\n" });
      expect(await idx.db.all("SELECT name FROM storagegroup")).toEqual([{ name: "keep" }]);
    });

    test("refuses a newer schema version", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("UPDATE dataindexversion SET version = 3 WHERE component = 'alpenhorn'");
      const r = await cliFor(idx)(["db", "init"]);
      expect(r.code).toBe(1);
      expect(r.err).toBe("Error: Data Index version mismatch:  wanted version <=2; found version 3\n");
    });

    test("refuses tables without a version row (legacy index)", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("DELETE FROM dataindexversion");
      const r = await cliFor(idx)(["db", "init"]);
      expect(r.code).toBe(1);
      expect(r.err).toBe("Error: Partially initialsed Data Index found.  Manual repair required.\n");
    });

    test("creates pattern_importer's component with its demo types", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx, PI)(["db", "init"]);
      expect(r).toMatchObject({ code: 0, out: 'Data Index version 2 initialised.\nComponent "pattern_importer" version 2 initialised.\n' });
      expect(await idx.db.get("SELECT version FROM dataindexversion WHERE component = 'pattern_importer'")).toEqual({ version: 2 });
      expect(await idx.db.all("SELECT name FROM acqtype ORDER BY id")).toEqual([{ name: "demo_acq" }]);
      expect(await idx.db.all("SELECT name FROM filetype ORDER BY id")).toEqual([{ name: "demo_data" }, { name: "demo_meta" }]);
    });

    test("a failing post-init hook rolls back its component only (test_ext_rollback)", async () => {
      await using idx = await emptyIndex(backend);
      const ext = join(import.meta.dir, "../../fixtures/extensions/failing-init.ts");
      const r = await cliFor(idx, `extensions:\n  - ${ext}\n`)(["db", "init"]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('Data Index version 2 initialised.\nError: post-init for Component "failing" failed: no demo data today\n');
      expect(r.err).toBe("Error: One or more components failed to initialise.\n");
      expect(await idx.db.all("SELECT component, version FROM dataindexversion")).toEqual([{ component: "alpenhorn", version: 2 }]);
      expect(await listTables(idx.db)).not.toContain("failingtable");
    });

    test("--only=alpenhorn creates the core but not the extension", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx, PI)(["db", "init", "--only=alpenhorn"]);
      expect(r.code).toBe(0);
      expect(await listTables(idx.db)).not.toContain("acqtype");
    });

    test("--only=pattern_importer without the core fails and creates nothing", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx, PI)(["db", "init", "--only=pattern_importer"]);
      expect(r).toMatchObject({ code: 1, err: 'Error: Unable to create component "pattern_importer": Data Index missing\n' });
      expect(await listTables(idx.db)).toEqual([]);
    });

    test("--only with an unknown component fails", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx)(["db", "init", "--only=missing"]);
      expect(r).toMatchObject({ code: 1, err: "Error: Unsupported component: missing\n" });
      expect(await listTables(idx.db)).toEqual([]);
    });

    test("refuses an extension version newer or older than ours", async () => {
      for (const [stored, msg] of [
        [3, 'Error: Schema version mismatch for Data Index component "pattern_importer" (required by pattern_importer.PatternImporterDB):  wanted version 2; found version 3\n'],
        [1, 'Error: Component "pattern_importer" version 1 already present.\n'],
      ] as const) {
        await using idx = await initialisedIndex(backend);
        await idx.db.run("INSERT INTO dataindexversion (component, version) VALUES ('pattern_importer', ?)", [stored]);
        const r = await cliFor(idx, PI)(["db", "init"]);
        expect(r).toMatchObject({ code: 1, err: msg });
      }
    });
  });
}

describe("db init start-up errors", () => {
  test("an unopenable SQLite file is a database read error", async () => {
    await using idx = await emptyIndex("sqlite");
    const run = cliFor({ ...idx, url: "sqlite:////MISSING/MISSING.db" });
    const r = await run(["db", "init"]);
    expect(r).toMatchObject({ code: 1, err: "Error: Database read error: unable to open database file\n" });
  });
});
