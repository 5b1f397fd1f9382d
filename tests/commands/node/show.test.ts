// `alpenhorn node show` on both backends (alpenhorn/cli/node/show.py and
// tests/cli/node/test_show.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import type { StorageGroupRow, StorageNodeRow } from "../../../src/index/rows.ts";

/** Files of 1234 B (Y/Y), 2345 B (X/Y) and 3456 B (Y/Y) on `node`; returns the last file. */
async function statFiles(db: Db, node: StorageNodeRow) {
  const acq = await seed.acq(db, { name: "acq" });
  const f1 = await seed.file(db, { name: "File1", acq_id: acq.id, size_b: 1234 });
  await seed.copy(db, { file_id: f1.id, node_id: node.id, has_file: "Y", wants_file: "Y" });
  const f2 = await seed.file(db, { name: "File2", acq_id: acq.id, size_b: 2345 });
  await seed.copy(db, { file_id: f2.id, node_id: node.id, has_file: "X", wants_file: "Y" });
  const f3 = await seed.file(db, { name: "File3", acq_id: acq.id, size_b: 3456 });
  await seed.copy(db, { file_id: f3.id, node_id: node.id, has_file: "Y", wants_file: "Y" });
  return f3;
}

/** Three pending requests to `g1`, and to `g2` one pending, one cancelled, one completed. */
async function transfers(db: Db, node: StorageNodeRow, fileId: number, g1: StorageGroupRow, g2: StorageGroupRow) {
  for (let i = 0; i < 3; i++) await seed.copyRequest(db, { file_id: fileId, node_from_id: node.id, group_to_id: g1.id });
  await seed.copyRequest(db, { file_id: fileId, node_from_id: node.id, group_to_id: g2.id });
  await seed.copyRequest(db, { file_id: fileId, node_from_id: node.id, group_to_id: g2.id, cancelled: 1 });
  await seed.copyRequest(db, { file_id: fileId, node_from_id: node.id, group_to_id: g2.id, completed: 1 });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node show [${backend}]`, () => {
    test("unknown node (test_no_show)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "show", "TEST"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: TEST\n" });
    });

    test("defaults (test_show_defaults)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "SGroup" });
      await seed.node(idx.db, { name: "SNode", group_id: g.id });
      const r = await cliFor(idx)(["node", "show", "SNode"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out: [
          "   Storage Node: SNode",
          "  Storage Group: SGroup",
          "         Active: No",
          "           Type: Archive",
          "          Notes: ",
          "      I/O Class: Default",
          "",
          "    Daemon Host: ",
          " Log-in Address: ",
          "Log-in Username: ",
          "Filesystem Root: ",
          "",
          "    Auto-Import: Off",
          "    Auto-Verify: Off",
          "      Max Total: -",
          "      Available: -",
          "  Min Available: -",
          "   Last Checked: -",
          "",
          "I/O Config:",
          "",
          "  none",
          "",
        ].join("\n"),
      });
    });

    test("all fields set (test_show_full)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, {
        name: "Node",
        group_id: g.id,
        notes: "Comment",
        io_class: "IOClass",
        active: 1,
        auto_import: 1,
        auto_verify: 11,
        host: "Host",
        address: "Addr",
        username: "User",
        root: "/data",
        storage_type: "T",
        max_total_gb: 10.5,
        min_avail_gb: 0.25,
        avail_gb: 3.333,
        avail_gb_last_checked: "2001-01-01 01:01:01.123456",
      });
      const r = await cliFor(idx)(["node", "show", "Node"]);
      expect(r.out).toBe(
        [
          "   Storage Node: Node",
          "  Storage Group: Group",
          "         Active: Yes",
          "           Type: Transport",
          "          Notes: Comment",
          "      I/O Class: IOClass",
          "",
          "    Daemon Host: Host",
          " Log-in Address: Addr",
          "Log-in Username: User",
          "Filesystem Root: /data",
          "",
          "    Auto-Import: On",
          "    Auto-Verify: On (Size: 11)",
          "      Max Total: 10.50 GiB",
          "      Available: 3.333 GiB",
          "  Min Available: 256.0 MiB",
          "   Last Checked: Mon Jan  1 01:01:01 2001 UTC",
          "",
          "I/O Config:",
          "",
          "  none",
          "",
        ].join("\n"),
      );
    });

    test("non-positive sizes show `-` (test_negative_gb)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id, max_total_gb: -1, min_avail_gb: -1, avail_gb: -1 });
      const r = await cliFor(idx)(["node", "show", "Node"]);
      expect(r.out).toContain("      Max Total: -\n      Available: -\n  Min Available: -\n");
    });

    test("empty I/O config (test_show_empty_io_config)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id, io_class: "IOClass", io_config: "{}" });
      const r = await cliFor(idx)(["node", "show", "Node"]);
      expect(r.out).toEndWith("I/O Config:\n\n  empty\n");
    });

    test("I/O config keys (test_show_io_config)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id, io_config: '{"Param1": 1, "LongParam2": [1, 2.0]}' });
      const r = await cliFor(idx)(["node", "show", "Node"]);
      expect(r.out).toEndWith("I/O Config:\n\n      Param1: 1\n  LongParam2: [1, 2.0]\n");
    });

    test("invalid I/O config", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id, io_config: "{bad" });
      const r = await cliFor(idx)(["node", "show", "Node"]);
      expect(r.out).toEndWith("I/O Config:\n\nINVALID (JSON decode error)\n");
    });

    test("--stats (test_show_node_stats)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n = await seed.node(idx.db, { name: "Node", group_id: g.id, active: 1, max_total_gb: 2 ** -17 });
      await statFiles(idx.db, n);
      const r = await cliFor(idx)(["node", "show", "Node", "--stats"]);
      expect(r.out).toEndWith("\nStats:\n\n    Total Files: 2\n     Total Size: 4.580 kiB\n          Usage: 57.25%\n");
    });

    test("--stats without data or max prints `Usage: -%`", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id });
      const r = await cliFor(idx)(["node", "show", "Node", "--stats"]);
      expect(r.out).toEndWith("\nStats:\n\n    Total Files: 0\n     Total Size: -\n          Usage: -%\n");
    });

    test("--actions (test_show_actions)", async () => {
      await using idx = await initialisedIndex(backend);
      const g1 = await seed.group(idx.db, { name: "Group1" });
      const n1 = await seed.node(idx.db, { name: "Node1", group_id: g1.id });
      const g2 = await seed.group(idx.db, { name: "Group2" });
      const n2 = await seed.node(idx.db, { name: "Node2", group_id: g2.id });
      await seed.transferAction(idx.db, { node_from_id: n1.id, group_to_id: g2.id, autosync: 1, autoclean: 1 });
      const g3 = await seed.group(idx.db, { name: "Group3" });
      await seed.transferAction(idx.db, { node_from_id: n1.id, group_to_id: g3.id, autosync: 0, autoclean: 1 });
      const g4 = await seed.group(idx.db, { name: "Group4" });
      await seed.transferAction(idx.db, { node_from_id: n1.id, group_to_id: g4.id, autosync: 1, autoclean: 0 });
      const g5 = await seed.group(idx.db, { name: "Group5" });
      await seed.transferAction(idx.db, { node_from_id: n1.id, group_to_id: g5.id });
      const g6 = await seed.group(idx.db, { name: "Group6" });
      await seed.transferAction(idx.db, { node_from_id: n2.id, group_to_id: g6.id, autosync: 1, autoclean: 1 });
      const r = await cliFor(idx)(["node", "show", "Node1", "--actions"]);
      expect(r.out).toEndWith(
        "\nAuto-actions:\n\n" +
          [
            "Group    Action      Trigger",
            "-------  ----------  ------------------------",
            "Group2   Auto-clean  File added to that group",
            "Group2   Auto-sync   File added to this node",
            "Group3   Auto-clean  File added to that group",
            "Group4   Auto-sync   File added to this node",
            "",
          ].join("\n"),
      );
    });

    test("--actions with none", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const n = await seed.node(idx.db, { name: "N", group_id: g.id });
      await seed.transferAction(idx.db, { node_from_id: n.id, group_to_id: g.id });
      const r = await cliFor(idx)(["node", "show", "N", "--actions"]);
      expect(r.out).toEndWith("\nAuto-actions:\n\n  none\n");
    });

    test("--transfers (test_show_transfers)", async () => {
      await using idx = await initialisedIndex(backend);
      const g1 = await seed.group(idx.db, { name: "Group1" });
      const g2 = await seed.group(idx.db, { name: "Group2" });
      const n = await seed.node(idx.db, { name: "Node", group_id: g1.id });
      const acq = await seed.acq(idx.db, { name: "acq" });
      const f = await seed.file(idx.db, { name: "File1", acq_id: acq.id, size_b: 1234 });
      await transfers(idx.db, n, f.id, g1, g2);
      const r = await cliFor(idx)(["node", "show", "Node", "--transfers"]);
      expect(r.out).toEndWith(
        "\nPending outbound transfers:\n\n" +
          [
            "Dest. Group      Request Count  Total Size",
            "-------------  ---------------  ------------",
            "Group1                       3  3.615 kiB",
            "Group2                       1  1.205 kiB",
            "",
          ].join("\n"),
      );
    });

    test("--imports lists pending requests, node inits first (test_show_imports)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n = await seed.node(idx.db, { name: "Node", group_id: g.id });
      const other = await seed.node(idx.db, { name: "Other", group_id: g.id });
      await seed.importRequest(idx.db, { node_id: n.id, path: "import/path", recurse: 1, register: 0, timestamp: "2025-01-02 03:04:05" });
      await seed.importRequest(idx.db, { node_id: n.id, path: "ALPENHORN_NODE", timestamp: "2025-01-03 00:00:00" });
      await seed.importRequest(idx.db, { node_id: n.id, path: "other/path", recurse: 0, register: 1, timestamp: "2025-01-01 00:00:00" });
      await seed.importRequest(idx.db, { node_id: n.id, path: "ALPENHORN_NODE", timestamp: "2025-01-04 00:00:00" });
      await seed.importRequest(idx.db, { node_id: n.id, path: "done/path", completed: 1 });
      await seed.importRequest(idx.db, { node_id: other.id, path: "elsewhere" });
      const r = await cliFor(idx)(["node", "show", "Node", "--imports"]);
      expect(r.out).toEndWith(
        "\nPending import requests:\n\n" +
          [
            "Path         Scan    Register New    Request Time",
            "-----------  ------  --------------  -------------------",
            "[Node Init]  -       -               2025-01-03 00:00:00",
            "[Node Init]  -       -               2025-01-04 00:00:00",
            "other/path   No      Yes             2025-01-01 00:00:00",
            "import/path  Yes     No              2025-01-02 03:04:05",
            "",
          ].join("\n"),
      );
    });

    test("--imports prints fractional request times as str(datetime)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n = await seed.node(idx.db, { name: "Node", group_id: g.id });
      await cliFor(idx)(["node", "init", "Node"]);
      const stored = (await idx.db.get<{ timestamp: string }>('SELECT "timestamp" FROM archivefileimportrequest'))!.timestamp;
      const r = await cliFor(idx)(["node", "show", "Node", "--imports"]);
      // SQLite keeps microseconds; MySQL DATETIME keeps whole seconds.
      expect(hasRow(r.out, "[Node Init]", "-", "-", stored.replace(/\.0+$/, ""))).toBe(true);
      expect(n.id).toBeGreaterThan(0);
    });

    test("--all (test_show_all)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const g2 = await seed.group(idx.db, { name: "Group2" });
      const n = await seed.node(idx.db, { name: "Node", group_id: g.id, active: 1, max_total_gb: 2 ** -17 });
      await seed.transferAction(idx.db, { node_from_id: n.id, group_to_id: g.id, autosync: 1, autoclean: 1 });
      const f3 = await statFiles(idx.db, n);
      await transfers(idx.db, n, f3.id, g, g2);
      const r = await cliFor(idx)(["node", "show", "Node", "--all"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain("Total Files: 2");
      expect(r.out).toContain("4.580 kiB");
      expect(r.out).toContain("57.25%");
      expect(hasRow(r.out, "Group", "3", "10.12 kiB")).toBe(true);
      expect(hasRow(r.out, "Group2", "1", "3.375 kiB")).toBe(true);
      expect(hasRow(r.out, "Group", "Auto-clean", "File added to that group")).toBe(true);
      expect(hasRow(r.out, "Group", "Auto-sync", "File added to this node")).toBe(true);
      const order = ["\nStats:\n", "\nPending import requests:\n", "\nPending outbound transfers:\n", "\nAuto-actions:\n"].map((s) => r.out.indexOf(s));
      expect(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1]!))).toBe(true);
    });

    test("demo: node show demo_storage2 --all", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "demo_storage2" });
      const n = await seed.node(idx.db, { name: "demo_storage2", group_id: g.id, host: "alpenhost2", root: "/data", storage_type: "F" });
      await seed.importRequest(idx.db, { node_id: n.id, path: "ALPENHORN_NODE", timestamp: "2025-02-26 22:54:14" });
      const r = await cliFor(idx)(["node", "show", "demo_storage2", "--all"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out: [
          "   Storage Node: demo_storage2",
          "  Storage Group: demo_storage2",
          "         Active: No",
          "           Type: -",
          "          Notes: ",
          "      I/O Class: Default",
          "",
          "    Daemon Host: alpenhost2",
          " Log-in Address: ",
          "Log-in Username: ",
          "Filesystem Root: /data",
          "",
          "    Auto-Import: Off",
          "    Auto-Verify: Off",
          "      Max Total: -",
          "      Available: -",
          "  Min Available: -",
          "   Last Checked: -",
          "",
          "I/O Config:",
          "",
          "  none",
          "",
          "Stats:",
          "",
          "    Total Files: 0",
          "     Total Size: -",
          "          Usage: -%",
          "",
          "Pending import requests:",
          "",
          "Path         Scan    Register New    Request Time",
          "-----------  ------  --------------  -------------------",
          "[Node Init]  -       -               2025-02-26 22:54:14",
          "",
          "Pending outbound transfers:",
          "",
          "Dest. Group    Request Count    Total Size",
          "-------------  ---------------  ------------",
          "",
          "Auto-actions:",
          "",
          "  none",
          "",
        ].join("\n"),
      });
    });

    test("demo: node show demo_storage1 (available space, last check)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "demo_storage1" });
      await seed.node(idx.db, {
        name: "demo_storage1",
        group_id: g.id,
        host: "alpenhost1",
        root: "/data",
        storage_type: "F",
        active: 1,
        avail_gb: 46.47,
        avail_gb_last_checked: "2025-02-22 00:03:36.123456",
      });
      const r = await cliFor(idx)(["node", "show", "demo_storage1"]);
      expect(r.out).toContain("      Available: 46.47 GiB\n  Min Available: -\n   Last Checked: Sat Feb 22 00:03:36 2025 UTC\n");
    });
  });
}
