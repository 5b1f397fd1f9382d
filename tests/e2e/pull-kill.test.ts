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
import { backendSuites, type TestIndex } from "../helpers/index.ts";
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

/**
 * An 8 MiB file on demo_storage1 (field), an archive node demo_storage2, a daemon config (one
 * worker) and the `file sync` request for it, filed by the binary; a copy of other archive
 * kinds, so the daemon copies it in 1 MiB chunks that the test seam can slow down.
 */
async function copyPending(idx: TestIndex, name: string) {
  const content = randomBytes(4 << 20).toString("hex");
  const { src, dst } = await twoNodes(idx, { [name]: content }, { source: "F", dest: "A" });
  const { fileId, rel } = src.reg[name]!;
  const conf = idx.dir.join("alpenhorn.conf");
  writeFileSync(
    conf,
    `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  num_workers: 1\n`,
  );
  const cli = (args: string[]) => runBinary(exe, ["--test-isolation", "-c", conf, ...args], { cwd: idx.dir.path, env: { HOME: idx.dir.path } });
  const sync = await cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", rel]);
  expect(sync.out).toBe("Request submitted.\n");
  return { content, dst, fileId, rel, conf, cli };
}

/**
 * A daemon started afresh completes the pending copy (its log `lines` seen in turn), leaves no
 * temporary or placeholder behind, and registers the right bytes healthy.
 */
async function restartCompletes(idx: TestIndex, p: Awaited<ReturnType<typeof copyPending>>, ...lines: RegExp[]): Promise<void> {
  const daemon = new DaemonProc(exe, ["serve", "--test-isolation", "-c", p.conf], idx.dir.path);
  try {
    for (const line of lines) await daemon.wait(line);
    await daemon.until(() => leftovers(p.dst.root).length === 0, "no leftovers");
  } finally {
    daemon.proc.kill("SIGTERM");
    await daemon.proc.exited;
  }
  expect(md5(readFileSync(join(p.dst.root, p.rel)))).toBe(md5(p.content));
  expect(await copyOn(idx, p.fileId, p.dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pull killed mid-copy [${backend}]`, () => {
    test("file sync; SIGKILL during the copy; the restarted daemon completes it and tidies up", async () => {
      await using idx = await demoIndex(backend);
      // 8 MiB: eight chunks of the copy, each followed by a pause in the first run.
      const pending = await copyPending(idx, "big -$(x);.dat");
      const { dst, fileId, rel, conf, cli } = pending;
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

      await restartCompletes(idx, pending, /Pull of 2025\/02\/21\/big -\$\(x\);\.dat complete\. Transferred 8\.0+ MiB in /, /Removing stale temporary file .*\.alpentemp/);
      const req = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefilecopyrequest WHERE file_id = ?", [fileId]);
      expect(Number(req!.completed)).toBe(1);
      const stats = await cli(["node", "stats"]);
      expect(stats.out).toMatch(/demo_storage2\s+1\s+8\.0+ MiB/);
    }, 120_000);

    test("SIGINT, then SIGTERM and SIGINT again while it stops: one orderly stop (exit 1), and the next daemon completes the pull", async () => {
      await using idx = await demoIndex(backend);
      const pending = await copyPending(idx, "big.dat");
      const { dst, rel, conf } = pending;

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

      await restartCompletes(idx, pending, /Pull of 2025\/02\/21\/big\.dat complete\. Transferred 8\.0+ MiB in /);
    }, 120_000);
  });
}
