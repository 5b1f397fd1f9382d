// `alpenhorn node activate` on both backends (alpenhorn/cli/node/activate.py and
// tests/cli/node/test_activate.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { StorageNodeRow } from "../../../src/index/rows.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node activate [${backend}]`, () => {
    const node = async (idx: TestIndex) => (await idx.db.get<StorageNodeRow>("SELECT * FROM storagenode WHERE name = 'NODE'"))!;
    async function setup(idx: TestIndex, active = 0) {
      const g = await seed.group(idx.db, { name: "G" });
      return seed.node(idx.db, { name: "NODE", group_id: g.id, active, address: "addr", host: "host", root: "/root", username: "user" });
    }
    const fields = (n: StorageNodeRow) => [Number(n.active), n.address, n.host, n.root, n.username];

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "activate", "NODE"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: NODE\n" });
    });

    test("test_activate_default: activates and keeps the fields", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["node", "activate", "NODE"]);
      expect(r).toEqual({ code: 0, out: 'Storage node "NODE" activated.\n', err: "" });
      expect(fields(await node(idx))).toEqual([1, "addr", "host", "/root", "user"]);
    });

    test("test_activate_set: the options replace the fields", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["node", "activate", "NODE", "--address=addr2", "--host=host2", "--root=/root2", "--username=user2"]);
      expect(r.code).toBe(0);
      expect(fields(await node(idx))).toEqual([1, "addr2", "host2", "/root2", "user2"]);
    });

    test("test_activate_clear: empty options store NULL", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["node", "activate", "NODE", "--address=", "--host=", "--root=", "--username="]);
      expect(r.code).toBe(0);
      expect(fields(await node(idx))).toEqual([1, null, null, null, null]);
    });

    test("test_already_active: no change, and the options are ignored", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx, 1);
      const before = await node(idx);
      const r = await cliFor(idx)(["node", "activate", "NODE", "--host=other"]);
      expect(r).toEqual({ code: 0, out: 'No change: node "NODE" already active.\n', err: "" });
      expect(await node(idx)).toEqual(before);
    });

    test("demo: `node activate demo_storage2 --username root --address alpenhost2`", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["node", "create", "demo_storage2", "--create-group", "--root=/data", "--host=alpenhost2"]);
      expect(await cli(["node", "activate", "demo_storage2", "--username", "root", "--address", "alpenhost2"])).toEqual({
        code: 0,
        out: 'Storage node "demo_storage2" activated.\n',
        err: "",
      });
      const n = (await idx.db.get<StorageNodeRow>("SELECT * FROM storagenode"))!;
      expect(fields(n)).toEqual([1, "alpenhost2", "alpenhost2", "/data", "root"]);
    });
  });
}
