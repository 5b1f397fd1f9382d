// `alpenhorn node modify` on both backends (alpenhorn/cli/node/modify.py and
// tests/cli/node/test_modify.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { StorageNodeRow } from "../../../src/index/rows.ts";

const USAGE = "Usage: alpenhorn node modify [OPTIONS] NAME\nTry 'alpenhorn node modify -h' for help.\n\nError: ";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node modify [${backend}]`, () => {
    const node = async (idx: TestIndex) => (await idx.db.get<StorageNodeRow>("SELECT * FROM storagenode WHERE id = 1"))!;
    // A node with every field set (alpenhorn's fixture for these tests).
    async function full(idx: TestIndex, extra: Partial<StorageNodeRow> = {}) {
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.group(idx.db, { name: "Group2" });
      return seed.node(idx.db, {
        name: "TEST",
        group_id: g.id,
        address: "addr",
        auto_import: 0,
        auto_verify: 1,
        io_class: "Class",
        host: "host",
        max_total_gb: 2.5,
        min_avail_gb: 1.5,
        notes: "Notes",
        root: "/root",
        storage_type: "F",
        username: "user",
        ...extra,
      });
    }

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "modify", "TEST", "--notes=x"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: TEST\n" });
    });

    test("test_modify_nothing: no options leave the row byte-identical", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: '{"a": 1, "b": [1, 2.5]}' });
      const before = await node(idx);
      const r = await cliFor(idx)(["node", "modify", "TEST"]);
      expect(r).toEqual({ code: 0, out: "No change.\n", err: "" });
      expect(await node(idx)).toEqual(before);
    });

    test("test_modify_all: every option changes its column, including the group", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx);
      const r = await cliFor(idx)([
        "node", "modify", "TEST", "--address=addr2", "--auto-import", "--auto-verify=3", "--class=Class2", "--group=Group2",
        "--host=host2", "--io-var=a=1", "--max-total=3.5", "--min-avail=0.5", "--notes=Notes2", "--root=/root2", "--archive",
        "--username=user2",
      ]);
      expect(r).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      const n = await node(idx);
      expect({ ...n, auto_import: Number(n.auto_import) }).toMatchObject({
        address: "addr2",
        auto_import: 1,
        auto_verify: 3,
        io_class: "Class2",
        group_id: 2,
        host: "host2",
        io_config: '{"a": 1}',
        max_total_gb: 3.5,
        min_avail_gb: 0.5,
        notes: "Notes2",
        root: "/root2",
        storage_type: "A",
        username: "user2",
      });
    });

    test("test_clear_all: empty values and --no-max-total store NULLs", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: '{"a": 1}' });
      const r = await cliFor(idx)([
        "node", "modify", "TEST", "--address=", "--class=", "--host=", "--io-config=", "--no-max-total", "--notes=", "--root=", "--username=",
      ]);
      expect(r).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect(await node(idx)).toMatchObject({ address: null, io_class: null, host: null, io_config: null, max_total_gb: null, notes: null, root: null, username: null });
    });

    test("test_modify_ioconfig: --io-config replaced, then --io-var edits", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: '{"a": 1, "b": 2, "c": 3}' });
      const r = await cliFor(idx)(["node", "modify", "TEST", '--io-config={"a": 4, "b": 5, "c": 6}', "--io-var=b=8", "--io-var=c=", "--io-var=d=7"]);
      expect(r.code).toBe(0);
      expect((await node(idx)).io_config).toBe('{"a": 4, "b": 8, "d": 7}');
    });

    test("test_modify_ioconfig_none: --io-var edits the stored config", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: '{"a": 1, "b": 2}' });
      const r = await cliFor(idx)(["node", "modify", "TEST", "--io-var=a=", "--io-var=b=8"]);
      expect(r.code).toBe(0);
      expect((await node(idx)).io_config).toBe('{"b": 8}');
    });

    test("a compactly spelt stored config is rewritten in Python's spelling", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: '{"a":1}' });
      const r = await cliFor(idx)(["node", "modify", "TEST"]);
      expect(r).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect((await node(idx)).io_config).toBe('{"a": 1}');
    });

    test("test_modify_iovar_bad_json: invalid stored JSON fails, even without I/O options", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: "{bad" });
      const before = await node(idx);
      const cli = cliFor(idx);
      expect(await cli(["node", "modify", "TEST", "--io-var=a=1"])).toEqual({ code: 1, out: "", err: "Error: Invalid I/O config in database: {bad.\n" });
      expect(await cli(["node", "modify", "TEST", "--notes=New"])).toEqual({ code: 1, out: "", err: "Error: Invalid I/O config in database: {bad.\n" });
      expect(await node(idx)).toEqual(before);
    });

    test("test_modify_fix_json: --io-config repairs invalid stored JSON", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx, { io_config: "{bad" });
      const r = await cliFor(idx)(["node", "modify", "TEST", '--io-config={"a": 10}']);
      expect(r).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect((await node(idx)).io_config).toBe('{"a": 10}');
    });

    test("test_max_total_no_max_total / test_bad_max_total / bad counts: usage errors, row unchanged", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx);
      const before = await node(idx);
      const cli = cliFor(idx);
      const cases: Array<[string[], string]> = [
        [["--max-total=3", "--no-max-total"], "cannot use both --max-total and --no-max-total"],
        [["--max-total=0"], "--max-total must be positive"],
        [["--max-total=-1"], "--max-total must be positive"],
        [["--auto-verify=-3"], "--auto-verify must be non-negative"],
        [["--min-avail=-3"], "--min-avail must be non-negative"],
        [["--archive", "--transport"], "cannot use both --archive and --transport"],
      ];
      for (const [opts, msg] of cases) expect(await cli(["node", "modify", "TEST", ...opts])).toEqual({ code: 2, out: "", err: `${USAGE}${msg}\n` });
      expect(await node(idx)).toEqual(before);
    });

    test("test_bad_auto_verify / test_bad_min_avail: zero is allowed and stored", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx);
      const r = await cliFor(idx)(["node", "modify", "TEST", "--auto-verify=0", "--min-avail=0"]);
      expect(r).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect(await node(idx)).toMatchObject({ auto_verify: 0, min_avail_gb: 0 });
    });

    test("an unknown --group fails and changes nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx);
      const r = await cliFor(idx)(["node", "modify", "TEST", "--group=Missing", "--notes=x"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
      expect((await node(idx)).notes).toBe("Notes");
    });

    test("the same values are no change", async () => {
      await using idx = await initialisedIndex(backend);
      await full(idx);
      const r = await cliFor(idx)(["node", "modify", "TEST", "--notes=Notes", "--max-total=2.5", "--min-avail=1.5", "--field", "--no-auto-import", "--group=Group"]);
      expect(r).toEqual({ code: 0, out: "No change.\n", err: "" });
    });

    test("demo: --no-auto-import, --username/--address and --archive", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      await cli(["group", "create", "demo_storage1"]);
      await cli(["node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", "--root=/data", "--host=alpenhost1"]);
      await cli(["node", "create", "demo_storage2", "--create-group", "--root=/data", "--host=alpenhost2"]);
      expect(await cli(["node", "modify", "demo_storage1", "--no-auto-import"])).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect(await cli(["node", "modify", "demo_storage1", "--username", "root", "--address", "alpenhost1"])).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect(await cli(["node", "modify", "--archive", "demo_storage2"])).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      const rows = await idx.db.all<StorageNodeRow>("SELECT * FROM storagenode ORDER BY id");
      expect(rows.map((n) => [Number(n.auto_import), n.username, n.address, n.storage_type])).toEqual([
        [0, "root", "alpenhost1", "F"],
        [0, null, null, "A"],
      ]);
    });
  });
}
