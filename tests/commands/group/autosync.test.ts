// `alpenhorn group autosync` on both backends (alpenhorn/cli/group/autosync.py and
// tests/cli/group/test_autosync.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group autosync [${backend}]`, () => {
    async function setup(idx: TestIndex) {
      const group = await seed.group(idx.db, { name: "Group" });
      const other = await seed.group(idx.db, { name: "Other" });
      const node = await seed.node(idx.db, { name: "Node", group_id: other.id });
      return { group, other, node };
    }
    const actions = (idx: TestIndex) =>
      idx.db.all<{ node_from_id: number; group_to_id: number; autosync: number; autoclean: number }>(
        "SELECT node_from_id, group_to_id, autosync, autoclean FROM storagetransferaction ORDER BY id",
      );
    const num = (rows: Array<Record<string, unknown>>) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])));

    test("test_no_group: an unknown group fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Missing", "Node"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
    });

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Group", "Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: Missing\n" });
      expect(await actions(idx)).toEqual([]);
    });

    test("test_node_in_group: enabling for a member node fails", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Other", "Node"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: can\'t enable autosync: Node "Node" is in group "Other"\n' });
      expect(await actions(idx)).toEqual([]);
    });

    test("test_stop_node_in_group: --remove for a member node is fine", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Other", "Node", "--remove"]);
      expect(r).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([]);
    });

    test("test_start_noop: already on is no change", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 1 });
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node"]);
      expect(r).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(num(await actions(idx))).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 0 }]);
    });

    test("test_stop_noop: explicit off stays off", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 1 });
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node", "--remove"]);
      expect(r).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(num(await actions(idx))).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 1 }]);
    });

    test("test_start_from_stop: off becomes on", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 1 });
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node"]);
      expect(r).toEqual({ code: 0, out: 'Auto-sync from "Node" started\n', err: "" });
      expect(num(await actions(idx))).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 1 }]);
    });

    test("test_stop_from_start: on becomes off, the row stays", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: group.id, autosync: 1 });
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node", "--remove"]);
      expect(r).toEqual({ code: 0, out: 'Auto-sync from "Node" stopped.\n', err: "" });
      expect(num(await actions(idx))).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 0, autoclean: 0 }]);
    });

    test("test_start_create: no row yet creates one with autosync on", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node } = await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node"]);
      expect(r).toEqual({ code: 0, out: 'Auto-sync from "Node" started\n', err: "" });
      expect(num(await actions(idx))).toEqual([{ node_from_id: node.id, group_to_id: group.id, autosync: 1, autoclean: 0 }]);
    });

    test("--remove without a row is no change and creates nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await setup(idx);
      const r = await cliFor(idx)(["group", "autosync", "Group", "Node", "--remove"]);
      expect(r).toEqual({ code: 0, out: "No change\n", err: "" });
      expect(await actions(idx)).toEqual([]);
    });
  });
}
