// `alpenhorn node autoclean` on both backends (alpenhorn/cli/node/autoclean.py and
// tests/cli/node/test_autoclean.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node autoclean [${backend}]`, () => {
    async function setup(idx: TestIndex) {
      const group = await seed.group(idx.db, { name: "Group" });
      const own = await seed.group(idx.db, { name: "Own" });
      const node = await seed.node(idx.db, { name: "Node", group_id: own.id });
      return { group, node };
    }
    const actions = async (idx: TestIndex) =>
      (await idx.db.all<Record<string, unknown>>("SELECT node_from_id, group_to_id, autosync, autoclean FROM storagetransferaction ORDER BY id")).map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])),
      );

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      expect(await cliFor(idx)(["node", "autoclean", "Missing", "Group"])).toEqual({ code: 1, out: "", err: "Error: no such node: Missing\n" });
    });

    test("test_no_group: an unknown group fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Missing"])).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
    });

    test("test_node_in_group: enabling on the node's own group fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["node", "autoclean", "Node", "Own"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: can\'t enable autoclean: Node "Node" is in group "Own"\n' });
      expect(await actions(idx)).toEqual([]);
    });

    test("test_remove_node_in_group: --remove on the own group is fine", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Own", "--remove"])).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([]);
    });

    test("test_add_noop: already on is no change", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autoclean: 1 });
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group"])).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 1 }]);
    });

    test("test_remove_noop: explicit off stays off", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 0 });
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group", "--remove"])).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 0 }]);
    });

    test("test_add_from_remove: off becomes on", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 0 });
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group"])).toEqual({ code: 0, out: 'Auto-clean trigger: Group "Group" added\n', err: "" });
      expect(await actions(idx)).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 1 }]);
    });

    test("test_remove_from_add: on becomes off, the row stays", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autoclean: 1 });
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group", "--remove"])).toEqual({
        code: 0,
        out: 'Auto-clean trigger: Group "Group" removed.\n',
        err: "",
      });
      expect(await actions(idx)).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 0 }]);
    });

    test("test_add_create: no row yet creates one with autoclean on", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group"])).toEqual({ code: 0, out: 'Auto-clean trigger: Group "Group" added\n', err: "" });
      expect(await actions(idx)).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 1 }]);
    });

    test("--remove without a row is no change and creates nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      expect(await cliFor(idx)(["node", "autoclean", "Node", "Group", "--remove"])).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([]);
    });
  });
}
