// The demo's "Start the first daemon" … "Manually importing files" sections against the
// COMPILED binary: a real daemon with two workers, real inotify auto-import, requests written
// to the index as the CLI would, and the demo's log lines checked to the letter.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { demoIndex, demoNode, HOST } from "../engine/_daemon.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";

let build: TempDir;
let exe = "";

beforeAll(async () => {
  build = tempDir("daemon-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 120_000);
afterAll(() => build?.[Symbol.dispose]());

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`compiled daemon demo [${backend}]`, () => {
    test("start, activate, init, auto-import with lock and temp names, manual import and scan", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx, { active: 0, auto_import: 1 });
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(
        conf,
        `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  auto_import_interval: 1\n  num_workers: 2\nlogging:\n  level: info\n`,
      );
      const d = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path);
      try {
        await d.wait("INFO >> [MainThread] Alpenhorn start.");
        await d.wait(`INFO >> [MainThread] Loading config file ${conf}`);
        await d.wait("INFO >> [MainThread] Loading extension module: pattern_importer");
        await d.wait("INFO >> [Worker#1] Started.");
        await d.wait("INFO >> [Worker#2] Started.");
        await d.wait(`WARNING >> [MainThread] No active nodes on host (${HOST})!`);
        await d.wait("INFO >> [MainThread] Main loop execution was 0.0s.");
        await d.wait("INFO >> [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 2 workers");

        // node activate
        await idx.db.run("UPDATE storagenode SET active = 1 WHERE id = ?", [node.id]);
        await d.wait('INFO >> [MainThread] Node "demo_storage1" now available.');
        await d.wait(`WARNING >> [MainThread] Node file "${root}/ALPENHORN_NODE" could not be read.`);
        await d.wait('WARNING >> [MainThread] Ignoring node "demo_storage1": not initialised.');

        // node init
        await seed.importRequest(idx.db, { node_id: node.id, path: "ALPENHORN_NODE" });
        await d.wait('INFO >> [MainThread] Requesting init of node "demo_storage1".');
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Init Node "demo_storage1"$/);
        await d.wait(new RegExp(`^WARNING >> \\[Worker#\\d\\] Node file "${root}/ALPENHORN_NODE" could not be read\\.$`));
        await d.wait(/^INFO >> \[Worker#\d\] Node "demo_storage1" initialised\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Finished task: Init Node "demo_storage1"$/);

        // auto-import starts with the catch-up scan; tidy-up on the first idle update
        await d.wait('INFO >> [MainThread] Group "demo_storage1" now available.');
        await d.wait(`INFO >> [MainThread] Watching node "demo_storage1" root "${root}" for auto import.`);
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Catch-up on demo_storage1$/);
        await d.wait(/^INFO >> \[Worker#\d\] Scanning "\." on "demo_storage1" for new files\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Scanning "\."\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Finished task: Catch-up on demo_storage1$/);
        await d.wait(/^INFO >> \[MainThread\] Node demo_storage1: [\d.]+ [kMGTPE]iB available\.$/);
        await d.wait('INFO >> [MainThread] Updating node "demo_storage1".');
        await d.wait('INFO >> [MainThread] Updating group "demo_storage1".');
        await d.wait(/^INFO >> \[Worker#\d\] Finished task: Tidy up demo_storage1$/);

        // auto-import with a lock file
        mkdirSync(join(root, "2025/02/21"), { recursive: true });
        writeFileSync(join(root, "2025/02/21/.meta.txt.lock"), "");
        writeFileSync(join(root, "2025/02/21/meta.txt"), "This is the first acquisition in the alpenhorn demo\n");
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Import 2025\/02\/21\/meta\.txt on demo_storage1$/);
        await d.wait(/^INFO >> \[Worker#\d\] Skipping "2025\/02\/21\/meta\.txt": locked\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Finished task: Import 2025\/02\/21\/meta\.txt on demo_storage1$/);
        rmSync(join(root, "2025/02/21/.meta.txt.lock"));
        await d.wait(/^INFO >> \[Worker#\d\] Acquisition "2025\/02\/21" added to DB\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] File "2025\/02\/21\/meta\.txt" added to DB\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Imported file copy "2025\/02\/21\/meta\.txt" on node "demo_storage1"\.$/);

        // temporary names: a name the importer rejects, then an atomic rename; a dot-file is never considered
        mkdirSync(join(root, "2025/02/21/23"));
        writeFileSync(join(root, "2025/02/21/23/1324.dat.temp"), "0 1 2 3 4 5\n");
        writeFileSync(join(root, "2025/02/21/23/.1325.dat"), "x\n");
        await d.wait(/^INFO >> \[Worker#\d\] Not importing non-acquisition path: 2025\/02\/21\/23\/1324\.dat\.temp$/);
        renameSync(join(root, "2025/02/21/23/1324.dat.temp"), join(root, "2025/02/21/23/1324.dat"));
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Import 2025\/02\/21\/23\/1324\.dat on demo_storage1$/);
        await d.wait(/^INFO >> \[Worker#\d\] File "2025\/02\/21\/23\/1324\.dat" added to DB\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Imported file copy "2025\/02\/21\/23\/1324\.dat" on node "demo_storage1"\.$/);
        expect(d.has(/Import 2025\/02\/21\/23\/\.1325\.dat/)).toBe(false);

        // manual import: auto-import off, then a file import and a scan request
        await idx.db.run("UPDATE storagenode SET auto_import = 0 WHERE id = ?", [node.id]);
        const loops = d.lines.filter((l) => l.includes("Main loop execution")).length;
        await Bun.sleep(100);
        const end = Date.now() + 10_000;
        while (d.lines.filter((l) => l.includes("Main loop execution")).length < loops + 2 && Date.now() < end) await Bun.sleep(50);
        writeFileSync(join(root, "2025/02/21/23/1330.dat"), "0 1 2 3 4 5\n");
        writeFileSync(join(root, "2025/02/21/23/1342.dat"), "3 4 5 6 7 8\n");
        writeFileSync(join(root, "2025/02/21/23/1349.dat"), "9 10 11 12 13\n");
        await Bun.sleep(1500);
        expect(d.has(/Import 2025\/02\/21\/23\/1330\.dat/)).toBe(false);
        const fileReq = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21/23/1330.dat", register: 1 });
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Import 2025\/02\/21\/23\/1330\.dat on demo_storage1$/);
        await d.wait(/^INFO >> \[Worker#\d\] Imported file copy "2025\/02\/21\/23\/1330\.dat" on node "demo_storage1"\.$/);
        await d.wait(new RegExp(`^INFO >> \\[Worker#\\d\\] Completed import request #${fileReq.id}\\.$`));
        const scanReq = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 });
        await d.wait(/^INFO >> \[Worker#\d\] Beginning task Scan "2025\/02\/21" on demo_storage1$/);
        await d.wait(/^INFO >> \[Worker#\d\] Scanning "2025\/02\/21" on "demo_storage1" for new files\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Scanning "2025\/02\/21"\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] Scanning "2025\/02\/21\/23"\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] File "2025\/02\/21\/23\/1342\.dat" added to DB\.$/);
        await d.wait(/^INFO >> \[Worker#\d\] File "2025\/02\/21\/23\/1349\.dat" added to DB\.$/);
        await d.wait(new RegExp(`^INFO >> \\[Worker#\\d\\] Completed import request #${scanReq.id}\\.$`));
        await d.wait(/^INFO >> \[Worker#\d\] Finished task: Scan "2025\/02\/21" on demo_storage1$/);
        await d.wait("INFO >> [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 2 workers");

        // SIGTERM: orderly and quick
        const t0 = Date.now();
        d.proc.kill("SIGTERM");
        expect(await d.proc.exited).toBe(0);
        expect(Date.now() - t0).toBeLessThan(5000);
        expect(d.has("INFO >> [MainThread] Exiting due to SIGTERM")).toBe(true);
      } finally {
        if (d.proc.exitCode === null) d.proc.kill("SIGKILL");
      }

      // Index state: five files in one acquisition, all healthy on the node, requests done.
      const files = await idx.db.all<{ name: string; size_b: number; md5sum: string }>("SELECT name, size_b, md5sum FROM archivefile ORDER BY name");
      expect(files.map((f) => f.name)).toEqual(["23/1324.dat", "23/1330.dat", "23/1342.dat", "23/1349.dat", "meta.txt"]);
      expect(files.find((f) => f.name === "meta.txt")).toMatchObject({ size_b: 52, md5sum: "4f2a66c1ff5eb90a5013522d53ea2e91" });
      expect(files.find((f) => f.name === "23/1324.dat")).toMatchObject({ size_b: 12, md5sum: "4c79018e00ddef11af0b9cfc14dd3261" });
      const copies = await idx.db.all<{ has_file: string }>("SELECT has_file FROM archivefilecopy WHERE node_id = ?", [node.id]);
      expect(copies.map((c) => c.has_file)).toEqual(["Y", "Y", "Y", "Y", "Y"]);
      const open = await idx.db.all("SELECT * FROM archivefileimportrequest WHERE completed = 0");
      expect(open).toEqual([]);
      expect((await idx.db.all("SELECT * FROM filedata")).length).toBe(5);
    }, 120_000);

    test("SIGINT exits 1 with alpenhorn's message", async () => {
      await using idx = await demoIndex(backend);
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(conf, `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\ndaemon:\n  update_interval: 60\n  num_workers: 1\n`);
      const d = new DaemonProc(exe, ["--test-isolation", "serve", "--conf", conf], idx.dir.path);
      try {
        await d.wait("INFO >> [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 1 workers");
        d.proc.kill("SIGINT");
        expect(await d.proc.exited).toBe(1);
        expect(d.has("INFO >> [MainThread] Exiting due to SIGINT")).toBe(true);
      } finally {
        if (d.proc.exitCode === null) d.proc.kill("SIGKILL");
      }
    }, 60_000);
  });
}
