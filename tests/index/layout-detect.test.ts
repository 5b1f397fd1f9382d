// Telling 632dd41's table layout from upstream main's, once per connection, on both databases;
// refusing mixed and half-migrated layouts in one line; `db init --layout main`.

import { expect, test } from "bun:test";
import { backendSuites, emptyIndex, initialisedIndex, mainLayoutIndex, type TestIndex } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { detectLayout, LayoutError, readLayout } from "../../src/index/layout/detect.ts";
import { LAYOUT_632DD41, LAYOUT_MAIN } from "../../src/index/layout/types.ts";
import { listTables } from "../../src/index/version.ts";

const MAIN_NODE_COLUMNS = [
  "id", "name", "root", "host_id", "io_class", "group_id", "active", "auto_import", "auto_verify",
  "archive", "max_total_gb", "min_avail_gb", "avail_gb", "avail_gb_last_checked", "notes", "io_config",
];

async function nodeColumns(idx: TestIndex): Promise<string[]> {
  return (await idx.db.all<{ name: string }>(idx.db.dialect.listColumnsSql, ["storagenode"])).map((r) => r.name);
}

/** The refusal every command gives on this index: one `Error:` line, exit 1, nothing on stdout. */
async function expectRefused(idx: TestIndex, pattern: RegExp): Promise<void> {
  await expect(readLayout(idx.db)).rejects.toBeInstanceOf(LayoutError);
  const r = await cliFor(idx)(["node", "list"]);
  expect(r.code).toBe(1);
  expect(r.out).toBe("");
  expect(r.err.split("\n")).toHaveLength(2);
  expect(r.err).toMatch(pattern);
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`table layout detection [${backend}]`, () => {
    test("a 632dd41 index is 632dd41's layout, kept in the connection's facts", async () => {
      await using idx = await initialisedIndex(backend);
      expect(await detectLayout(idx.db)).toEqual(LAYOUT_632DD41);
      expect(idx.db.facts.layout).toEqual(LAYOUT_632DD41);
      await idx.db.transaction(async (tx) => expect(tx.facts.layout).toEqual(LAYOUT_632DD41));
    });

    test("an index made by `db init --layout main` is main's layout, with main's columns in order", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx)(["db", "init", "--layout", "main"]);
      expect(r).toMatchObject({ code: 0, out: "Data Index version 2 initialised.\n", err: "" });
      expect(await readLayout(idx.db)).toEqual(LAYOUT_MAIN);
      expect(await listTables(idx.db)).toContain("storagehost");
      expect(await nodeColumns(idx)).toEqual(MAIN_NODE_COLUMNS);
      expect((await idx.db.all<{ name: string }>(idx.db.dialect.listColumnsSql, ["storagehost"])).map((c) => c.name)).toEqual([
        "id", "name", "username", "address", "notes",
      ]);
      // The host name is unique, as on main.
      await idx.db.run("INSERT INTO storagehost (name) VALUES ('h1')");
      await expect(idx.db.run("INSERT INTO storagehost (name) VALUES ('h1')")).rejects.toThrow();
    });

    test("an empty index has no layout", async () => {
      await using idx = await emptyIndex(backend);
      expect(await detectLayout(idx.db)).toBeUndefined();
    });

    test("db init changes nothing on an existing index of either layout, whatever --layout says", async () => {
      for (const [make, want] of [[initialisedIndex, LAYOUT_632DD41], [mainLayoutIndex, LAYOUT_MAIN]] as const) {
        await using idx = await make(backend);
        for (const layout of ["632dd41", "main"]) {
          const r = await cliFor(idx)(["db", "init", "--layout", layout]);
          expect(r).toMatchObject({ code: 0, out: "Data Index already initialised.\n", err: "" });
          expect(await readLayout(idx.db)).toEqual(want);
        }
      }
    });

    test("db init --layout with an unknown layout is a usage error", async () => {
      await using idx = await emptyIndex(backend);
      const r = await cliFor(idx)(["db", "init", "--layout", "1518526"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: Invalid value for '--layout': '1518526' is not one of '632dd41', 'main'.\n");
      expect(await listTables(idx.db)).toEqual([]);
    });

    test("both host and host_id is refused, naming what was found", async () => {
      await using idx = await mainLayoutIndex(backend);
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN host VARCHAR(64) NULL");
      await expectRefused(
        idx,
        /^Error: Unrecognised Data Index layout \(storagenode has host, host_id, archive; table storagehost present\); expected alpenhorn 632dd41's .* or upstream main's .*\.\n$/,
      );
    });

    test("host_id without the storagehost table is refused", async () => {
      await using idx = await initialisedIndex(backend);
      for (const c of ["host", "username", "address"]) await idx.db.run(`ALTER TABLE storagenode DROP COLUMN ${c}`);
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN host_id INTEGER NULL");
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN archive INTEGER NOT NULL DEFAULT 0");
      await idx.db.run("ALTER TABLE storagenode DROP COLUMN storage_type");
      await expectRefused(idx, /^Error: Unrecognised Data Index layout \(storagenode has host_id, archive; table storagehost absent\)/);
    });

    test("host records with storage_type (half-migrated) are refused", async () => {
      await using idx = await mainLayoutIndex(backend);
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN storage_type VARCHAR(1) NOT NULL DEFAULT 'A'");
      await idx.db.run("ALTER TABLE storagenode DROP COLUMN archive");
      await expectRefused(idx, /^Error: Unrecognised Data Index layout \(storagenode has host_id, storage_type; table storagehost present\)/);
    });

    test("a storagehost table beside host strings is refused", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("CREATE TABLE storagehost (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(64) NOT NULL)");
      await expectRefused(idx, /^Error: Unrecognised Data Index layout \(storagenode has host, username, address, storage_type; table storagehost present\)/);
    });

    test("upstream 1518526's interim layout (archive with host strings) is refused by name", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN archive INTEGER NOT NULL DEFAULT 0");
      await idx.db.run("ALTER TABLE storagenode DROP COLUMN storage_type");
      await expectRefused(
        idx,
        /^Error: Unsupported Data Index layout \(upstream 1518526's interim layout: storagenode has host, username, address, archive; table storagehost absent\)/,
      );
    });

    test("the daemon refuses a mixed layout before its first node query", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("ALTER TABLE storagenode ADD COLUMN host_id INTEGER NULL");
      const r = await cliFor(idx, "daemon:\n  host: h1\n")(["serve", "--once"]);
      expect(r.code).not.toBe(0);
      expect(r.err).toContain("Unrecognised Data Index layout (storagenode has host, username, address, host_id, storage_type; table storagehost absent)");
      expect(r.err).not.toContain("no such column");
    });
  });
}
