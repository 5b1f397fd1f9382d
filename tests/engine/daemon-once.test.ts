// The update loop run once (--once) on real temp trees against real indexes: node
// availability, node initialisation, scan and single-file import requests, tidy-up.

import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

const MD5_META = "4f2a66c1ff5eb90a5013522d53ea2e91";
const META = "This is the first acquisition in the alpenhorn demo\n";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`daemon --once [${backend}]`, () => {
    test("no active nodes: warning and summary lines, exit 0", async () => {
      await using idx = await demoIndex(backend);
      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain("INFO Alpenhorn start.");
      expect(r.messages).toContain("WARNING No active nodes on host (alpenhost1)!");
      expect(r.messages).toContain("INFO Tasks: 0 queued, 0 deferred, 0 in-progress on 0 workers");
      expect(r.messages).toContain("INFO Update complete.  Exiting.");
      expect(r.lines[0]).toMatch(/^\w{3} \d\d \d\d:\d\d:\d\d INFO >> \[MainThread\] Alpenhorn start\.$/);
    });

    test("uninitialised node is ignored; an init request initialises it", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      let r = await runServe(idx);
      expect(r.messages).toEqual(
        expect.arrayContaining([
          'INFO Node "demo_storage1" now available.',
          `WARNING Node file "${root}/ALPENHORN_NODE" could not be read.`,
          'WARNING Ignoring node "demo_storage1": not initialised.',
        ]),
      );
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "ALPENHORN_NODE" });
      r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain('INFO Requesting init of node "demo_storage1".');
      expect(r.messages).toContain('INFO Beginning task Init Node "demo_storage1"');
      expect(r.messages).toContain('INFO Node "demo_storage1" initialised.');
      expect(readFileSync(join(root, "ALPENHORN_NODE"), "utf8")).toBe("demo_storage1\n");
      const row = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(row!.completed)).toBe(1);

      // Next start: the node is available, free space recorded, tidy-up queued once.
      r = await runServe(idx);
      expect(r.messages).toContain('INFO Group "demo_storage1" now available.');
      expect(r.messages).toContain('INFO Updating node "demo_storage1".');
      expect(r.messages).toContain('INFO Updating group "demo_storage1".');
      expect(r.messages.some((m) => /^INFO Node demo_storage1: [\d.]+ [kMGTPE]iB available\.$/.test(m))).toBe(true);
      expect(r.messages).toContain("INFO Beginning task Tidy up demo_storage1");
      const n = await idx.db.get<{ avail_gb: number | null; avail_gb_last_checked: string | null }>(
        "SELECT avail_gb, avail_gb_last_checked FROM storagenode WHERE id = ?",
        [node.id],
      );
      expect(n!.avail_gb).toBeGreaterThan(0);
      expect(n!.avail_gb_last_checked).not.toBeNull();
    });

    test("scan request registers new files, skips dot/temp names, stays open while a file is locked", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      writeFileSync(join(root, "2025/02/21/meta.txt"), META);
      writeFileSync(join(root, "2025/02/21/23/1324.dat"), "0 1 2 3 4 5\n");
      writeFileSync(join(root, "2025/02/21/23/1330.dat.temp"), "x\n");
      writeFileSync(join(root, "2025/02/21/23/.1342.dat"), "x\n");
      writeFileSync(join(root, "2025/02/21/23/1349.dat"), "9 10 11 12 13\n");
      writeFileSync(join(root, "2025/02/21/23/.1349.dat.lock"), "");
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 });

      let r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toEqual(
        expect.arrayContaining([
          'INFO Beginning task Scan "2025/02/21" on demo_storage1',
          'INFO Scanning "2025/02/21" on "demo_storage1" for new files.',
          'INFO Scanning "2025/02/21".',
          'INFO Scanning "2025/02/21/23".',
          'INFO Acquisition "2025/02/21" added to DB.',
          'INFO File "2025/02/21/meta.txt" added to DB.',
          'INFO Imported file copy "2025/02/21/meta.txt" on node "demo_storage1".',
          "INFO Not importing non-acquisition path: 2025/02/21/23/1330.dat.temp",
          'INFO Not importing "2025/02/21/23/.1342.dat": filename starts with a dot.',
          'INFO Skipping "2025/02/21/23/1349.dat": locked.',
        ]),
      );
      const file = await idx.db.get<{ md5sum: string; size_b: number }>("SELECT md5sum, size_b FROM archivefile WHERE name = ?", ["meta.txt"]);
      expect(file).toEqual({ md5sum: MD5_META, size_b: 52 });
      const acqData = await idx.db.all("SELECT * FROM acqdata");
      expect(acqData.length).toBe(1);
      const copies = await idx.db.all<{ has_file: string; wants_file: string; ready: number }>("SELECT has_file, wants_file, ready FROM archivefilecopy");
      expect(copies.length).toBe(2);
      for (const c of copies) expect([c.has_file, c.wants_file, Number(c.ready)]).toEqual(["Y", "Y", 1]);
      let afir = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(afir!.completed)).toBe(0); // 1349.dat is still locked

      // Unlock: the next run finishes the request.
      const { unlinkSync } = await import("node:fs");
      unlinkSync(join(root, "2025/02/21/23/.1349.dat.lock"));
      r = await runServe(idx);
      expect(r.messages).toContain('INFO File "2025/02/21/23/1349.dat" added to DB.');
      expect(r.messages).toContain(`INFO Completed import request #${req.id}.`);
      afir = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(afir!.completed)).toBe(1);
      expect(existsSync(join(root, "2025/02/21/23/1330.dat.temp"))).toBe(true);
    });

    test("single-file import request: registers once; unregistered without --register-new", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      writeFileSync(join(root, "2025/02/21/23/1330.dat"), "0 1 2 3 4 5\n");
      const noreg = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21/23/1330.dat", register: 0 });
      let r = await runServe(idx);
      expect(r.messages).toContain('INFO Not importing unregistered acquistion: "2025/02/21".');
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21/23/1330.dat", register: 1 });
      const bad = await seed.importRequest(idx.db, { node_id: node.id, path: "2025//x", register: 1 });
      r = await runServe(idx);
      expect(r.messages).toEqual(
        expect.arrayContaining([
          "INFO Beginning task Import 2025/02/21/23/1330.dat on demo_storage1",
          'INFO File "2025/02/21/23/1330.dat" added to DB.',
          'INFO Imported file copy "2025/02/21/23/1330.dat" on node "demo_storage1".',
          `INFO Completed import request #${req.id}.`,
          'WARNING Ignoring request for import of invalid path "2025//x": repeated /',
        ]),
      );
      const done = await idx.db.all<{ id: number; completed: number }>("SELECT id, completed FROM archivefileimportrequest ORDER BY id");
      expect(done.map((d) => Number(d.completed))).toEqual([1, 1, 1]);
      expect(done.map((d) => d.id)).toEqual([noreg.id, req.id, bad.id]);
      const n = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopy");
      expect(Number(n!.n)).toBe(1);
    });

    test("autosync and autoclean fire on import", async () => {
      await using idx = await demoIndex(backend);
      const { node, root, group } = await demoNode(idx);
      const other = await demoNode(idx, { name: "remote1", active: 0 });
      await seed.transferAction(idx.db, { node_from_id: node.id, group_to_id: other.group.id, autosync: 1 });
      await seed.transferAction(idx.db, { node_from_id: other.node.id, group_to_id: group.id, autoclean: 1 });
      const acq = await seed.acq(idx.db, { name: "2025/02/21" });
      const f = await seed.file(idx.db, { name: "meta.txt", acq_id: acq.id, size_b: 52, md5sum: MD5_META });
      await seed.copy(idx.db, { file_id: f.id, node_id: other.node.id, has_file: "Y", wants_file: "Y" });
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21"), { recursive: true });
      writeFileSync(join(root, "2025/02/21/meta.txt"), META);
      await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21/meta.txt", register: 0 });
      const r = await runServe(idx);
      expect(r.messages).toContain('INFO Imported file copy "2025/02/21/meta.txt" on node "demo_storage1".');
      // The remote group already holds it (Y), so no autosync request; autoclean releases it there.
      expect((await idx.db.all("SELECT * FROM archivefilecopyrequest")).length).toBe(0);
      const up = await idx.db.get<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy WHERE node_id = ?", [other.node.id]);
      expect(up!.wants_file).toBe("N");
    });
  });
}
