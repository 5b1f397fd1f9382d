// Node roots that do not exist, are a file, or are not writable, under a daemon of the compiled
// binary run as an unprivileged user (root writes anywhere): each bad node is refused with a log
// line (not initialised, initialisation failed, a pull into it failed), nothing is written
// outside the roots, and a good node's import and an outbound pull go on.

import { expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites } from "../helpers/index.ts";
import { binaryPath } from "../helpers/binary.ts";
import { handOver, unprivilegedArgv } from "../helpers/unprivileged.ts";
import { snapshot, workspace } from "./hostile-kit.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`bad node roots, unprivileged daemon [${backend}]`, () => {
    test("missing, a file, not writable: refused with a log line; the good node works", async () => {
      await using ws = await workspace(backend);
      const root = (n: string) => ws.dir.join(`roots/${n}`);
      mkdirSync(join(root("good"), "run1"), { recursive: true });
      writeFileSync(join(root("good"), "run1", "f.dat"), "data\n");
      mkdirSync(root("readonly"), { recursive: true });
      mkdirSync(root("ro-init"), { recursive: true });
      writeFileSync(root("isfile"), "not a directory\n");
      for (const n of ["good", "missing", "isfile", "readonly", "ro-init"])
        await ws.ok(["node", "create", n, "--create-group", `--root=${root(n)}`, "--host=h1", "--activate", ...(n === "ro-init" ? [] : ["--init"])]);
      writeFileSync(join(root("ro-init"), "ALPENHORN_NODE"), "ro-init\n");
      handOver(ws.dir.path);
      // Owned by root and read-only: the unprivileged daemon can look but not write.
      for (const n of ["readonly", "ro-init"]) {
        chownSync(root(n), 0, 0);
        chmodSync(root(n), 0o555);
      }
      chownSync(ws.sentinel, 0, 0);
      const outside = snapshot(ws.sentinel);
      const [exe, ...args] = unprivilegedArgv([await binaryPath(), "serve", "--test-isolation", "-c", ws.conf]);
      const d = new DaemonProc(exe!, args, ws.dir.path, { PATH: process.env.PATH ?? "/usr/bin:/bin" });
      const db = await connectIndex({ url: ws.url });
      try {
        await d.wait(/Node "good" initialised\.$/, 30_000);
        await ws.ok(["node", "scan", "good", "--register-new"]);
        await d.wait(/^INFO >> \[Worker#\d\] Imported file copy "run1\/f\.dat" on node "good"\.$/, 30_000);
        await ws.ok(["file", "sync", "--from", "good", "--to", "ro-init", "run1/f.dat"]);
        await d.wait(/^WARNING >> \[Worker#\d\] Initialisation failed for node "missing"\.$/, 30_000);
        await d.wait(/^WARNING >> \[Worker#\d\] Initialisation failed for node "isfile"\.$/, 30_000);
        await d.wait(/^WARNING >> \[Worker#\d\] Initialisation failed for node "readonly"\.$/, 30_000);
        // The pull into the read-only root fails with its reason and the daemon carries on
        // (before the fix in src/engine/io/default/pull.ts this stopped it: global abort).
        await d.wait(new RegExp(`^INFO >> \\[Worker#\\d\\] Output: \\[Errno 13\\] Permission denied: '${root("ro-init")}/run1'$`), 30_000);
        await d.until(() => d.count(/^INFO >> \[MainThread\] Main loop execution was/) >= 3, "three update loops", 30_000);
        // Nothing landed in the read-only roots, nor outside; the good node holds its file.
        expect(readdirSync(root("readonly"))).toEqual([]);
        expect(readdirSync(root("ro-init"))).toEqual(["ALPENHORN_NODE"]);
        expect(snapshot(ws.sentinel)).toEqual(outside);
        const open = await db.values("SELECT COUNT(*) FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0");
        expect(Number(open[0]![0])).toBe(1); // the pull into ro-init waits, not lost
        expect(d.proc.exitCode).toBeNull();
        expect(d.text).not.toContain("Fatal error!");
      } finally {
        await db.close();
        d.proc.kill("SIGKILL");
        await d.proc.exited;
      }
    }, 90_000);
  });
}
