// A local pull on the COMPILED binary, end to end: `file sync` files the request, the daemon
// copies the file (other archive kinds), is SIGKILLed in the middle of the copy (slowed by a
// test seam), and the restarted daemon completes the request, registers the copy with the right
// bytes and leaves none of the killed pull's temporaries behind.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites } from "../helpers/index.ts";
import { runBinary } from "../helpers/binary.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { demoIndex, HOST } from "../engine/_daemon.ts";
import { md5 } from "../engine/_integrity.ts";
import { copyOn, leftovers, twoNodes } from "../engine/_pull.ts";

let build: TempDir;
let exe = "";

beforeAll(async () => {
  build = tempDir("pull-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 120_000);
afterAll(() => build?.[Symbol.dispose]());

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pull killed mid-copy [${backend}]`, () => {
    test("file sync; SIGKILL during the copy; the restarted daemon completes it and tidies up", async () => {
      await using idx = await demoIndex(backend);
      // 8 MiB: eight chunks of the copy, each followed by a pause in the first run.
      const content = randomBytes(4 << 20).toString("hex");
      const { src, dst } = await twoNodes(idx, { "big -$(x);.dat": content }, { source: "F", dest: "A" });
      const { fileId, rel } = src.reg["big -$(x);.dat"]!;
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(
        conf,
        `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  num_workers: 1\n`,
      );
      const cli = (args: string[]) => runBinary(exe, ["--test-isolation", "-c", conf, ...args], { cwd: idx.dir.path, env: { HOME: idx.dir.path } });
      const sync = await cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", rel]);
      expect(sync.out).toBe("Request submitted.\n");
      const dir = join(dst.root, "2025/02/21");

      const first = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path, { ALPENHORN_TEST_PULL_DELAY_MS: "400" });
      try {
        await first.wait(`Pulling local file ${rel} using internal copy`);
        await first.until(() => existsSync(dir) && readdirSync(dir).some((n) => n.startsWith(".alpentemp")), "temporary file");
        first.proc.kill("SIGKILL");
        await first.proc.exited;
      } finally {
        first.proc.kill("SIGKILL");
      }
      // Killed mid-copy: the partial bytes only under our temporary name, beside the placeholder.
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(leftovers(dst.root).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/\.alpentemp/), expect.stringMatching(/\.placeholder$/)]));
      expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();

      const second = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path);
      try {
        await second.wait(/Pull of 2025\/02\/21\/big -\$\(x\);\.dat complete\. Transferred 8\.0+ MiB in /);
        await second.wait(/Removing stale temporary file .*\.alpentemp/);
        await second.until(() => leftovers(dst.root).length === 0, "no leftovers");
      } finally {
        second.proc.kill("SIGTERM");
        await second.proc.exited;
      }
      expect(md5(readFileSync(join(dst.root, rel)))).toBe(md5(content));
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
      const req = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefilecopyrequest WHERE file_id = ?", [fileId]);
      expect(Number(req!.completed)).toBe(1);
      const stats = await cli(["node", "stats"]);
      expect(stats.out).toMatch(/demo_storage2\s+1\s+8\.0+ MiB/);
    }, 120_000);

    test("SIGINT, then SIGTERM and SIGINT again while it stops: one orderly stop (exit 1), and the next daemon completes the pull", async () => {
      await using idx = await demoIndex(backend);
      const content = randomBytes(4 << 20).toString("hex");
      const { src, dst } = await twoNodes(idx, { "big.dat": content }, { source: "F", dest: "A" });
      const { fileId, rel } = src.reg["big.dat"]!;
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(conf, `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\ndaemon:\n  update_interval: 1\n  num_workers: 1\n`);
      const cli = (args: string[]) => runBinary(exe, ["--test-isolation", "-c", conf, ...args], { cwd: idx.dir.path, env: { HOME: idx.dir.path } });
      expect((await cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", rel])).out).toBe("Request submitted.\n");

      // Eight 1 MiB chunks, 400 ms apart: the copy outlasts the 3 s the stop gives a running task.
      const first = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path, { ALPENHORN_TEST_PULL_DELAY_MS: "400" });
      try {
        await first.wait(`Pulling local file ${rel} using internal copy`);
        first.proc.kill("SIGINT");
        await first.wait("INFO >> [MainThread] Exiting due to SIGINT");
        // The pool is now waiting for the copy: the signals that follow must not cut that short.
        first.proc.kill("SIGTERM");
        await Bun.sleep(200);
        first.proc.kill("SIGINT");
        expect(await first.proc.exited).toBe(1);
        expect(first.proc.signalCode).toBeNull();
        expect(first.lines.filter((l) => l.includes("Exiting due to"))).toEqual(["INFO >> [MainThread] Exiting due to SIGINT"]);
      } finally {
        first.proc.kill("SIGKILL");
      }
      expect(existsSync(join(dst.root, rel))).toBe(false);

      const second = new DaemonProc(exe, ["serve", "--test-isolation", "-c", conf], idx.dir.path);
      try {
        await second.wait(/Pull of 2025\/02\/21\/big\.dat complete\. Transferred 8\.0+ MiB in /);
        await second.until(() => leftovers(dst.root).length === 0, "no leftovers");
      } finally {
        second.proc.kill("SIGTERM");
        await second.proc.exited;
      }
      expect(md5(readFileSync(join(dst.root, rel)))).toBe(md5(content));
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
    }, 120_000);
  });
}
