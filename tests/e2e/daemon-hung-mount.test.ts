// A hung mount must not stall the daemon. Named pipes stand in for it (opening one for reading
// blocks until a writer comes, as a read on a dead NFS server does): one is a node's
// ALPENHORN_NODE file, which the main loop reads every pass, and one is read by a task. On the
// COMPILED binary: the main loop keeps running, another node keeps importing, each stuck call
// ends with alpenhorn's timeout line when the (shortened) daemon.fs_timeout passes, the stuck
// node is skipped as not responding, and SIGTERM still stops the daemon at once.

import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { binaryPath } from "../helpers/binary.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites } from "../helpers/index.ts";
import { demoIndex, demoNode, HOST } from "../engine/_daemon.ts";

const FIXTURE = resolve(import.meta.dir, "../fixtures/extensions/hung-task-io.ts");
const FS_TIMEOUT = 6;

const mkfifo = (path: string) => expect(spawnSync("mkfifo", [path]).status).toBe(0);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`hung mount [${backend}]`, () => {
    test("main loop, other nodes and SIGTERM keep working while fs calls hang; timeouts logged", async () => {
      const exe = await binaryPath();
      await using idx = await demoIndex(backend);
      const { root: goodRoot } = await demoNode(idx, { name: "good", auto_import: 1 });
      writeFileSync(join(goodRoot, "ALPENHORN_NODE"), "good\n");
      const { root: taskRoot, node: taskNode } = await demoNode(idx, { name: "stucktask" });
      await idx.db.run("UPDATE storagenode SET io_class = 'HungTask' WHERE id = ?", [taskNode.id]);
      writeFileSync(join(taskRoot, "ALPENHORN_NODE"), "stucktask\n");
      mkfifo(join(taskRoot, "hung.fifo"));
      const { root: hungRoot } = await demoNode(idx, { name: "hungroot" });
      mkfifo(join(hungRoot, "ALPENHORN_NODE"));

      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(
        conf,
        `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\n  - ${FIXTURE}\n` +
          `daemon:\n  update_interval: 1\n  num_workers: 2\n  fs_timeout: ${FS_TIMEOUT}\nlogging:\n  level: info\n`,
      );
      const d = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path);
      try {
        await d.wait(/\[Worker#\d\] Beginning task Read hung file on stucktask$/);
        const stuckAt = Date.now();
        await d.wait(/Ignoring node "hungroot": not responding/);

        // While both calls hang: the main loop keeps looping and the good node imports.
        const loopsBefore = d.count(/Main loop execution was/);
        mkdirSync(join(goodRoot, "2025/02/21/23"), { recursive: true });
        writeFileSync(join(goodRoot, "2025/02/21/23/1324.dat"), "data during the hang\n");
        await d.wait('Imported file copy "2025/02/21/23/1324.dat" on node "good".');
        await d.until(() => d.count(/Main loop execution was/) >= loopsBefore + 2, "two more main loops");
        expect(d.has(/Timeout after/)).toBe(false);
        expect(Date.now() - stuckAt).toBeLessThan(FS_TIMEOUT * 1000);

        // Each stuck call ends with alpenhorn's timeout line; the task carries on.
        await d.wait(`ERROR >> [MainThread] Timeout after ${FS_TIMEOUT}.0s calling read(${JSON.stringify(join(hungRoot, "ALPENHORN_NODE"))}).`, 20_000);
        await d.wait(/ERROR >> \[Worker#\d\] Timeout after 6\.0s calling read\(".*hung\.fifo"\)\.$/, 20_000);
        await d.wait(/WARNING >> \[Worker#\d\] Reading the hung file failed: FsTimeoutError$/);
        // The hung node stays out of service while its call is still blocked.
        const skips = d.count(/Ignoring node "hungroot": not responding/);
        await d.until(() => d.count(/Ignoring node "hungroot": not responding/) > skips, "hungroot skipped again");

        const t0 = Date.now();
        d.proc.kill("SIGTERM");
        expect(await d.proc.exited).toBe(0);
        expect(Date.now() - t0).toBeLessThan(10_000);
        expect(d.has("INFO >> [MainThread] Exiting due to SIGTERM")).toBe(true);
      } finally {
        if (d.proc.exitCode === null) d.proc.kill("SIGKILL");
      }
    }, 90_000);
  });
}
