// `--json` of the node and host listings, on both backends and both table layouts (632dd41's
// role, log-in address and user; upstream main's archive flag and host records), and of
// `node drain --status`. Field lists as in the README's "JSON output: `--json`".

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, mainLayoutIndex } from "../../helpers/index.ts";
import { cliFor, type CliRunner } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { fields, iso, knownIndex, TIMES } from "./_index.ts";

const GIB = 2 ** 30;

async function json(cli: CliRunner, argv: string[]): Promise<any> {
  const r = await cli([...argv, "--json"]);
  expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: "" });
  return JSON.parse(r.out);
}

const RECORD_632 = [
  "active",
  "address",
  "auto_import",
  "auto_verify",
  "avail_b",
  "group",
  "host",
  "io_class",
  "io_config",
  "last_checked",
  "max_total_b",
  "min_avail_b",
  "name",
  "notes",
  "role",
  "root",
  "username",
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`--json of node commands [${backend}]`, () => {
    test("node list: the table's columns, role by word (null for a field node)", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      expect(await json(cli, ["node", "list"])).toEqual([]);
      await knownIndex(idx.db);
      const list = await json(cli, ["node", "list"]);
      expect(fields(list[0])).toEqual(["active", "group", "host", "io_class", "name", "notes", "role", "root"]);
      expect(list).toEqual([
        { name: "N1", group: "G1", role: "archive", io_class: null, host: "h1", active: true, root: "/n1", notes: "node one" },
        { name: "N2", group: "G2", role: "transport", io_class: null, host: null, active: false, root: null, notes: null },
        { name: "N3", group: "G2", role: null, io_class: null, host: "h1", active: true, root: "/n3", notes: null },
      ]);
      expect((await json(cli, ["node", "list", "--inactive"])).map((n: any) => n.name)).toEqual(["N2"]);
    });

    test("node show: the record in bytes and ISO times; stats, imports, transfers, actions with --all", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const n2 = await json(cli, ["node", "show", "N2"]);
      expect(fields(n2)).toEqual(RECORD_632);
      expect(n2).toEqual({
        name: "N2",
        group: "G2",
        active: false,
        role: "transport",
        notes: null,
        io_class: null,
        host: null,
        address: null,
        username: null,
        root: null,
        auto_import: false,
        auto_verify: 0,
        max_total_b: null,
        avail_b: null,
        min_avail_b: 0,
        last_checked: null,
        io_config: null,
      });
      const n1 = await json(cli, ["node", "show", "N1", "--all"]);
      expect(fields(n1)).toEqual([...RECORD_632, "actions", "imports", "stats", "transfers"].sort());
      expect(n1).toEqual({
        name: "N1",
        group: "G1",
        active: true,
        role: "archive",
        notes: "node one",
        io_class: null,
        host: "h1",
        address: "n1.example",
        username: "alpen",
        root: "/n1",
        auto_import: true,
        auto_verify: 3,
        max_total_b: GIB,
        avail_b: GIB / 2,
        min_avail_b: GIB / 4,
        last_checked: iso(TIMES.checked),
        io_config: { k: "v" },
        stats: { files: 1, bytes: 1024, percent_full: (100 * 1024) / GIB },
        imports: [
          { node_init: true, path: null, scan: null, register_new: null, timestamp: iso(TIMES.init) },
          { node_init: false, path: "sub/dir", scan: true, register_new: false, timestamp: iso(TIMES.imported) },
        ],
        transfers: [{ dest_group: "G2", requests: 1, bytes: 1024 }],
        actions: [{ group: "G2", action: "autosync" }],
      });
      expect(fields(await json(cli, ["node", "show", "N1", "--stats"]))).toEqual([...RECORD_632, "stats"].sort());
    });

    test("node stats: files, bytes, percent_full; the three extra counts with --extra-stats", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const plain = await json(cli, ["node", "stats"]);
      expect(fields(plain[0])).toEqual(["bytes", "files", "name", "percent_full"]);
      expect(plain[0]).toEqual({ name: "N1", files: 1, bytes: 1024, percent_full: (100 * 1024) / GIB });
      const extra = await json(cli, ["node", "stats", "--extra-stats"]);
      expect(fields(extra[0])).toEqual(["bytes", "corrupt_files", "files", "missing_files", "name", "percent_full", "suspect_files"]);
      // Zero counts are 0 (the table's `-` for zero), and no size limit is null.
      expect(extra).toEqual([
        { name: "N1", files: 1, bytes: 1024, percent_full: (100 * 1024) / GIB, corrupt_files: 1, suspect_files: 0, missing_files: 0 },
        { name: "N2", files: 0, bytes: 0, percent_full: null, corrupt_files: 0, suspect_files: 1, missing_files: 0 },
        { name: "N3", files: 0, bytes: 0, percent_full: null, corrupt_files: 0, suspect_files: 0, missing_files: 0 },
      ]);
      expect(await json(cli, ["node", "stats", "--group", "G1", "--inactive"])).toEqual([]);
    });

    test("node drain --status: files and bytes per fate, every fate present; --json needs --status", async () => {
      await using idx = await initialisedIndex(backend);
      await knownIndex(idx.db);
      const cli = cliFor(idx);
      const none = { files: 0, bytes: 0 };
      // f1: its only healthy copy, and no other archive group to copy to; f2: corrupt everywhere.
      expect(await json(cli, ["node", "drain", "N1", "--status"])).toEqual({
        node: "N1",
        files: 2,
        bytes: 3072,
        released: none,
        waiting: none,
        release: none,
        copy: { files: 1, bytes: 1024 },
        stuck: { files: 1, bytes: 2048 },
      });
      const r = await cli(["node", "drain", "N1", "--json"]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toEndWith("Error: --json may only be used with --status\n");
    });
  });

  describeOn(`--json on upstream main's layout [${backend}]`, () => {
    async function mainIndex(db: Parameters<typeof seed.group>[0]) {
      const g = await seed.group(db, { name: "G" });
      const h = await seed.host(db, { name: "H", username: "u", address: "h.example", notes: "the host" });
      await seed.host(db, { name: "Empty" });
      await seed.mainNode(db, { name: "M1", group_id: g.id, archive: 1, active: 1, host_id: h.id, root: "/m1", max_total_gb: 2, io_class: "Cls" });
      await seed.mainNode(db, { name: "M2", group_id: g.id });
    }

    test("node list and node show: archive instead of role, no address or username; no host is null", async () => {
      await using idx = await mainLayoutIndex(backend);
      await mainIndex(idx.db);
      const cli = cliFor(idx);
      const list = await json(cli, ["node", "list"]);
      expect(fields(list[0])).toEqual(["active", "archive", "group", "host", "io_class", "name", "notes", "root"]);
      expect(list).toEqual([
        { name: "M1", group: "G", archive: true, io_class: "Cls", host: "H", active: true, root: "/m1", notes: null },
        { name: "M2", group: "G", archive: false, io_class: null, host: null, active: false, root: null, notes: null },
      ]);
      const show = await json(cli, ["node", "show", "M1"]);
      expect(fields(show)).toEqual(RECORD_632.filter((f) => f !== "role" && f !== "address" && f !== "username").concat("archive").sort());
      expect([show.archive, show.host, show.max_total_b]).toEqual([true, "H", 2 * GIB]);
    });

    test("group show --node-details: the host record's name, null for a node without one", async () => {
      await using idx = await mainLayoutIndex(backend);
      await mainIndex(idx.db);
      const show = await json(cliFor(idx), ["group", "show", "G", "--node-details"]);
      expect(show.nodes).toEqual([
        { name: "M1", host: "H", active: true, io_class: "Cls" },
        { name: "M2", host: null, active: false, io_class: null },
      ]);
    });

    test("host list and host show: the record, its nodes, node details and stats as asked", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await json(cli, ["host", "list"])).toEqual([]);
      await mainIndex(idx.db);
      const list = await json(cli, ["host", "list"]);
      expect(fields(list[0])).toEqual(["address", "name", "node_count", "notes", "username"]);
      expect(list).toEqual([
        { name: "H", username: "u", address: "h.example", node_count: 1, notes: "the host" },
        { name: "Empty", username: null, address: null, node_count: 0, notes: null },
      ]);
      const show = await json(cli, ["host", "show", "H"]);
      expect(fields(show)).toEqual(["address", "name", "nodes", "notes", "username"]);
      expect(show).toEqual({ name: "H", username: "u", address: "h.example", notes: "the host", nodes: [{ name: "M1" }] });
      const full = await json(cli, ["host", "show", "H", "--node-details", "--node-stats"]);
      expect(full.nodes).toEqual([{ name: "M1", active: true, io_class: "Cls", files: 0, bytes: 0, percent_full: 0 }]);
      expect((await json(cli, ["host", "show", "Empty"])).nodes).toEqual([]);
    });
  });
}
