// `alpenhorn group modify` on both backends (alpenhorn/cli/group/modify.py and
// tests/cli/group/test_modify.py at 632dd41).
// Options not given leave their column alone and an emptied config is NULL (fixed; README
// "Differences from alpenhorn").

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { StorageGroupRow } from "../../../src/index/rows.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group modify [${backend}]`, () => {
    const group = async (idx: TestIndex) => (await idx.db.get<StorageGroupRow>("SELECT * FROM storagegroup WHERE name = 'TEST'"))!;

    test("test_no_modify: an unknown group fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "modify", "TEST", "--notes=x"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: Storage group "TEST" does not exist.\n' });
    });

    test("test_modify_empty: no options change nothing (upstream would clear notes and class)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", notes: "Note", io_class: "Class", io_config: '{"a": 1}' });
      const r = await cliFor(idx)(["group", "modify", "TEST"]);
      expect(r).toEqual({ code: 0, out: "Nothing to do.\n", err: "" });
      expect(await group(idx)).toMatchObject({ notes: "Note", io_class: "Class", io_config: '{"a": 1}' });
    });

    test("test_modify_no_change: the same notes is nothing to do", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", notes: "Note" });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--notes=Note"]);
      expect(r).toEqual({ code: 0, out: "Nothing to do.\n", err: "" });
      expect(await group(idx)).toMatchObject({ notes: "Note", io_class: null, io_config: null });
    });

    test("test_modify: sets notes and class", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", notes: "Note" });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--notes=New Note", "--class=NewClass"]);
      expect(r).toEqual({ code: 0, out: "Storage group updated.\n", err: "" });
      expect(await group(idx)).toMatchObject({ notes: "New Note", io_class: "NewClass" });
    });

    test("test_modify_delete: empty --notes and --class store NULL", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", notes: "Note", io_class: "IOClass" });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--notes=", "--class="]);
      expect(r).toEqual({ code: 0, out: "Storage group updated.\n", err: "" });
      expect(await group(idx)).toMatchObject({ notes: null, io_class: null });
    });

    test("test_modify_ioconfig: --io-config replaces, --io-var edits", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", io_config: '{"a": 1, "b": 2, "c": 3}' });
      const r = await cliFor(idx)(["group", "modify", "TEST", '--io-config={"a": 4, "b": 5, "c": 6}', "--io-var=b=8", "--io-var=c=", "--io-var=d=7"]);
      expect(r).toEqual({ code: 0, out: "Storage group updated.\n", err: "" });
      expect((await group(idx)).io_config).toBe('{"a": 4, "b": 8, "d": 7}');
    });

    test("--io-var alone edits the stored config", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", io_config: '{"a": 1, "b": 2}' });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--io-var=a=", "--io-var=c=x"]);
      expect(r.code).toBe(0);
      expect((await group(idx)).io_config).toBe('{"b": 2, "c": "x"}');
    });

    test("emptying the config stores NULL, not the text null (upstream bug fixed)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", io_config: '{"a": 1}' });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--io-config="]);
      expect(r).toEqual({ code: 0, out: "Storage group updated.\n", err: "" });
      expect((await group(idx)).io_config).toBeNull();
    });

    test("test_modify_iovar_bad_json: invalid stored JSON fails and changes nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", notes: "Note", io_config: "{bad" });
      const r = await cliFor(idx)(["group", "modify", "TEST", "--io-var=a=1", "--notes=New"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: Invalid I/O config in database: {bad.\n" });
      expect(await group(idx)).toMatchObject({ notes: "Note", io_config: "{bad" });
    });

    test("test_modify_fix_json: --io-config repairs invalid stored JSON", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST", io_config: "{bad" });
      const r = await cliFor(idx)(["group", "modify", "TEST", '--io-config={"a": 10}']);
      expect(r).toEqual({ code: 0, out: "Storage group updated.\n", err: "" });
      expect((await group(idx)).io_config).toBe('{"a": 10}');
    });
  });
}
