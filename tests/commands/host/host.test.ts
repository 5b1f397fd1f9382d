// `alpenhorn host …` on an index in upstream main's table layout (89943e0's alpenhorn/cli/host/
// and its tests/cli/host/test_*.py), and the one error line on a 632dd41-layout index.

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, mainLayoutIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

const hostRows = (idx: TestIndex) => idx.db.all<{ name: string; username: string | null; address: string | null; notes: string | null }>(
  "SELECT name, username, address, notes FROM storagehost ORDER BY id",
);

/** test_show.py's two nodes on SHost, with its three files. */
async function showSite(idx: TestIndex) {
  const g = await seed.group(idx.db, { name: "SGroup" });
  const h = await seed.host(idx.db, { name: "SHost" });
  const n1 = await seed.mainNode(idx.db, { name: "Node1", group_id: g.id, active: 1, host_id: h.id });
  const n2 = await seed.mainNode(idx.db, { name: "Node2", group_id: g.id, active: 0, host_id: h.id, io_class: "NodeClass", max_total_gb: 1 });
  const acq = await seed.acq(idx.db, { name: "acq" });
  const copies: Array<[number, ["Y" | "N" | "X", "Y" | "N" | "X"]]> = [[1234, ["Y", "X"]], [2345, ["N", "Y"]], [3456, ["Y", "Y"]]];
  for (const [i, [size, [on1, on2]]] of copies.entries()) {
    const f = await seed.file(idx.db, { name: `File${i + 1}`, acq_id: acq.id, size_b: size });
    await seed.copy(idx.db, { file_id: f.id, node_id: Number(n1.id), has_file: on1, wants_file: "Y" });
    await seed.copy(idx.db, { file_id: f.id, node_id: Number(n2.id), has_file: on2, wants_file: "Y" });
  }
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`host commands [${backend}]`, () => {
    test("create: with every option, with none, and an existing name", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["host", "create", "TEST", "--address=Addr", "--notes=Notes", "--username=User"])).toEqual({ code: 0, out: 'Created storage host "TEST".\n', err: "" });
      expect(await cli(["host", "create", "BARE"])).toMatchObject({ code: 0 });
      expect(await cli(["host", "create", "TEST", "--notes=Other"])).toEqual({ code: 1, out: "", err: 'Error: host "TEST" already exists.\n' });
      expect(await hostRows(idx)).toEqual([
        { name: "TEST", username: "User", address: "Addr", notes: "Notes" },
        { name: "BARE", username: null, address: null, notes: null },
      ]);
    });

    test("list: name, log-in details, node count, notes; nothing without hosts", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["host", "list"])).toEqual({ code: 0, out: "No storage hosts found.\n", err: "" });
      const h1 = await seed.host(idx.db, { name: "Host1", notes: "Note1" });
      await seed.host(idx.db, { name: "Host2", notes: "Note2", address: "Addr2", username: "User2" });
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.mainNode(idx.db, { name: "Node1", group_id: g.id, host_id: h1.id });
      await seed.mainNode(idx.db, { name: "Node2", group_id: g.id, host_id: h1.id });
      const r = await cli(["host", "list"]);
      expect(r.code).toBe(0);
      expect(r.out.split("\n")[0]).toMatch(/^Name\s+Username\s+Address\s+Nodes\s+Notes$/);
      expect(hasRow(r.out, "Host1", 2, "Note1")).toBe(true);
      expect(hasRow(r.out, "Host2", "User2", "Addr2", 0, "Note2")).toBe(true);
    });

    test("modify: unknown host, no options, no change, set and clear", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["host", "modify", "TEST", "--notes=Notes"])).toEqual({ code: 1, out: "", err: "Error: no such host: TEST\n" });
      await seed.host(idx.db, { name: "TEST", notes: "Note" });
      expect(await cli(["host", "modify", "TEST"])).toEqual({ code: 0, out: "No change.\n", err: "" });
      expect(await cli(["host", "modify", "TEST", "--notes=Note"])).toEqual({ code: 0, out: "No change.\n", err: "" });
      expect(await cli(["host", "modify", "TEST", "--notes=New Note", "--address=Addr", "--username=User"])).toEqual({ code: 0, out: "Host updated.\n", err: "" });
      expect(await hostRows(idx)).toEqual([{ name: "TEST", username: "User", address: "Addr", notes: "New Note" }]);
      expect((await cli(["host", "modify", "TEST", "--notes=", "--address=", "--username="])).out).toBe("Host updated.\n");
      expect(await hostRows(idx)).toEqual([{ name: "TEST", username: null, address: null, notes: null }]);
    });

    test("rename: unknown, to itself, to a taken name, and done (nodes follow their host row)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["host", "rename", "NAME", "NEWNAME"])).toEqual({ code: 1, out: "", err: "Error: no such host: NAME\n" });
      const h = await seed.host(idx.db, { name: "NAME" });
      const g = await seed.group(idx.db, { name: "G" });
      await seed.mainNode(idx.db, { name: "N", group_id: g.id, host_id: h.id });
      expect(await cli(["host", "rename", "NAME", "NAME"])).toEqual({ code: 0, out: "No change.\n", err: "" });
      await seed.host(idx.db, { name: "TAKEN" });
      expect(await cli(["host", "rename", "NAME", "TAKEN"])).toEqual({ code: 1, out: "", err: 'Error: Storage host "TAKEN" already exists.\n' });
      expect(await cli(["host", "rename", "NAME", "NEWNAME"])).toEqual({ code: 0, out: 'Storage host "NAME" renamed to "NEWNAME".\n', err: "" });
      expect((await hostRows(idx)).map((r) => r.name)).toEqual(["NEWNAME", "TAKEN"]);
      expect((await cli(["node", "list"])).out).toContain("NEWNAME");
    });

    test("show: record and node names; unknown host fails", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect((await cli(["host", "show", "TEST"])).code).toBe(1);
      await seed.host(idx.db, { name: "Lonely" });
      expect(await cli(["host", "show", "Lonely"])).toEqual({
        code: 0,
        err: "",
        out: "Storage Host: Lonely\n    Username: \n     Address: \n       Notes: \n\nNodes:\n\n  none\n",
      });
      const g = await seed.group(idx.db, { name: "SGroup" });
      const h = await seed.host(idx.db, { name: "SHost", address: "SAddr", username: "SUser", notes: "Comment" });
      await seed.mainNode(idx.db, { name: "Node1", group_id: g.id, host_id: h.id });
      await seed.mainNode(idx.db, { name: "Node2", group_id: g.id, host_id: h.id });
      expect(await cli(["host", "show", "SHost"])).toEqual({
        code: 0,
        err: "",
        out: "Storage Host: SHost\n    Username: SUser\n     Address: SAddr\n       Notes: Comment\n\nNodes:\n\n  Node1\n  Node2\n",
      });
    });

    test("show --node-details / --node-stats / both", async () => {
      await using idx = await mainLayoutIndex(backend);
      await showSite(idx);
      const cli = cliFor(idx);
      const details = (await cli(["host", "show", "SHost", "--node-details"])).out;
      expect(hasRow(details, "Node1", "Yes", "Default") && hasRow(details, "Node2", "No", "NodeClass")).toBe(true);
      const stats = (await cli(["host", "show", "SHost", "--node-stats"])).out;
      expect(hasRow(stats, "Node1", 2, "4.580 kiB", "-") && hasRow(stats, "Node2", 2, "5.665 kiB", "0.00")).toBe(true);
      const both = (await cli(["host", "show", "SHost", "--node-stats", "--node-details"])).out;
      expect(hasRow(both, "Node1", "Yes", "Default", 2, "4.580 kiB", "-")).toBe(true);
      expect(hasRow(both, "Node2", "No", "NodeClass", 2, "5.665 kiB", "0.00")).toBe(true);
    });

    test("delete: unknown host, --check with --force, --check, --force, confirmed", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["host", "delete", "TEST"], "Y\n")).toEqual({ code: 1, out: "", err: "Error: no such host: TEST\n" });
      await seed.host(idx.db, { name: "TEST" });
      await seed.host(idx.db, { name: "NOT-TEST" });
      const both = await cli(["host", "delete", "TEST", "--check", "--force"]);
      expect(both.code).toBe(2);
      expect(both.err).toEndWith("Error: cannot use both --check and --force\n");
      expect(await cli(["host", "delete", "TEST", "--check"])).toEqual({ code: 0, out: 'Would delete Storage Host "TEST".\n', err: "" });
      expect((await hostRows(idx)).length).toBe(2);
      expect(await cli(["host", "delete", "TEST"], "n\n")).toEqual({ code: 0, out: 'Would delete Storage Host "TEST".\n\nContinue? [y/N]: \nCancelled.\n', err: "" });
      expect(await cli(["host", "delete", "TEST"], "Y\n")).toEqual({
        code: 0,
        out: 'Would delete Storage Host "TEST".\n\nContinue? [y/N]: \nDeleted host "TEST".\n',
        err: "",
      });
      expect((await hostRows(idx)).map((r) => r.name)).toEqual(["NOT-TEST"]);
      expect(await cli(["host", "delete", "NOT-TEST", "--force"])).toEqual({ code: 0, out: 'Deleted host "NOT-TEST".\n', err: "" });
      expect(await hostRows(idx)).toEqual([]);
    });

    test("delete with nodes: refused (exit 0) unless --remove-nodes takes them off first", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      const h = await seed.host(idx.db, { name: "TEST" });
      const g = await seed.group(idx.db, { name: "GROUP" });
      await seed.mainNode(idx.db, { name: "NODE", group_id: g.id, host_id: h.id });
      await seed.mainNode(idx.db, { name: "NODE2", group_id: g.id, host_id: h.id });
      expect(await cli(["host", "delete", "TEST"], "Y\n")).toEqual({ code: 0, out: 'Unable to delete host with nodes: "NODE", "NODE2"\n', err: "" });
      expect((await hostRows(idx)).length).toBe(1);
      expect(await cli(["host", "delete", "TEST", "--remove-nodes", "--check"])).toEqual({
        code: 0,
        out: 'Would remove 2 nodes from host "TEST":\n  NODE\n  NODE2\nWould delete Storage Host "TEST".\n',
        err: "",
      });
      expect(await cli(["host", "delete", "TEST", "--remove-nodes"], "Y\n")).toEqual({
        code: 0,
        out: 'Would remove 2 nodes from host "TEST":\n  NODE\n  NODE2\nWould delete Storage Host "TEST".\n\nContinue? [y/N]: \nRemoved 2 nodes from host "TEST".\nDeleted host "TEST".\n',
        err: "",
      });
      expect(await hostRows(idx)).toEqual([]);
      expect(await idx.db.all("SELECT name, host_id FROM storagenode ORDER BY id")).toEqual([
        { name: "NODE", host_id: null },
        { name: "NODE2", host_id: null },
      ]);
    });

    test("on a 632dd41-layout index every host command is one error line naming the layout it needs", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      for (const argv of [["host", "list"], ["host", "create", "X"], ["host", "show", "X"], ["host", "delete", "X", "--force"]]) {
        expect(await cli(argv)).toEqual({
          code: 1,
          out: "",
          err: `Error: "alpenhorn host" needs a Data Index in upstream main's table layout (with storagehost); this one is in alpenhorn 632dd41's table layout.\n`,
        });
      }
      // Help still works.
      expect((await cli(["host", "--help"])).code).toBe(0);
    });
  });
}
