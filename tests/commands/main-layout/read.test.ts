// The read-only CLI on an index in upstream main's table layout (89943e0's node list, node
// show, node stats and group show, and its tests/cli/node/test_list.py, test_show.py): host
// names from storagehost, the Archive column, the Storage Host line.

import { expect, test } from "bun:test";
import { backendSuites, mainLayoutIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

/** test_list.py's some_nodes fixture. */
async function someNodes(idx: TestIndex) {
  const g1 = await seed.group(idx.db, { name: "Group1" });
  await seed.mainNode(idx.db, { name: "Node1", group_id: g1.id, archive: 0 });
  const host2 = await seed.host(idx.db, { name: "Host2" });
  await seed.mainNode(idx.db, { name: "Node2", group_id: g1.id, archive: 1, io_class: "Class2", notes: "Note2", active: 1, host_id: host2.id, root: "/Node2" });
  const g2 = await seed.group(idx.db, { name: "Group2", notes: "Note2", io_class: "Class2" });
  await seed.mainNode(idx.db, { name: "Node3", group_id: g2.id, archive: 0, active: 0, host_id: host2.id, root: "/Node3" });
}
const ROW1 = ["Node1", "Group1", "No", "-", "No"] as const;
const ROW2 = ["Node2", "Group1", "Yes", "Class2", "Host2", "Yes", "/Node2", "Note2"] as const;
const ROW3 = ["Node3", "Group2", "No", "Host2", "No", "/Node3"] as const;

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`read-only CLI on upstream main's layout [${backend}]`, () => {
    test("node list: the Archive column, host names, `-` for no host (test_list)", async () => {
      await using idx = await mainLayoutIndex(backend);
      await someNodes(idx);
      const r = await cliFor(idx)(["node", "list"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        [
          "Name    Group    Archive    I/O Class    Host    Active    Root    Notes",
          "------  -------  ---------  -----------  ------  --------  ------  -------",
          "Node1   Group1   No                      -       No",
          "Node2   Group1   Yes        Class2       Host2   Yes       /Node2  Note2",
          "Node3   Group2   No                      Host2   No        /Node3",
          "",
        ].join("\n"),
      );
    });

    test("node list --active / --inactive / --group (test_active, test_inactive, test_group)", async () => {
      await using idx = await mainLayoutIndex(backend);
      await someNodes(idx);
      const cli = cliFor(idx);
      const rows = (out: string) => [hasRow(out, ...ROW1), hasRow(out, ...ROW2), hasRow(out, ...ROW3)];
      expect(rows((await cli(["node", "list", "--active"])).out)).toEqual([false, true, false]);
      expect(rows((await cli(["node", "list", "--inactive"])).out)).toEqual([true, false, true]);
      expect(rows((await cli(["node", "list", "--group=Group1"])).out)).toEqual([true, true, false]);
    });

    test("node list --host names a host record; a missing one fails (test_host, test_bad_host)", async () => {
      await using idx = await mainLayoutIndex(backend);
      await someNodes(idx);
      const cli = cliFor(idx);
      const r = await cli(["node", "list", "--host=Host2"]);
      expect(r.code).toBe(0);
      expect([hasRow(r.out, ...ROW1), hasRow(r.out, ...ROW2), hasRow(r.out, ...ROW3)]).toEqual([false, true, true]);
      expect(await cli(["node", "list", "--host=MISSING"])).toEqual({ code: 1, out: "", err: "Error: no such host: MISSING\n" });
      // Exact on MySQL too: another spelling is another host.
      expect((await cli(["node", "list", "--host=host2"])).code).toBe(1);
    });

    test("node show: Archive and Storage Host lines (test_show_defaults, test_show_full)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const g = await seed.group(idx.db, { name: "SGroup" });
      await seed.mainNode(idx.db, { name: "SNode", group_id: g.id });
      const h = await seed.host(idx.db, { name: "SN-Host", username: "u", address: "a.example" });
      await seed.mainNode(idx.db, { name: "SN-Node", group_id: g.id, archive: 1, host_id: h.id, root: "/root" });
      const cli = cliFor(idx);
      const plain = await cli(["node", "show", "SNode"]);
      expect(plain.code).toBe(0);
      expect(plain.out).toStartWith(
        [
          "   Storage Node: SNode",
          "  Storage Group: SGroup",
          "         Active: No",
          "        Archive: No",
          "          Notes: ",
          "      I/O Class: Default",
          "",
          "   Storage Host: ",
          "Filesystem Root: ",
          "",
          "    Auto-Import: Off",
        ].join("\n"),
      );
      const full = await cli(["node", "show", "SN-Node"]);
      expect(full.out).toContain("        Archive: Yes\n");
      expect(full.out).toContain("\n   Storage Host: SN-Host\nFilesystem Root: /root\n");
      expect(full.out).not.toContain("Log-in");
    });

    test("group show --node-details: host names, `-` for none", async () => {
      await using idx = await mainLayoutIndex(backend);
      await someNodes(idx);
      const r = await cliFor(idx)(["group", "show", "Group1", "--node-details"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "Node1", "-", "No", "Default")).toBe(true);
      expect(hasRow(r.out, "Node2", "Host2", "Yes", "Class2")).toBe(true);
    });

    test("node stats --host filters by host name (test_stats.py test_host)", async () => {
      await using idx = await mainLayoutIndex(backend);
      await someNodes(idx);
      const r = await cliFor(idx)(["node", "stats", "--host=Host2"]);
      expect(r.code).toBe(0);
      expect(r.out).not.toContain("Node1");
      expect(r.out).toContain("Node2");
      expect(r.out).toContain("Node3");
    });
  });
}
