// `alpenhorn group show` on both backends (alpenhorn/cli/group/show.py and
// tests/cli/group/test_show.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileRow, StorageNodeRow } from "../../../src/index/rows.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group show [${backend}]`, () => {
    // Two member nodes (one outside), with copies, transfers and actions for the optional sections.
    async function site(idx: TestIndex) {
      const db = idx.db;
      const group = await seed.group(db, { name: "Group", notes: "Comment", io_class: "GroupClass", io_config: '{"Param1": 1, "Param2": 2}' });
      const other = await seed.group(db, { name: "Other" });
      const node1 = await seed.node(db, { name: "Node1", group_id: group.id, host: "over_here", active: 1 });
      const node2 = await seed.node(db, { name: "Node2", group_id: group.id, host: "over_there", io_class: "NodeClass", max_total_gb: 10 });
      const node3 = await seed.node(db, { name: "Node3", group_id: other.id });
      const acq = await seed.acq(db, { name: "acq" });
      // Sequential inserts: on MySQL's connection pool, parallel ones take ids in any order.
      const f: ArchiveFileRow[] = [];
      for (const [i, size_b] of [1234, 3456, 4567, 1234, 9999].entries()) f.push(await seed.file(db, { name: `f${i}`, acq_id: acq.id, size_b }));
      const [f0, f1, f2, f3, f4] = f;
      // Node1: 1234 + 3456 = 4690 B (4.580 kiB); Node2: 1234 + 4567 = 5801 B (5.665 kiB); X and Y/N copies ignored.
      await seed.copy(db, { file_id: f0!.id, node_id: node1.id, has_file: "Y" });
      await seed.copy(db, { file_id: f1!.id, node_id: node1.id, has_file: "Y" });
      await seed.copy(db, { file_id: f2!.id, node_id: node1.id, has_file: "X" });
      await seed.copy(db, { file_id: f3!.id, node_id: node2.id, has_file: "Y" });
      await seed.copy(db, { file_id: f2!.id, node_id: node2.id, has_file: "Y" });
      await seed.copy(db, { file_id: f4!.id, node_id: node2.id, has_file: "Y", wants_file: "N" });
      // Pending inbound: three from Node3 (3 × 1234 B), one from Node1; completed/cancelled ignored.
      for (const file of [f0!, f3!, f0!]) await seed.copyRequest(db, { file_id: file.id, group_to_id: group.id, node_from_id: node3.id });
      await seed.copyRequest(db, { file_id: f0!.id, group_to_id: group.id, node_from_id: node1.id });
      await seed.copyRequest(db, { file_id: f4!.id, group_to_id: group.id, node_from_id: node1.id, completed: 1 });
      await seed.copyRequest(db, { file_id: f4!.id, group_to_id: group.id, node_from_id: node3.id, cancelled: 1 });
      await seed.copyRequest(db, { file_id: f4!.id, group_to_id: other.id, node_from_id: node1.id });
      return { group, other, node1, node2, node3 };
    }

    test("test_no_show: an unknown group fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "show", "Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
    });

    test("test_show_defaults: NULL notes and class, no config, no nodes", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "Group" });
      const r = await cliFor(idx)(["group", "show", "Group"]);
      expect(r).toEqual({
        code: 0,
        out: "Storage Group: Group\n        Notes: \n    I/O Class: Default\n\nI/O Config:\n\n  none\n\nNodes:\n\n  none\n",
        err: "",
      });
    });

    test("test_show_io_config: notes, class, config keys and the node list", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["group", "show", "Group"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        "Storage Group: Group\n        Notes: Comment\n    I/O Class: GroupClass\n\nI/O Config:\n\n  Param1: 1\n  Param2: 2\n\nNodes:\n\n  Node1\n  Node2\n",
      );
    });

    test("test_show_empty_io_config / invalid config: `empty` and the decode-error line", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "Empty", io_config: "{}" });
      await seed.group(idx.db, { name: "Bad", io_config: "{bad" });
      await seed.group(idx.db, { name: "Typed", io_config: '{"long_key": [1, 2.0], "k": true, "n": null, "d": {"x": "y"}}' });
      const cli = cliFor(idx);
      expect((await cli(["group", "show", "Empty"])).out).toContain("I/O Config:\n\n  empty\n\nNodes:");
      expect((await cli(["group", "show", "Bad"])).out).toContain("I/O Config:\n\nINVALID (JSON decode error)\n\nNodes:");
      expect((await cli(["group", "show", "Typed"])).out).toContain(
        "I/O Config:\n\n  long_key: [1, 2.0]\n         k: True\n         n: None\n         d: {'x': 'y'}\n\nNodes:",
      );
    });

    test("test_show_node_details: Name, Host, Active, I/O Class", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["group", "show", "Group", "--node-details"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "Node1", "over_here", "Yes", "Default")).toBe(true);
      expect(hasRow(r.out, "Node2", "over_there", "No", "NodeClass")).toBe(true);
    });

    test("test_show_node_stats: counts Y/Y copies only, sizes and % full", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["group", "show", "Group", "--node-stats"]);
      expect(r.code).toBe(0);
      expect(r.out).toEndWith(
        "Nodes:\n\nName      File Count  Total Size    % Full\n------  ------------  ------------  --------\nNode1              2  4.580 kiB     -\nNode2              2  5.665 kiB     0.00\n",
      );
    });

    test("an all-numeric % Full column is re-rendered as numbers (tabulate)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const n = await seed.node(idx.db, { name: "N", group_id: g.id, max_total_gb: 1 });
      const acq = await seed.acq(idx.db, { name: "a" });
      const f = await seed.file(idx.db, { name: "f", acq_id: acq.id, size_b: 2 ** 28 });
      await seed.copy(idx.db, { file_id: f.id, node_id: n.id, has_file: "Y" });
      const r = await cliFor(idx)(["group", "show", "G", "--node-stats"]);
      expect(r.out).toEndWith("Name      File Count  Total Size      % Full\n------  ------------  ------------  --------\nN                  1  256.0 MiB           25\n");
    });

    test("test_show_node_details_stats: both give the seven-column table", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["group", "show", "Group", "--node-details", "--node-stats"]);
      expect(hasRow(r.out, "Node1", "over_here", "Yes", "Default", 2, "4.580 kiB", "-")).toBe(true);
      expect(hasRow(r.out, "Node2", "over_there", "No", "NodeClass", 2, "5.665 kiB", "0.00")).toBe(true);
    });

    test("test_show_transfers: pending inbound requests per source node, by name", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["group", "show", "Group", "--transfers"]);
      expect(r.out).toEndWith(
        "Pending inbound transfers:\n\nSource Node      Request Count  Total Size\n-------------  ---------------  ------------\nNode1                        1  1.205 kiB\nNode3                        3  3.615 kiB\n",
      );
    });

    test("--transfers with none prints the empty table", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "G" });
      const r = await cliFor(idx)(["group", "show", "G", "--transfers"]);
      expect(r.out).toEndWith("Pending inbound transfers:\n\nSource Node    Request Count    Total Size\n-------------  ---------------  ------------\n");
    });

    test("test_show_actions: auto-clean then auto-sync rows per node; inactive edges and other groups absent", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const o = await seed.group(idx.db, { name: "Other" });
      const nodes: StorageNodeRow[] = [];
      for (const i of [1, 2, 3, 4, 5]) nodes.push(await seed.node(idx.db, { name: `Node${i}`, group_id: o.id }));
      const act = (i: number, autosync: number, autoclean: number, to = g.id) =>
        seed.transferAction(idx.db, { node_from_id: nodes[i - 1]!.id, group_to_id: to, autosync, autoclean });
      await act(1, 1, 1);
      await act(2, 0, 1);
      await act(3, 1, 0);
      await act(4, 0, 0);
      await act(5, 1, 1, o.id);
      const r = await cliFor(idx)(["group", "show", "Group", "--actions"]);
      expect(r.out).toEndWith(
        [
          "Auto-actions:",
          "",
          "Node    Action      Trigger",
          "------  ----------  ------------------------",
          "Node1   Auto-clean  File added to this group",
          "Node1   Auto-sync   File added to that node",
          "Node2   Auto-clean  File added to this group",
          "Node3   Auto-sync   File added to that node",
          "",
        ].join("\n"),
      );
    });

    test("--actions with none prints `  none`", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "G" });
      const r = await cliFor(idx)(["group", "show", "G", "--actions"]);
      expect(r.out).toEndWith("Auto-actions:\n\n  none\n");
    });

    test("test_show_all: every section, in order", async () => {
      await using idx = await initialisedIndex(backend);
      const { group, node1 } = await site(idx);
      await seed.transferAction(idx.db, { node_from_id: node1.id, group_to_id: group.id, autosync: 1 });
      const r = await cliFor(idx)(["group", "show", "Group", "--all"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "Node2", "over_there", "No", "NodeClass", 2, "5.665 kiB", "0.00")).toBe(true);
      expect(hasRow(r.out, "Node3", 3, "3.615 kiB")).toBe(true);
      expect(hasRow(r.out, "Node1", "Auto-sync", "File added to that node")).toBe(true);
      const order = ["I/O Config:", "Nodes:", "Pending inbound transfers:", "Auto-actions:"].map((h) => r.out.indexOf(h));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    });

    test("demo: `group show demo_storage2 --actions` after autosync", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["group", "create", "demo_storage1"]);
      await cli(["node", "create", "demo_storage1", "--group=demo_storage1", "--root=/data", "--host=alpenhost1"]);
      await cli(["node", "create", "demo_storage2", "--create-group", "--root=/data", "--host=alpenhost2"]);
      expect(await cli(["group", "autosync", "demo_storage2", "demo_storage1"])).toEqual({ code: 0, out: 'Auto-sync from "demo_storage1" started\n', err: "" });
      const r = await cli(["group", "show", "demo_storage2", "--actions"]);
      expect(r.out).toBe(
        [
          "Storage Group: demo_storage2",
          "        Notes: ",
          "    I/O Class: Default",
          "",
          "I/O Config:",
          "",
          "  none",
          "",
          "Nodes:",
          "",
          "  demo_storage2",
          "",
          "Auto-actions:",
          "",
          "Node           Action     Trigger",
          "-------------  ---------  -----------------------",
          "demo_storage1  Auto-sync  File added to that node",
          "",
        ].join("\n"),
      );
    });
  });
}
