// `alpenhorn node scan` on both backends (alpenhorn/cli/node/scan.py and
// tests/cli/node/test_scan.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { TestIndex } from "../../helpers/index.ts";

const AFIR = "SELECT node_id, path, recurse, register, completed FROM archivefileimportrequest ORDER BY id";

async function node(idx: TestIndex, root: string | null = "/root") {
  const g = await seed.group(idx.db, { name: "Group" });
  return seed.node(idx.db, { name: "Node", group_id: g.id, root });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node scan [${backend}]`, () => {
    test("missing NODE is a usage error (test_no_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "scan"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: Missing argument 'NODE'.");
    });

    test("unknown node (test_bad_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "scan", "Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: Missing\n" });
    });

    test("defaults to a recursive scan of `.` (test_default)", async () => {
      await using idx = await initialisedIndex(backend);
      const n = await node(idx);
      const r = await cliFor(idx)(["node", "scan", "Node"]);
      expect(r).toEqual({ code: 0, out: 'Added request for scan of "." on Node "Node".\n', err: "" });
      expect(await idx.db.all(AFIR)).toEqual([{ node_id: n.id, path: ".", recurse: 1, register: 0, completed: 0 }]);
    });

    test("relative path, normalised (test_relpath)", async () => {
      await using idx = await initialisedIndex(backend);
      await node(idx);
      const cli = cliFor(idx);
      expect((await cli(["node", "scan", "Node", "relative/path"])).out).toBe('Added request for scan of "relative/path" on Node "Node".\n');
      expect((await cli(["node", "scan", "Node", "./sub//dir/"])).out).toBe('Added request for scan of "sub/dir" on Node "Node".\n');
      expect((await idx.db.all<{ path: string }>(AFIR)).map((r) => r.path)).toEqual(["relative/path", "sub/dir"]);
    });

    test("absolute path under the root is made relative (test_abspath)", async () => {
      await using idx = await initialisedIndex(backend);
      await node(idx);
      const cli = cliFor(idx);
      expect((await cli(["node", "scan", "Node", "/root/absolute/path"])).out).toBe('Added request for scan of "absolute/path" on Node "Node".\n');
      expect((await cli(["node", "scan", "Node", "/root"])).out).toBe('Added request for scan of "." on Node "Node".\n');
      expect((await cli(["node", "scan", "Node", "/root/x/../y"])).out).toBe('Added request for scan of "x/../y" on Node "Node".\n');
      expect((await idx.db.all<{ path: string }>(AFIR)).map((r) => r.path)).toEqual(["absolute/path", ".", "x/../y"]);
    });

    test("absolute path outside the root (test_bad_abspath)", async () => {
      await using idx = await initialisedIndex(backend);
      await node(idx);
      const r = await cliFor(idx)(["node", "scan", "Node", "/rooted/path"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: absolute path "/rooted/path" outside node root: /root\n' });
      expect(await idx.db.all(AFIR)).toEqual([]);
    });

    test("absolute path on a node without root (test_abspath_no_root)", async () => {
      await using idx = await initialisedIndex(backend);
      await node(idx, null);
      const r = await cliFor(idx)(["node", "scan", "Node", "/root/path"]);
      expect(r).toEqual({ code: 1, out: "", err: `Error: PATH can't be absolute: Node "Node" has no root.\n` });
      expect(await idx.db.all(AFIR)).toEqual([]);
    });

    test("--register-new / -n sets register (test_new)", async () => {
      await using idx = await initialisedIndex(backend);
      const n = await node(idx, "/data");
      const cli = cliFor(idx);
      const r = await cli(["node", "scan", "Node", "--register-new", "2025/02/21"]);
      expect(r).toEqual({ code: 0, out: 'Added request for scan of "2025/02/21" on Node "Node".\n', err: "" });
      expect((await cli(["node", "scan", "-n", "Node"])).code).toBe(0);
      expect(await idx.db.all(AFIR)).toEqual([
        { node_id: n.id, path: "2025/02/21", recurse: 1, register: 1, completed: 0 },
        { node_id: n.id, path: ".", recurse: 1, register: 1, completed: 0 },
      ]);
    });
  });
}
