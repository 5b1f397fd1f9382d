// `alpenhorn group create` on both backends (alpenhorn/cli/group/create.py and
// tests/cli/group/test_create.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import type { StorageGroupRow } from "../../../src/index/rows.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group create [${backend}]`, () => {
    const groups = (idx: { db: { all<T>(sql: string): Promise<T[]> } }) => idx.db.all<StorageGroupRow>("SELECT * FROM storagegroup ORDER BY id");

    test("test_create: stores notes, the Default class and no I/O config", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "TEST", "--notes=Notes"]);
      expect(r).toEqual({ code: 0, out: 'Created storage group "TEST".\n', err: "" });
      expect(await groups(idx)).toEqual([{ id: 1, name: "TEST", io_class: "Default", notes: "Notes", io_config: null }]);
    });

    test("test_create_existing: an existing name fails and adds nothing", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["group", "create", "TEST"]);
      const r = await cli(["group", "create", "TEST", "--notes=x"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: Group "TEST" already exists.\n' });
      expect(await groups(idx)).toHaveLength(1);
    });

    test("test_create_ioconifg: --io-config is stored as Python json.dumps text", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "TEST", '--io-config={"a":3,"b":4}']);
      expect(r.code).toBe(0);
      expect((await groups(idx))[0]!.io_config).toBe('{"a": 3, "b": 4}');
    });

    test("test_create_iovar: repeated --io-var, the last one wins", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "TEST", "--io-var=a=3", "--io-var=b=4", "--io-var=a=5"]);
      expect(r.code).toBe(0);
      expect((await groups(idx))[0]!.io_config).toBe('{"a": 5, "b": 4}');
    });

    test("test_create_ioconfig_var: --io-var edits --io-config", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "TEST", '--io-config={"a": 6, "b": 7}', "--io-var=a=8", "--io-var=c=8.5"]);
      expect(r.code).toBe(0);
      expect((await groups(idx))[0]!.io_config).toBe('{"a": 8, "b": 7, "c": 8.5}');
    });

    test("--class and --notes given empty are stored as empty strings", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "TEST", "--class=", "--notes="]);
      expect(r.code).toBe(0);
      expect((await groups(idx))[0]).toMatchObject({ io_class: "", notes: "" });
    });

    test("a bad --io-config fails before anything is written", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["group", "create", "TEST", "--io-config=[1]"])).toMatchObject({ code: 1, err: "Error: Argument to --io-config must be a JSON object literal.\n" });
      expect(await cli(["group", "create", "TEST", "--io-config={"])).toMatchObject({ code: 1, err: "Error: Unable to parse --io-config value as JSON.\n" });
      expect(await cli(["group", "create", "TEST", "--io-var=a"])).toMatchObject({ code: 1, err: 'Error: Missing equals sign in "--io-var=a"\n' });
      expect(await groups(idx)).toEqual([]);
    });

    test("a name only the database's collation calls taken gets the already-exists error", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["group", "create", "TEST"]);
      const r = await cli(["group", "create", "test"]);
      // MySQL's _ci unique index refuses it; SQLite's binary one allows it.
      if (backend === "mysql") expect(r).toEqual({ code: 1, out: "", err: 'Error: Group "test" already exists.\n' });
      else expect(r.code).toBe(0);
      expect(await groups(idx)).toHaveLength(backend === "mysql" ? 1 : 2);
    });

    test("-q silences the message but still creates the group", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["-q", "group", "create", "TEST"]);
      expect(r).toEqual({ code: 0, out: "", err: "" });
      expect(await groups(idx)).toHaveLength(1);
    });

    test("the demo's transport group: -i/--class sets the class", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "create", "--class=Transport", "transport_group"]);
      expect(r).toEqual({ code: 0, out: 'Created storage group "transport_group".\n', err: "" });
      expect((await groups(idx))[0]!.io_class).toBe("Transport");
    });
  });
}
