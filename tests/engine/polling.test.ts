// The Polling I/O class (alpenhorn/io/polling.py at 632dd41): a node whose auto-import finds
// new files by listing its tree every daemon.auto_import_interval seconds, never through the
// file-watching library (which would hear nothing of NFS changes from other hosts). The daemon
// runs in-process on a real index (both backends) and a real directory.

import { expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subscribe } from "../../src/engine/watch/watcher.ts";
import { backendSuites } from "../helpers/index.ts";
import { demoIndex, demoNode, runServe, until } from "./_daemon.ts";

const copies = async (db: { all: <T>(sql: string) => Promise<T[]> }) =>
  (await db.all<{ name: string }>("SELECT f.name FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.has_file = 'Y' ORDER BY f.name")).map((r) => r.name);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`Polling auto-import [${backend}]`, () => {
    test("new files and a released lock are imported by polling, without the watcher", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx, { auto_import: 1 });
      await idx.db.run("UPDATE storagenode SET io_class = 'Polling' WHERE id = ?", [node.id]);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      // There before the daemon: the catch-up scan's.
      writeFileSync(join(root, "2025/02/21/meta.txt"), "meta\n");
      let subscribed = 0;
      const subscribe: Subscribe = async () => {
        subscribed++;
        return { unsubscribe: async () => undefined };
      };
      const r = await runServe(idx, {
        once: false,
        subscribe,
        daemon: "  num_workers: 1\n  auto_import_interval: 1\n",
        during: async (out) => {
          await until(() => out.messages.includes('INFO Watching node "demo_storage1" root "' + root + '" for auto import.'), 20000, "the watch");
          await until(async () => (await copies(idx.db)).includes("meta.txt"), 20000, "the catch-up");
          // New after the catch-up: only polling can find it (nothing else scans).
          writeFileSync(join(root, "2025/02/21/23/1324.dat"), "data\n");
          writeFileSync(join(root, "2025/02/21/23/.1325.dat.lock"), "");
          writeFileSync(join(root, "2025/02/21/23/1325.dat"), "more\n");
          await until(async () => (await copies(idx.db)).includes("23/1324.dat"), 20000, "the polled import");
          await until(() => out.messages.includes('INFO Skipping "2025/02/21/23/1325.dat": locked.'), 20000, "the locked file");
          expect(await copies(idx.db)).not.toContain("23/1325.dat");
          rmSync(join(root, "2025/02/21/23/.1325.dat.lock"));
          await until(async () => (await copies(idx.db)).includes("23/1325.dat"), 20000, "the unlocked file");
        },
      });
      expect(subscribed).toBe(0);
      expect(await copies(idx.db)).toEqual(["23/1324.dat", "23/1325.dat", "meta.txt"]);
      expect(r.messages.filter((m) => /^(ERROR|CRITICAL|WARNING) /.test(m))).toEqual([]);
    });
  });
}
