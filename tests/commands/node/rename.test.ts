// `alpenhorn node rename` on both backends (alpenhorn/cli/node/rename.py and
// tests/cli/node/test_rename.py at 632dd41; the new name printed as
// README "Differences from alpenhorn" says).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node rename [${backend}]`, () => {
    const names = async (idx: TestIndex) => (await idx.db.all<{ name: string }>("SELECT name FROM storagenode ORDER BY id")).map((r) => r.name);
    async function setup(idx: TestIndex, ...nodes: string[]) {
      const g = await seed.group(idx.db, { name: "G" });
      for (const name of nodes) await seed.node(idx.db, { name, group_id: g.id });
    }

    test("test_no_rename: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "rename", "MISSING", "NEW"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: MISSING\n" });
    });

    test("test_rename: renames and names the new name", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, "OLD");
      const r = await cliFor(idx)(["node", "rename", "OLD", "NEW"]);
      expect(r).toEqual({ code: 0, out: 'Storage node "OLD" renamed to "NEW".\n', err: "" });
      expect(await names(idx)).toEqual(["NEW"]);
    });

    test("test_idemrename: the same name is no change", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, "SAME");
      const r = await cliFor(idx)(["node", "rename", "SAME", "SAME"]);
      expect(r).toEqual({ code: 0, out: "No change.\n", err: "" });
      expect(await names(idx)).toEqual(["SAME"]);
    });

    test("renaming onto a name the database's collation calls taken gets the already-exists error", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, "OLD", "NEW");
      const r = await cliFor(idx)(["node", "rename", "OLD", "new"]);
      if (backend === "mysql") {
        expect(r).toEqual({ code: 1, out: "", err: 'Error: Storage node "new" already exists.\n' });
        expect(await names(idx)).toEqual(["OLD", "NEW"]);
      } else expect(await names(idx)).toEqual(["new", "NEW"]);
    });

    test("test_rename_exists: an existing target fails, naming it, and changes nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, "OLD", "NEW");
      const r = await cliFor(idx)(["node", "rename", "OLD", "NEW"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: Storage node "NEW" already exists.\n' });
      expect(await names(idx)).toEqual(["OLD", "NEW"]);
    });
  });
}
