// One file imported by several flows at once (a `file import` request, a scan request, the
// auto-import catch-up and a watcher event) on 2 workers is registered exactly once.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subscribe } from "../../src/engine/watch/watcher.ts";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

const count = async (db: { get: <T>(sql: string) => Promise<T | undefined> }, table: string) =>
  Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`simultaneous imports [${backend}]`, () => {
    test("request + scan + catch-up + watcher event register each file once, without errors", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx, { auto_import: 1 });
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      const files = ["2025/02/21/meta.txt", "2025/02/21/23/1324.dat", "2025/02/21/23/1325.dat", "2025/02/21/23/1326.dat"];
      for (const f of files) writeFileSync(join(root, f), `${f}\n`.repeat(2000));
      const single = await seed.importRequest(idx.db, { node_id: node.id, path: files[1]!, register: 1 });
      const scanReq = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 });

      // The fake watcher reports every file as created as soon as the watch exists.
      let subscribed = 0;
      const subscribe: Subscribe = async (dir, fn) => {
        subscribed++;
        setTimeout(() => void fn(null, files.map((f) => ({ type: "create" as const, path: join(dir, f) }))), 0);
        return { unsubscribe: async () => undefined };
      };
      const r = await runServe(idx, { daemon: "  num_workers: 2\n", subscribe });
      expect(r.code).toBe(0);
      expect(subscribed).toBeGreaterThan(0);
      expect(r.messages.filter((m) => /^(ERROR|WARNING|CRITICAL) /.test(m))).toEqual([]);
      // Several import tasks really did run for the same file.
      expect(r.messages.filter((m) => m === `INFO Beginning task Import ${files[1]} on demo_storage1`).length).toBeGreaterThan(1);

      expect(await count(idx.db, "archiveacq")).toBe(1);
      expect(await count(idx.db, "archivefile")).toBe(files.length);
      expect(await count(idx.db, "archivefilecopy")).toBe(files.length);
      expect(await count(idx.db, "acqdata")).toBe(1);
      expect(await count(idx.db, "filedata")).toBe(files.length);
      expect(r.messages.filter((m) => m.startsWith("INFO Imported file copy ")).length).toBe(files.length);
      expect(r.messages.filter((m) => m.startsWith("INFO File ") && m.endsWith(" added to DB.")).length).toBe(files.length);
      const reqs = await idx.db.all<{ id: number; completed: number }>("SELECT id, completed FROM archivefileimportrequest ORDER BY id");
      expect(reqs.map((q) => [q.id, Number(q.completed)])).toEqual([
        [single.id, 1],
        [scanReq.id, 1],
      ]);
    });
  });
}
