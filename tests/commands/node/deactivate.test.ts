// `alpenhorn node deactivate` on both backends (alpenhorn/cli/node/deactivate.py and
// tests/cli/node/test_deactivate.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node deactivate [${backend}]`, () => {
    const active = async (idx: TestIndex) => Number((await idx.db.get<{ active: number }>("SELECT active FROM storagenode WHERE name = 'NODE'"))!.active);
    async function setup(idx: TestIndex, on: number) {
      const g = await seed.group(idx.db, { name: "G" });
      await seed.node(idx.db, { name: "NODE", group_id: g.id, active: on });
    }

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "deactivate", "NODE"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: NODE\n" });
    });

    test("test_do_deactivate: an active node becomes inactive", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, 1);
      const r = await cliFor(idx)(["node", "deactivate", "NODE"]);
      expect(r).toEqual({ code: 0, out: 'Storage node "NODE" deactivated.\n', err: "" });
      expect(await active(idx)).toBe(0);
    });

    test("test_already_inactive: no change", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, 0);
      const r = await cliFor(idx)(["node", "deactivate", "NODE"]);
      expect(r).toEqual({ code: 0, out: 'No change: node "NODE" already inactive.\n', err: "" });
      expect(await active(idx)).toBe(0);
    });
  });
}
