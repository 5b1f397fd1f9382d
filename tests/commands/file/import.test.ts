// `alpenhorn file import` on both backends (alpenhorn/cli/file/import_.py and
// tests/cli/file/test_import.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { utcNow } from "../../../src/common/time.ts";
import type { ArchiveFileImportRequestRow } from "../../../src/index/rows.ts";
import { countRows, fileEnv } from "./_fixtures.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file import [${backend}]`, () => {
    test("unknown node", async () => {
      await using env = await fileEnv(backend);
      expect(await env.run(["file", "import", "path", "Nope"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
      expect(await countRows(env.db, "archivefileimportrequest")).toBe(0);
    });

    test("absolute PATH is a usage error", async () => {
      await using env = await fileEnv(backend);
      const r = await env.run(["file", "import", "/path", "Nope"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: PATH may not be absolute\n");
    });

    test("adds an import request with PATH verbatim", async () => {
      await using env = await fileEnv(backend);
      const g = await seed.group(env.db, { name: "Group" });
      const n = await seed.node(env.db, { name: "Node", group_id: g.id });
      const start = utcNow().slice(0, 19);
      expect(await env.run(["file", "import", "a//path/", "Node"])).toMatchObject({ code: 0, out: "Added new import request.\n" });
      const [r] = await env.db.all<ArchiveFileImportRequestRow>("SELECT * FROM archivefileimportrequest");
      expect(r).toMatchObject({ node_id: n.id, path: "a//path/" });
      expect([Number(r!.recurse), Number(r!.register), Number(r!.completed)]).toEqual([0, 0, 0]);
      expect(String(r!.timestamp) >= start).toBe(true);
    });

    test("--register-new sets register (demo)", async () => {
      await using env = await fileEnv(backend);
      const g = await seed.group(env.db, { name: "demo_storage1" });
      await seed.node(env.db, { name: "demo_storage1", group_id: g.id });
      const r = await env.run(["file", "import", "--register-new", "2025/02/21/23/1330.dat", "demo_storage1"]);
      expect(r).toMatchObject({ code: 0, out: "Added new import request.\n" });
      const row = await env.db.get<ArchiveFileImportRequestRow>("SELECT * FROM archivefileimportrequest");
      expect(row!.path).toBe("2025/02/21/23/1330.dat");
      expect(Number(row!.register)).toBe(1);
      expect(Number(row!.recurse)).toBe(0);
    });
  });
}
