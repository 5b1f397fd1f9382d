// `alpenhorn group rename` on both backends (alpenhorn/cli/group/rename.py and
// tests/cli/group/test_rename.py at 632dd41; the new name printed as
// README "Differences from alpenhorn" says).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group rename [${backend}]`, () => {
    const names = async (idx: { db: { all<T>(sql: string): Promise<T[]> } }) =>
      (await idx.db.all<{ name: string }>("SELECT name FROM storagegroup ORDER BY id")).map((r) => r.name);

    test("test_no_rename: an unknown group fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "rename", "MISSING", "NEW"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such storage group: MISSING.\n" });
    });

    test("test_rename: renames and names the new name", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "OLD" });
      const r = await cliFor(idx)(["group", "rename", "OLD", "NEW"]);
      expect(r).toEqual({ code: 0, out: 'Storage group "OLD" renamed to "NEW"\n', err: "" });
      expect(await names(idx)).toEqual(["NEW"]);
    });

    test("test_idemrename: the same name is no change", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "SAME" });
      const r = await cliFor(idx)(["group", "rename", "SAME", "SAME"]);
      expect(r).toEqual({ code: 0, out: "No change.\n", err: "" });
      expect(await names(idx)).toEqual(["SAME"]);
    });

    test("test_rename_exists: an existing target fails, naming it, and changes nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "OLD" });
      await seed.group(idx.db, { name: "NEW" });
      const r = await cliFor(idx)(["group", "rename", "OLD", "NEW"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: Storage group "NEW" already exists.\n' });
      expect(await names(idx)).toEqual(["OLD", "NEW"]);
    });
  });
}
