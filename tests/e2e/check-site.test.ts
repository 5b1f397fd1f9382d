// `check-site` on the COMPILED binary: the main flows and every exit status, an unreadable
// directory under a dropped uid (root reads everything), and the daemon importing on the same
// node while audits run (no false missing or mismatch; no orphan that was registered before
// the audit's after-read of the index).

import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { backendSuites, initialisedIndex } from "../helpers/index.ts";
import { runBinary } from "../helpers/binary.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { handOver, runnerIsRoot } from "../helpers/unprivileged.ts";
import { demoIndex, demoNode, HOST } from "../engine/_daemon.ts";
import { parseUtc } from "../../src/common/time.ts";
import { seedSite } from "../commands/check-site/_site.ts";

let build: TempDir;
let exe = "";

beforeAll(async () => {
  build = tempDir("cs-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 180_000);
afterAll(() => build?.[Symbol.dispose]());

const reportOf = (out: string) => /^Report: (.*)$/m.exec(out)![1]!;
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");

test("exit statuses 0, 1, 2, 3 and 4 from the binary", async () => {
  await using idx = await initialisedIndex("sqlite");
  const s = await seedSite(idx);
  await s.both("a/1", 1);
  await s.both("a/2", 2);
  const run = (...args: string[]) => runBinary(exe, ["--test-isolation", "-c", s.cli.confPath, "check-site", "n1", ...args], { cwd: idx.dir.path });
  const ok = await run();
  expect(ok.err).toBe("");
  expect(ok.code).toBe(0);
  expect(read(reportOf(ok.out), "summary.json")).toContain('"exit_status": 0');
  // On SQLite the index is read by a thread of its own, started from the binary's embedded entry.
  const debug = await runBinary(exe, ["--test-isolation", "--debug", "-c", s.cli.confPath, "check-site", "n1"], { cwd: idx.dir.path });
  expect(debug.code).toBe(0);
  expect(debug.out + debug.err).toContain("index read (S0): 2 copies, read by a thread of its own");
  rmSync(join(s.root, "a/2"));
  const one = await run("--limit", "5");
  expect(one.code).toBe(1);
  expect(one.out).toContain("missing: a/2\n");
  expect(read(reportOf(one.out), "missing.txt")).toBe("a/2\n");
  expect((await run("--threads", "zero")).code).toBe(2);
  rmSync(join(s.root, "a"), { recursive: true });
  const three = await run();
  expect(three.code).toBe(3);
  expect(read(reportOf(three.out), "missing.txt")).toBe("");
  rmSync(join(s.root, "ALPENHORN_NODE"));
  const four = await run();
  expect(four).toMatchObject({ code: 4, out: "" });
  expect(four.err.trim().split("\n")).toHaveLength(1);
  const noDb = await runBinary(exe, ["--test-isolation", "-c", idx.dir.join("nothing.conf"), "check-site", "n1"], { cwd: idx.dir.path });
  expect(noDb.code).toBe(2);
  writeFileSync(idx.dir.join("nodb.conf"), "database:\n  url: mysql://nobody@127.0.0.1:1/none\n");
  const dbDown = await runBinary(exe, ["--test-isolation", "-c", idx.dir.join("nodb.conf"), "check-site", "n1"], { cwd: idx.dir.path });
  expect(dbDown.code).toBe(4);
  expect(dbDown.err).toStartWith("Error: ");
}, 60_000);

test("on a terminal a live progress line goes to stderr, and is erased at the end; none without one", async () => {
  await using idx = await initialisedIndex("sqlite");
  const s = await seedSite(idx);
  for (let i = 0; i < 20; i++) await s.both(`a/${i}`, i);
  const argv = [exe, "--test-isolation", "-c", s.cli.confPath, "check-site", "n1", "--limit", "0"];
  // util-linux `script` runs the command on a pseudo-terminal and copies what it wrote.
  const quoted = argv.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  const pty = Bun.spawnSync(["script", "-qefc", quoted, "/dev/null"], { cwd: idx.dir.path, stdout: "pipe", stderr: "pipe", env: { PATH: "/usr/bin:/bin", HOME: idx.dir.path } });
  expect(pty.exitCode).toBe(0);
  const text = pty.stdout.toString();
  expect(text).toMatch(/\r\x1b\[K\d+ directories, \d+ files, \d+ files\/s, \d+ s/);
  expect(text).toContain("\r\x1b[K");
  const plain = await runBinary(exe, argv.slice(1), { cwd: idx.dir.path });
  expect(plain).toMatchObject({ code: 0, err: "" });
}, 60_000);

test("an unreadable directory is unknown, never missing (run as uid 65534)", async () => {
  await using idx = await initialisedIndex("sqlite");
  const s = await seedSite(idx);
  await s.both("open/1", 1);
  await s.both("locked/inner/2", 2);
  await s.register("locked/3", 3);
  handOver(idx.dir.path);
  chmodSync(join(s.root, "locked"), 0o000);
  try {
    const r = await runBinary(exe, ["--test-isolation", "-c", s.cli.confPath, "check-site", "n1"], { cwd: idx.dir.path, unprivileged: true });
    expect(r.err).toBe("");
    expect(r.code).toBe(3);
    const dir = reportOf(r.out);
    expect(read(dir, "unknown.txt")).toBe("locked\n");
    expect(read(dir, "missing.txt")).toBe("");
    expect(JSON.parse(read(dir, "summary.json")).unknown).toEqual([{ path: "locked", reason: "EACCES" }]);
  } finally {
    chmodSync(join(s.root, "locked"), 0o755);
  }
  expect(runnerIsRoot || process.getuid?.() !== 0).toBe(true);
}, 60_000);

const DAYS = ["2025/01/01", "2025/01/02"];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`check-site while the daemon imports [${backend}]`, () => {
    test("audits during a 2000-file import report no missing, no mismatch, no orphan registered before their after-read", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const names: string[] = [];
      for (const day of DAYS)
        for (let h = 0; h < 10; h++) {
          const dir = join(root, day, String(h).padStart(2, "0"));
          mkdirSync(dir, { recursive: true });
          for (let i = 0; i < 100; i++) {
            const name = `${String(Math.floor(i / 10)).padStart(2, "0")}${String((i % 10) * 5).padStart(2, "0")}.dat`;
            writeFileSync(join(dir, name), `${day}/${h}/${name}`);
            names.push(`${day}/${String(h).padStart(2, "0")}/${name}`);
          }
        }
      // Files older than the audits, so only the index can tell "in flight" apart.
      await Bun.sleep(50);
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(conf, `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  num_workers: 2\n`);
      // A scan per directory of 100 files: imported file by file (a scan of more than 100 would
      // import in batches of 1,000, two commits in all, which an audit may never straddle).
      for (const day of DAYS)
        for (let h = 0; h < 10; h++) await seed.importRequest(idx.db, { node_id: node.id, path: `${day}/${String(h).padStart(2, "0")}`, recurse: 1, register: 1 });
      const copies = async () => Number((await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopy WHERE has_file = 'Y'"))!.n);
      const daemon = Bun.spawn([exe, "serve", "--test-isolation", "-c", conf], { cwd: idx.dir.path, env: { PATH: "/usr/bin:/bin", HOME: idx.dir.path }, stdout: "ignore", stderr: "ignore" });
      try {
        const end = Date.now() + 90_000;
        while ((await copies()) < 50 && Date.now() < end) await Bun.sleep(20);
        const audits: Array<{ code: number; dir: string; during: [number, number] }> = [];
        // At least three audits, and more (up to eight) until one has overlapped the import.
        const overlapped = () => audits.some((a) => a.during[1] > a.during[0]);
        for (let i = 0; i < 8 && (i < 3 || !overlapped()); i++) {
          const before = await copies();
          const r = await runBinary(exe, ["--test-isolation", "-c", conf, "check-site", "demo_storage1", "--limit", "0"], { cwd: idx.dir.path, timeoutMs: 60_000 });
          expect(r.err).toBe("");
          audits.push({ code: r.code, dir: reportOf(r.out), during: [before, await copies()] });
        }
        // The import really overlapped at least one audit.
        expect(audits.some((a) => a.during[1] > a.during[0])).toBe(true);
        while ((await copies()) < names.length && Date.now() < end) await Bun.sleep(50);
        expect(await copies()).toBe(names.length);
        const registered = new Map<string, Date>();
        for (const r of await idx.db.all<{ p: string; t: string }>("SELECT a.name || '/' || f.name AS p, c.last_update AS t FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id"))
          registered.set(r.p, parseUtc(String(r.t))!);
        for (const a of audits) {
          const sum = JSON.parse(read(a.dir, "summary.json"));
          expect(sum.classes.missing.count).toBe(0);
          expect(sum.classes.mismatch.count).toBe(0);
          expect([0, 1]).toContain(a.code);
          const after = sum.index_after_read ? new Date(sum.index_after_read).getTime() : Infinity;
          // MariaDB's DATETIME keeps whole seconds: the registration happened within the second stored.
          const slack = backend === "mysql" ? 999 : 0;
          for (const p of read(a.dir, "orphan.txt").split("\n").filter(Boolean)) expect(registered.get(p)!.getTime() + slack).toBeGreaterThanOrEqual(after);
        }
        const final = await runBinary(exe, ["--test-isolation", "-c", conf, "check-site", "demo_storage1"], { cwd: idx.dir.path });
        expect(final.code).toBe(0);
      } finally {
        daemon.kill("SIGTERM");
        await daemon.exited;
      }
    }, 150_000);
  });
}
