// I/O class resolution each loop (alpenhorn/daemon/update.py: updateable_base._get_io_class
// and reinit at 632dd41; its tests/daemon/test_update_node.py: test_bad_ioclass, test_reinit):
// an unknown io_class is logged every loop and skips its node (or group); changing
// io_class/io_config re-initialises the I/O.

import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe, until, type RunResult } from "./_daemon.ts";

const times = (r: RunResult, msg: string) => r.messages.filter((m) => m === msg).length;

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`io_class [${backend}]`, () => {
    test("unknown node io_class: ERROR every loop, node skipped; fixing it brings the node back", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      await idx.db.run("UPDATE storagenode SET io_class = ? WHERE id = ?", ["Bogus", node.id]);
      writeFileSync(join(root, "x.dat"), "x");
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "x.dat", register: 1 });
      const err = 'ERROR Unknown I/O class: "Bogus".  Ignoring StorageNode demo_storage1.';
      let afterFix = 0;
      const r = await runServe(idx, {
        once: false,
        during: async (out) => {
          await until(() => times(out, err) >= 3, 15000, "three loops with the error");
          // Skipped: no update, no free-space write, the request untouched.
          expect(out.messages).not.toContain('INFO Updating node "demo_storage1".');
          const row = await idx.db.get<{ avail_gb_last_checked: string | null }>("SELECT avail_gb_last_checked FROM storagenode WHERE id = ?", [node.id]);
          expect(row!.avail_gb_last_checked).toBeNull();
          const pending = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
          expect(Number(pending!.completed)).toBe(0);
          await idx.db.run("UPDATE storagenode SET io_class = NULL WHERE id = ?", [node.id]);
          afterFix = out.messages.length;
          await until(() => out.messages.includes(`INFO Completed import request #${req.id}.`), 15000, "request handled");
        },
      });
      expect(r.code).toBe(0);
      // "now available" again every loop: the unresolved node is forgotten and re-created.
      expect(times(r, 'INFO Node "demo_storage1" now available.')).toBeGreaterThanOrEqual(3);
      expect(r.messages.slice(afterFix + 1).filter((m) => m === err).length).toBeLessThanOrEqual(1);
      const afir = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(afir!.completed)).toBe(1); // handled once the node is back ("no detection")
      expect(r.messages).toContain("INFO Not importing non-acquisition path: x.dat");
    });

    test("invalid node io_config: ERROR every loop, node skipped, the daemon keeps running", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      await idx.db.run("UPDATE storagenode SET io_config = ? WHERE id = ?", ["{not json", node.id]);
      const err = 'ERROR Invalid io_config: "{not json".  Ignoring StorageNode demo_storage1.';
      const r = await runServe(idx, {
        once: false,
        during: async (out) => until(() => times(out, err) >= 2, 15000, "two loops with the error"),
      });
      expect(r.code).toBe(0);
      expect(r.messages).not.toContain('INFO Updating node "demo_storage1".');
    });

    test("unknown group io_class: ERROR every loop, group skipped, its node still updated", async () => {
      await using idx = await demoIndex(backend);
      const { group, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      await idx.db.run("UPDATE storagegroup SET io_class = ? WHERE id = ?", ["Bogus", group.id]);
      const err = 'ERROR Unknown I/O class: "Bogus".  Ignoring StorageGroup demo_storage1.';
      const r = await runServe(idx, {
        once: false,
        during: async (out) => until(() => times(out, err) >= 2, 15000, "two loops with the error"),
      });
      expect(r.code).toBe(0);
      expect(r.messages).toContain('INFO Updating node "demo_storage1".');
      expect(r.messages.some((m) => m.startsWith('INFO Updating group "demo_storage1"'))).toBe(false);
    });

    test("changing io_config or io_class (NULL → Default) re-initialises node and group I/O", async () => {
      await using idx = await demoIndex(backend);
      const { node, group, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const nodeMsg = 'INFO I/O config change detected for StorageNode "demo_storage1": attempting re-init.';
      const groupMsg = 'INFO I/O config change detected for StorageGroup "demo_storage1": attempting re-init.';
      const r = await runServe(idx, {
        once: false,
        during: async (out) => {
          await until(() => out.messages.includes('INFO Updating group "demo_storage1".'), 15000, "first update");
          // Same config again: no re-init.
          await idx.db.run("UPDATE storagenode SET notes = ? WHERE id = ?", ["touched", node.id]);
          const mark = out.messages.length;
          await until(() => out.messages.slice(mark).filter((m) => m.startsWith("INFO Main loop execution was")).length >= 1, 15000, "a loop");
          expect(out.messages).not.toContain(nodeMsg);
          await idx.db.run("UPDATE storagenode SET io_config = ? WHERE id = ?", ['{"a": 1}', node.id]);
          await until(() => times(out, nodeMsg) === 1, 15000, "node re-init");
          await idx.db.run("UPDATE storagenode SET io_class = ? WHERE id = ?", ["Default", node.id]);
          await until(() => times(out, nodeMsg) === 2, 15000, "node re-init on io_class");
          await idx.db.run("UPDATE storagegroup SET io_config = ? WHERE id = ?", ["{}", group.id]);
          await until(() => times(out, groupMsg) === 1, 15000, "group re-init");
          const mark2 = out.messages.length;
          await until(() => out.messages.slice(mark2).includes('INFO Updating node "demo_storage1".'), 15000, "updates go on");
        },
      });
      expect(r.code).toBe(0);
      expect(times(r, nodeMsg)).toBe(2);
      expect(times(r, groupMsg)).toBe(1);
      expect(r.messages.filter((m) => m.startsWith("ERROR "))).toEqual([]);
    });
  });
}
