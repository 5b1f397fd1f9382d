// A remote pull on the COMPILED binary, end to end, over real rsync and a real sshd on
// 127.0.0.1: `file sync` files the request, the daemon (alpenhost1) pulls from a node on
// alpenhost2 with rsync (slowed by `daemon.rsync_bwlimit`), is SIGKILLed mid-transfer, and the
// restarted daemon tidies up rsync's leftovers (only inside our `.alpentemp` directory),
// completes the request and registers the verified bytes.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites } from "../helpers/index.ts";
import { runBinary } from "../helpers/binary.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { demoIndex, HOST } from "../engine/_daemon.ts";
import { md5 } from "../engine/_integrity.ts";
import { copyOn, leftovers, twoNodes } from "../engine/_pull.ts";

let build: TempDir;
let exe = "";
const describeSsh = await describeWithSshd();

beforeAll(async () => {
  build = tempDir("remote-pull-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 120_000);
afterAll(async () => {
  build?.[Symbol.dispose]();
  await stopSshd();
});

/** rsync processes whose command line names `path` (the killed daemon's must be gone). */
function rsyncsOn(path: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (cmd.startsWith("rsync\0") && cmd.includes(path)) pids.push(Number(pid));
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}

for (const [backend, describeOn] of await backendSuites()) {
  describeSsh(`remote pull killed mid-transfer [${backend}]`, () => {
    describeOn(`on ${backend}`, () => {
      test("file sync; SIGKILL during rsync; the restarted daemon tidies up, completes and verifies", async () => {
        const sshd = await startSshd();
        await using idx = await demoIndex(backend);
        const content = randomBytes(1 << 20).toString("hex"); // 2 MiB, incompressible enough
        const name = "big -$(x);.dat";
        const { src, dst } = await twoNodes(idx, { [name]: content }, { source: "A", dest: "A" });
        const { fileId, rel } = src.reg[name]!;
        await idx.db.run("UPDATE storagenode SET host = 'alpenhost2', username = ?, address = ? WHERE id = ?", [sshd.user, sshd.host, src.node.id]);
        const conf = (bwlimit: string) => {
          const path = idx.dir.join("alpenhorn.conf");
          writeFileSync(
            path,
            `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\n` +
              `daemon:\n  update_interval: 1\n  num_workers: 1\n  rsync_rsh: ${JSON.stringify(sshd.rsh)}\n${bwlimit}`,
          );
          return path;
        };
        const slow = conf("  rsync_bwlimit: 100\n");
        const cli = (args: string[]) => runBinary(exe, ["--test-isolation", "-c", slow, ...args], { cwd: idx.dir.path, env: { HOME: idx.dir.path } });
        expect((await cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", rel])).out).toBe("Request submitted.\n");
        const dir = join(dst.root, "2025/02/21");

        const first = new DaemonProc(exe, ["serve", "--test-isolation", "-c", slow], idx.dir.path);
        try {
          await first.wait(`Pulling remote file ${rel} using rsync`);
          // rsync's own temporary, inside our directory, with bytes in it.
          await first.until(() => existsSync(dir) && leftovers(dst.root).some((p) => /\.alpentemp[^/]*\/\./.test(p)), "rsync's temporary");
          first.proc.kill("SIGKILL");
          await first.proc.exited;
        } finally {
          first.proc.kill("SIGKILL");
        }
        expect(existsSync(join(dst.root, rel))).toBe(false);
        expect(leftovers(dst.root)).toEqual(expect.arrayContaining([expect.stringMatching(/\.alpentemp/), expect.stringMatching(/\.placeholder$/)]));
        expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
        // The killed pull's directory, where its forked rsync receiver still writes.
        const staleDir = join(dst.root, leftovers(dst.root).find((p) => /\.alpentemp[^/]*$/.test(p))!);
        const stale = rsyncsOn(`${staleDir}/`);
        expect(stale.length).toBeGreaterThan(0);
        // Frozen, so they cannot notice the dead connection and exit on their own before the
        // tidy-up comes (on a loaded machine they did): only its SIGKILL can end them now.
        for (const pid of stale) process.kill(pid, "SIGSTOP");

        const fast = conf("");
        const second = new DaemonProc(exe, ["serve", "--test-isolation", "-c", fast], idx.dir.path);
        try {
          await second.wait(/Removing stale temporary directory .*\.alpentemp/, 60_000);
          // The killed daemon's rsync receiver (a fork, which the parent-death signal misses) is stopped by the tidy-up.
          // Its line comes after the reap, an fs-thread call later than the "Removing" line.
          await second.wait(/Killed stale rsync \(pid \d+\) writing in .*\.alpentemp/, 30_000);
          await Bun.sleep(300);
          expect(rsyncsOn(`${staleDir}/`)).toEqual([]);
          await second.wait(/Pull of 2025\/02\/21\/big -\$\(x\);\.dat complete\. Transferred 2\.0+ MiB in /, 60_000);
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
        expect(stats.out).toMatch(/demo_storage2\s+1\s+2\.0+ MiB/);
      }, 180_000);
    });
  });
}
