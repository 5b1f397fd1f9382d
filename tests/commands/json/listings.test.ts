// `--json` of the acq, file and group listings, on both backends: each document parsed and
// compared with the known index (_index.ts) field by field. The field lists are the README's
// ("JSON output: `--json`"); a field added or renamed must change both.

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, type CliRunner } from "../../helpers/run-cli.ts";
import { F1_MD5, fields, iso, knownIndex, TIMES } from "./_index.ts";

const MD5 = F1_MD5.toLowerCase();

/** Run with --json; the exit status, an empty stderr, and the one document on stdout. */
async function json(cli: CliRunner, argv: string[]): Promise<any> {
  const r = await cli([...argv, "--json"]);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
  expect(r.out.endsWith("\n")).toBe(true);
  return JSON.parse(r.out);
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`--json of acq, file and group commands [${backend}]`, () => {
    test("acq list: name and files; --node and --group count only there", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const all = await json(cli, ["acq", "list"]);
      expect(fields(all[0])).toEqual(["files", "name"]);
      expect(all).toEqual([
        { name: "A1", files: 2 },
        { name: "A2", files: 1 },
        { name: "A3", files: 0 },
      ]);
      expect(await json(cli, ["acq", "list", "--node", "N1"])).toEqual([{ name: "A1", files: 1 }]);
      expect(await json(cli, ["acq", "list", "--group", "G2"])).toEqual([{ name: "A2", files: 1 }]);
      // Where the table says "No acquisitions", the list is empty.
      expect(await json(cli, ["acq", "list", "--node", "N2"])).toEqual([]);
    });

    test("acq show: totals; groups (with their nodes) and nodes as asked", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const plain = await json(cli, ["acq", "show", "A1"]);
      expect(fields(plain)).toEqual(["bytes", "files", "name"]);
      expect(plain).toEqual({ name: "A1", files: 2, bytes: 3072 });
      expect(await json(cli, ["acq", "show", "A1", "--show-groups", "--show-nodes"])).toEqual({
        name: "A1",
        files: 2,
        bytes: 3072,
        groups: [{ name: "G1", files: 1, bytes: 1024, nodes: [{ name: "N1", files: 1, bytes: 1024 }] }],
      });
      expect(await json(cli, ["acq", "show", "A1", "--show-groups"])).toEqual({ name: "A1", files: 2, bytes: 3072, groups: [{ name: "G1", files: 1, bytes: 1024 }] });
      // A file without a recorded size adds 0 bytes; an empty acquisition is 0 files, 0 bytes.
      expect(await json(cli, ["acq", "show", "A2", "--show-nodes"])).toEqual({ name: "A2", files: 1, bytes: 0, nodes: [{ name: "N3", files: 1, bytes: 0 }] });
      expect(await json(cli, ["acq", "show", "A3"])).toEqual({ name: "A3", files: 0, bytes: 0 });
    });

    test("acq files: name, size_b, md5sum; state and size_on_node_b with --node; state and node with --group", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const plain = await json(cli, ["acq", "files", "A1"]);
      expect(fields(plain[0])).toEqual(["md5sum", "name", "size_b"]);
      expect(plain).toEqual([
        { name: "f1", size_b: 1024, md5sum: MD5 },
        { name: "f2", size_b: 2048, md5sum: null },
      ]);
      const onNode = await json(cli, ["acq", "files", "A1", "--node", "N1"]);
      expect(fields(onNode[0])).toEqual(["md5sum", "name", "size_b", "size_on_node_b", "state"]);
      expect(onNode).toEqual([
        { name: "f1", size_b: 1024, state: "Healthy", size_on_node_b: 4096, md5sum: MD5 },
        { name: "f2", size_b: 2048, state: "Corrupt", size_on_node_b: 2048, md5sum: null },
      ]);
      const inGroup = await json(cli, ["acq", "files", "A1", "--group", "G2"]);
      expect(fields(inGroup[0])).toEqual(["md5sum", "name", "node", "size_b", "state"]);
      expect(inGroup).toEqual([{ name: "f1", size_b: 1024, state: "Needs Check", node: "N2", md5sum: MD5 }]);
      // The table's `-` for no node holding the file is null.
      expect((await json(cli, ["acq", "files", "A1", "--group", "G2", "--show-removed"]))[1]).toEqual({ name: "f2", size_b: 2048, state: "Removed", node: null, md5sum: null });
      expect(await json(cli, ["acq", "files", "A2"])).toEqual([{ name: "f3", size_b: null, md5sum: null }]);
      expect(await json(cli, ["acq", "files", "A3"])).toEqual([]);
    });

    test("file list: path; with --details size_b, md5sum, registered, and the --node or --group columns", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      expect(await json(cli, ["file", "list"])).toEqual([{ path: "A1/f1" }, { path: "A1/f2" }, { path: "A2/f3" }]);
      const details = await json(cli, ["file", "list", "--details"]);
      expect(fields(details[0])).toEqual(["md5sum", "path", "registered", "size_b"]);
      expect(details).toEqual([
        { path: "A1/f1", size_b: 1024, md5sum: MD5, registered: iso(TIMES.f1) },
        { path: "A1/f2", size_b: 2048, md5sum: null, registered: iso(TIMES.f2) },
        { path: "A2/f3", size_b: null, md5sum: null, registered: iso(TIMES.f3) },
      ]);
      const onNode = await json(cli, ["file", "list", "--details", "--node", "N1", "--corrupt", "--healthy"]);
      expect(fields(onNode[0])).toEqual(["md5sum", "path", "registered", "size_b", "size_on_node_b", "state"]);
      expect(onNode.map((f: any) => [f.path, f.state, f.size_on_node_b])).toEqual([
        ["A1/f1", "Healthy", 4096],
        ["A1/f2", "Corrupt", 2048],
      ]);
      const inGroup = await json(cli, ["file", "list", "--details", "--group", "G2", "--suspect"]);
      expect(inGroup).toEqual([{ path: "A1/f1", size_b: 1024, md5sum: MD5, registered: iso(TIMES.f1), state: "Suspect", node: "N2" }]);
      expect(await json(cli, ["file", "list", "--from", "N1", "--to", "G2"])).toEqual([{ path: "A1/f1" }]);
    });

    test("file list: where the table prints nothing at all, --json prints an empty list", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      // No healthy copy on N2: the streamed form's early return.
      expect(await cli(["file", "list", "--node", "N2"])).toEqual({ code: 0, out: "", err: "" });
      expect(await json(cli, ["file", "list", "--node", "N2"])).toEqual([]);
      // An empty positive selection in the general form.
      expect(await cli(["file", "list", "--node", "N2", "--group", "G1", "--all"])).toEqual({ code: 0, out: "", err: "" });
      expect(await json(cli, ["file", "list", "--node", "N2", "--group", "G1", "--all"])).toEqual([]);
    });

    test("file list --node streams the same document a collected list prints", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const r = await cli(["file", "list", "--node", "N1", "--healthy", "--corrupt", "--json"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(JSON.stringify([{ path: "A1/f1" }, { path: "A1/f2" }], null, 2) + "\n");
      expect(await json(cli, ["file", "list", "--node", "N1", "--acq", "A2"])).toEqual([]);
    });

    test("file show: the record; groups, nodes and transfers as asked", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const plain = await json(cli, ["file", "show", "A2/f3"]);
      expect(fields(plain)).toEqual(["acq", "md5sum", "name", "path", "registered", "size_b"]);
      expect(plain).toEqual({ name: "f3", acq: "A2", path: "A2/f3", size_b: null, md5sum: null, registered: iso(TIMES.f3) });
      const all = await json(cli, ["file", "show", "A1/f1", "--all"]);
      expect(fields(all)).toEqual(["acq", "groups", "md5sum", "name", "nodes", "path", "registered", "size_b", "transfers"]);
      expect(all.groups).toEqual([
        { group: "G1", state: "Present", node: "N1" },
        { group: "G2", state: "Suspect", node: "N2" },
      ]);
      expect(all.nodes).toEqual([
        { node: "N1", state: "Healthy", size_on_node_b: 4096 },
        { node: "N2", state: "Suspect", size_on_node_b: 1024 },
      ]);
      expect(all.transfers).toEqual([
        { source_node: "N1", dest_group: "G2", status: "Pending", timestamp: iso(TIMES.requested), transfer_started: iso(TIMES.started), transfer_completed: null },
      ]);
      const f2 = await json(cli, ["file", "show", "A1/f2", "--nodes", "--transfers"]);
      expect(fields(f2)).toEqual(["acq", "md5sum", "name", "nodes", "path", "registered", "size_b", "transfers"]);
      // A corrupt or removed copy has no size on the node (the table's `-`).
      expect(f2.nodes).toEqual([
        { node: "N1", state: "Corrupt", size_on_node_b: null },
        { node: "N2", state: "Removed", size_on_node_b: null },
      ]);
      expect(f2.transfers[0].status).toBe("Complete");
      expect(f2.transfers[0].transfer_completed).toBe(iso(TIMES.completed));
    });

    test("file find: path, node, state", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      expect(await json(cli, ["file", "find"])).toEqual([{ path: "A1/f1", node: "N1", state: "Healthy" }]);
      expect(await json(cli, ["file", "find", "--suspect", "--corrupt"])).toEqual([
        { path: "A1/f1", node: "N2", state: "Suspect" },
        { path: "A1/f2", node: "N1", state: "Corrupt" },
      ]);
      // The table's "No match." is an empty list.
      expect(await json(cli, ["file", "find", "--missing"])).toEqual([]);
    });

    test("group list: name, io_class (null: the default), notes", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      expect(await json(cli, ["group", "list"])).toEqual([]);
      await knownIndex(idx.db);
      const list = await json(cli, ["group", "list"]);
      expect(fields(list[0])).toEqual(["io_class", "name", "notes"]);
      expect(list).toEqual([
        { name: "G1", io_class: null, notes: "first group" },
        { name: "G2", io_class: "Polling", notes: null },
      ]);
    });

    test("group show: the record and nodes; node details, stats, transfers and actions as asked", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const plain = await json(cli, ["group", "show", "G2"]);
      expect(fields(plain)).toEqual(["io_class", "io_config", "name", "nodes", "notes"]);
      expect(plain).toEqual({ name: "G2", notes: null, io_class: "Polling", io_config: null, nodes: [{ name: "N2" }, { name: "N3" }] });
      const all = await json(cli, ["group", "show", "G1", "--all"]);
      expect(fields(all)).toEqual(["actions", "io_class", "io_config", "name", "nodes", "notes", "transfers"]);
      expect(fields(all.nodes[0])).toEqual(["active", "bytes", "files", "host", "io_class", "name", "percent_full"]);
      expect(all).toEqual({
        name: "G1",
        notes: "first group",
        io_class: null,
        io_config: { a: 1 },
        nodes: [{ name: "N1", host: "h1", active: true, io_class: null, files: 1, bytes: 1024, percent_full: (100 * 1024) / 2 ** 30 }],
        transfers: [],
        actions: [{ node: "N3", action: "autoclean" }],
      });
      const g2 = await json(cli, ["group", "show", "G2", "--transfers", "--node-stats"]);
      expect(g2.transfers).toEqual([{ source_node: "N1", requests: 1, bytes: 1024 }]);
      // Where the table prints `-` for no size and no limit: 0 bytes, and null for the fill level.
      expect(g2.nodes).toEqual([
        { name: "N2", files: 0, bytes: 0, percent_full: null },
        { name: "N3", files: 0, bytes: 0, percent_full: null },
      ]);
    });
  });
}
