// `alpenhorn node list` on both backends (alpenhorn/cli/node/list.py and
// tests/cli/node/test_list.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node list [${backend}]`, () => {
    async function site(idx: TestIndex) {
      const g1 = await seed.group(idx.db, { name: "Group1" });
      const g2 = await seed.group(idx.db, { name: "Group2" });
      await seed.node(idx.db, { name: "Node1", group_id: g1.id, storage_type: "F" });
      await seed.node(idx.db, { name: "Node2", group_id: g1.id, storage_type: "A", io_class: "Class2", host: "Host2", active: 1, root: "/Node2", notes: "Note2" });
      await seed.node(idx.db, { name: "Node3", group_id: g2.id, storage_type: "T", host: "Host2", root: "/Node3" });
    }
    const ROW1 = ["Node1", "Group1", "-", "No"] as const;
    const ROW2 = ["Node2", "Group1", "archive", "Class2", "Host2", "Yes", "/Node2", "Note2"] as const;
    const ROW3 = ["Node3", "Group2", "transport", "Host2", "No", "/Node3"] as const;

    test("test_schema_mismatch: a wrong schema version fails", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("UPDATE dataindexversion SET version = 3 WHERE component = 'alpenhorn'");
      expect((await cliFor(idx)(["node", "list"])).code).toBe(1);
    });

    test("test_no_list: no nodes prints no table", async () => {
      await using idx = await initialisedIndex(backend);
      expect(await cliFor(idx)(["node", "list"])).toEqual({ code: 0, out: "no nodes\n", err: "" });
    });

    test("test_list: every node, raw class, roles and empty cells", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const r = await cliFor(idx)(["node", "list"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        [
          "Name    Group    Role       I/O Class    Host    Active    Root    Notes",
          "------  -------  ---------  -----------  ------  --------  ------  -------",
          "Node1   Group1   -                               No",
          "Node2   Group1   archive    Class2       Host2   Yes       /Node2  Note2",
          "Node3   Group2   transport               Host2   No        /Node3",
          "",
        ].join("\n"),
      );
      expect(hasRow(r.out, ...ROW1) && hasRow(r.out, ...ROW2) && hasRow(r.out, ...ROW3)).toBe(true);
    });

    test("test_active / test_inactive: the activity filters", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const cli = cliFor(idx);
      const active = await cli(["node", "list", "--active"]);
      expect([hasRow(active.out, ...ROW1), hasRow(active.out, ...ROW2), hasRow(active.out, ...ROW3)]).toEqual([false, true, false]);
      const inactive = await cli(["node", "list", "--inactive"]);
      expect([hasRow(inactive.out, ...ROW1), hasRow(inactive.out, ...ROW2), hasRow(inactive.out, ...ROW3)]).toEqual([true, false, true]);
    });

    test("test_host / test_group: host and group filters (host matches exactly)", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      const cli = cliFor(idx);
      const host = await cli(["node", "list", "--host=Host2"]);
      expect([hasRow(host.out, ...ROW1), hasRow(host.out, ...ROW2), hasRow(host.out, ...ROW3)]).toEqual([false, true, true]);
      expect(await cli(["node", "list", "--host=host2"])).toEqual({ code: 0, out: "no nodes\n", err: "" });
      const group = await cli(["node", "list", "--group=Group1"]);
      expect([hasRow(group.out, ...ROW1), hasRow(group.out, ...ROW2), hasRow(group.out, ...ROW3)]).toEqual([true, true, false]);
    });

    test("test_limit_bad_group: an unknown --group fails", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      expect(await cliFor(idx)(["node", "list", "--group=Missing"])).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
    });

    test("test_limit_nothing: filters matching nothing print no table", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx);
      expect(await cliFor(idx)(["node", "list", "--group=Group2", "--active"])).toEqual({ code: 0, out: "no nodes\n", err: "" });
    });
  });
}
