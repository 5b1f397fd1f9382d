// The import requests a node update refuses before queuing anything
// (alpenhorn/daemon/update.py: UpdateableNode.update_import at 632dd41; its
// tests/daemon/test_update_node.py: test_update_import_*) — absolute paths, init requests of
// an initialised node, scan paths that do not resolve (real realpath semantics: `a/missing/..`
// is refused) or leave the tree, and invalid single-file paths — each completed once, with
// alpenhorn's log lines.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`import requests refused by the node update [${backend}]`, () => {
    test("absolute, init, out-of-tree, unresolvable and invalid paths: completed, nothing queued", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "a/b"), { recursive: true });
      const req = (path: string, recurse = 0) => seed.importRequest(idx.db, { node_id: node.id, path, recurse, register: 1 });
      const abs = await req("/etc/passwd");
      const init = await req("ALPENHORN_NODE");
      const out = await req("..", 1);
      const unresolvable = await req("a/missing/..", 1);
      const dotInit = await req("./ALPENHORN_NODE");
      const scan = await req("a/./b/", 1);

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toEqual(
        expect.arrayContaining([
          'INFO Not importing to "demo_storage1" absolute path: /etc/passwd',
          'INFO Ignoring node init request for "demo_storage1": already initialised.',
          `WARNING Ignoring import request of out-of-tree scan path: ${dirname(root)}`,
          `WARNING Ignoring import request of unresolvable scan path: ${root}/a/missing/..: [Errno 2] No such file or directory: '${root}/a/missing'`,
          'WARNING Ignoring request for import of invalid path "./ALPENHORN_NODE": invalid start',
          'INFO Beginning task Scan "a/b" on demo_storage1',
        ]),
      );
      for (const q of [abs, init, out, unresolvable, dotInit, scan]) expect(r.messages).toContain(`INFO Completed import request #${q.id}.`);
      // Only the valid scan became a task.
      expect(r.messages.filter((m) => m.startsWith("INFO Beginning task Scan") || m.startsWith("INFO Beginning task Import"))).toEqual([
        'INFO Beginning task Scan "a/b" on demo_storage1',
      ]);
      const rows = await idx.db.all<{ completed: number }>("SELECT completed FROM archivefileimportrequest");
      expect(rows.map((x) => Number(x.completed))).toEqual([1, 1, 1, 1, 1, 1]);
    });
  });
}
