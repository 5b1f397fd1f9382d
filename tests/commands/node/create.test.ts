// `alpenhorn node create` on both backends (alpenhorn/cli/node/create.py and
// tests/cli/node/test_create.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileImportRequestRow, StorageGroupRow, StorageNodeRow } from "../../../src/index/rows.ts";

const USAGE = "Usage: alpenhorn node create [OPTIONS] NAME\nTry 'alpenhorn node create -h' for help.\n\nError: ";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node create [${backend}]`, () => {
    const nodes = (idx: TestIndex) => idx.db.all<StorageNodeRow>("SELECT * FROM storagenode ORDER BY id");
    const groups = (idx: TestIndex) => idx.db.all<StorageGroupRow>("SELECT * FROM storagegroup ORDER BY id");
    const node = async (idx: TestIndex) => (await nodes(idx))[0]!;

    test("test_no_group: neither --group nor --create-group is a usage error", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "create", "TEST"]);
      expect(r).toEqual({ code: 2, out: "", err: `${USAGE}missing --create-group or --group\n` });
      expect(await nodes(idx)).toEqual([]);
    });

    test("test_group_missing: an unknown --group fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "create", "TEST", "--group=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
      expect(await nodes(idx)).toEqual([]);
    });

    test("test_group_existing: --create-group when the group exists fails and creates nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "TEST" });
      const r = await cliFor(idx)(["node", "create", "TEST", "--create-group"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: group "TEST" already exists.\n' });
      expect(await nodes(idx)).toEqual([]);
      expect(await groups(idx)).toHaveLength(1);
    });

    test("test_node_existing: an existing node name fails", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      await seed.node(idx.db, { name: "TEST", group_id: g.id });
      const r = await cliFor(idx)(["node", "create", "TEST", "--create-group"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: node "TEST" already exists.\n' });
      expect(await nodes(idx)).toHaveLength(1);
      expect(await groups(idx)).toHaveLength(1);
    });

    test("test_create_default: --create-group makes a NULL-class group and a field node with defaults", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "create", "TEST", "--create-group"]);
      expect(r).toEqual({ code: 0, out: 'Created storage group "TEST".\nCreated storage node "TEST".\n', err: "" });
      expect(await groups(idx)).toEqual([{ id: 1, name: "TEST", io_class: null, notes: null, io_config: null }]);
      const n = await node(idx);
      expect({ ...n, active: Number(n.active), auto_import: Number(n.auto_import) }).toEqual({
        id: 1,
        name: "TEST",
        root: null,
        host: null,
        username: null,
        address: null,
        io_class: null,
        group_id: 1,
        active: 0,
        auto_import: 0,
        auto_verify: 0,
        storage_type: "F",
        max_total_gb: null,
        min_avail_gb: 0,
        avail_gb: null,
        avail_gb_last_checked: null,
        notes: null,
        io_config: null,
      });
      expect(await idx.db.all("SELECT * FROM archivefileimportrequest")).toEqual([]);
    });

    test("test_with_group: --group attaches to an existing group", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "Other" });
      const g = await seed.group(idx.db, { name: "G" });
      const r = await cliFor(idx)(["node", "create", "TEST", "--group=G"]);
      expect(r).toEqual({ code: 0, out: 'Created storage node "TEST".\n', err: "" });
      expect((await node(idx)).group_id).toBe(g.id);
      expect(await groups(idx)).toHaveLength(2);
    });

    test("test_group_create_group: both --group and --create-group is a usage error", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "G" });
      const r = await cliFor(idx)(["node", "create", "TEST", "--group=G", "--create-group"]);
      expect(r).toEqual({ code: 2, out: "", err: `${USAGE}cannot use both --create-group and --group\n` });
      expect(await nodes(idx)).toEqual([]);
    });

    test("test_create_ioconifg / test_create_iovar / test_create_ioconfig_var", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["node", "create", "N1", "--create-group", '--io-config={"a":3,"b":4}']);
      await cli(["node", "create", "N2", "--create-group", "--io-var=a=3", "--io-var=b=4", "--io-var=a=5"]);
      await cli(["node", "create", "N3", "--create-group", '--io-config={"a": 6, "b": 7}', "--io-var=a=8", "--io-var=c=8.5"]);
      expect((await nodes(idx)).map((n) => n.io_config)).toEqual(['{"a": 3, "b": 4}', '{"a": 5, "b": 4}', '{"a": 8, "b": 7, "c": 8.5}']);
    });

    test("test_archive / test_field / test_transport: the role flags", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      for (const [name, flag] of [["A", "--archive"], ["F", "--field"], ["T", "--transport"]] as const)
        expect((await cli(["node", "create", name, "--create-group", flag])).code).toBe(0);
      expect((await nodes(idx)).map((n) => [n.name, n.storage_type])).toEqual([["A", "A"], ["F", "F"], ["T", "T"]]);
    });

    test("test_multirole: two role flags (or a misspelt option) are usage errors", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      const cases: Array<[string[], string]> = [
        [["--archive", "--field"], "cannot use both --archive and --field"],
        [["--archive", "--transport"], "cannot use both --archive and --transport"],
        [["--transport", "--field"], "cannot use both --field and --transport"],
        [["--archive", "--field", "--transport"], "cannot use both --archive and --field"],
      ];
      for (const [flags, msg] of cases)
        expect(await cli(["node", "create", "TEST", "--create-group", ...flags])).toEqual({ code: 2, out: "", err: `${USAGE}${msg}\n` });
      expect((await cli(["node", "create", "TEST", "--create-group", "--archiv"])).code).toBe(2);
      expect(await nodes(idx)).toEqual([]);
    });

    test("test_set_all: every option is stored", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)([
        "node", "create", "TEST", "--create-group", "--activate", "--address=addr", "--auto-import", "--auto-verify=2",
        "--class=NodeClass", "--host=host", "--max-total=3", "--min-avail=4.5", "--notes=Notes", "--root=/root", "--username=user",
      ]);
      expect(r.code).toBe(0);
      const n = await node(idx);
      expect({ ...n, active: Number(n.active), auto_import: Number(n.auto_import) }).toMatchObject({
        active: 1,
        address: "addr",
        auto_import: 1,
        auto_verify: 2,
        io_class: "NodeClass",
        host: "host",
        max_total_gb: 3,
        min_avail_gb: 4.5,
        notes: "Notes",
        root: "/root",
        username: "user",
      });
    });

    test("test_bad_auto_verify / test_bad_max_total / test_bad_min_avail: usage errors", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      const cases: Array<[string, string]> = [
        ["--auto-verify=-1", "--auto-verify must be non-negative"],
        ["--auto-verify=1.5", "Invalid value for '--auto-verify': '1.5' is not a valid integer."],
        ["--max-total=-1", "--max-total must be positive"],
        ["--max-total=0", "--max-total must be positive"],
        ["--max-total=all", "Invalid value for '--max-total': 'all' is not a valid float."],
        ["--min-avail=-1", "--min-avail must be non-negative"],
        ["--min-avail=none", "Invalid value for '--min-avail': 'none' is not a valid float."],
      ];
      for (const [opt, msg] of cases) expect(await cli(["node", "create", "TEST", "--create-group", opt])).toEqual({ code: 2, out: "", err: `${USAGE}${msg}\n` });
      expect(await nodes(idx)).toEqual([]);
      expect(await groups(idx)).toEqual([]);
    });

    test("test_init: --init files an ALPENHORN_NODE import request", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "create", "TEST", "--create-group", "--init"]);
      expect(r.code).toBe(0);
      const afirs = await idx.db.all<ArchiveFileImportRequestRow>("SELECT * FROM archivefileimportrequest");
      expect(afirs).toHaveLength(1);
      expect(afirs[0]).toMatchObject({ node_id: (await node(idx)).id, path: "ALPENHORN_NODE" });
      expect([afirs[0]!.recurse, afirs[0]!.register, afirs[0]!.completed].map(Number)).toEqual([0, 0, 0]);
      expect(afirs[0]!.timestamp).toBeTruthy();
    });

    test("a bad --io-config is an error exit and creates nothing", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "create", "TEST", "--create-group", "--io-config=[]"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: Argument to --io-config must be a JSON object literal.\n" });
      expect(await groups(idx)).toEqual([]);
    });

    test("demo: the three demo nodes", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["group", "create", "demo_storage1"])).toEqual({ code: 0, out: 'Created storage group "demo_storage1".\n', err: "" });
      expect(await cli(["node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", "--root=/data", "--host=alpenhost1"])).toEqual({
        code: 0,
        out: 'Created storage node "demo_storage1".\n',
        err: "",
      });
      expect(await cli(["node", "create", "demo_storage2", "--create-group", "--root=/data", "--host=alpenhost2"])).toEqual({
        code: 0,
        out: 'Created storage group "demo_storage2".\nCreated storage node "demo_storage2".\n',
        err: "",
      });
      const argv = ["node", "create", "demo_storage3", "--create-group", "--archive", "--root=/data", "--host=alpenhost3", "--username", "root", "--address", "alpenhost3", "--init", "--activate"];
      expect(await cli(argv)).toEqual({ code: 0, out: 'Created storage group "demo_storage3".\nCreated storage node "demo_storage3".\n', err: "" });
      const rows = (await nodes(idx)).map((n) => [n.name, n.group_id, n.storage_type, Number(n.active), Number(n.auto_import), n.root, n.host, n.username, n.address]);
      expect(rows).toEqual([
        ["demo_storage1", 1, "F", 0, 1, "/data", "alpenhost1", null, null],
        ["demo_storage2", 2, "F", 0, 0, "/data", "alpenhost2", null, null],
        ["demo_storage3", 3, "A", 1, 0, "/data", "alpenhost3", "root", "alpenhost3"],
      ]);
      expect(await idx.db.all("SELECT node_id, path FROM archivefileimportrequest")).toEqual([{ node_id: 3, path: "ALPENHORN_NODE" }]);
    });
  });
}
