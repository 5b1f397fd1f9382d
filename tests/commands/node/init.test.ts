// `alpenhorn node init` on both backends (alpenhorn/cli/node/init.py and
// tests/cli/node/test_init.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

const AFIR = "SELECT node_id, path, recurse, register, completed FROM archivefileimportrequest ORDER BY id";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node init [${backend}]`, () => {
    test("missing NODE is a usage error (test_no_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "init"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: Missing argument 'NODE'.");
    });

    test("unknown node (test_bad_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "init", "Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such node: Missing\n" });
      expect(await idx.db.all(AFIR)).toEqual([]);
    });

    test("adds an ALPENHORN_NODE request (test_init)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "demo_storage1" });
      const n = await seed.node(idx.db, { name: "demo_storage1", group_id: g.id });
      const r = await cliFor(idx)(["node", "init", "demo_storage1"]);
      expect(r).toEqual({ code: 0, out: 'Requested initialisation of Node "demo_storage1".\n', err: "" });
      expect(await idx.db.all(AFIR)).toEqual([{ node_id: n.id, path: "ALPENHORN_NODE", recurse: 0, register: 0, completed: 0 }]);
      const row = await idx.db.get<{ timestamp: string }>('SELECT "timestamp" FROM archivefileimportrequest');
      expect(row?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
    });

    test("adds another request even when one is pending, on an inactive node", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const n = await seed.node(idx.db, { name: "N", group_id: g.id, active: 0 });
      await seed.importRequest(idx.db, { node_id: n.id, path: "ALPENHORN_NODE" });
      const r = await cliFor(idx)(["node", "init", "N"]);
      expect(r.code).toBe(0);
      expect((await idx.db.all(AFIR)).length).toBe(2);
    });
  });
}
