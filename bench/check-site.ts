// `check-site` against `find ROOT -printf '%s %T@ %p\n'` over the same tree, in the same run:
// for each size, a tree of acquisition directories of 1000 files and a SQLite Data Index with
// one copy per file; the compiled binary audits it (whole process: start-up, both index reads,
// the walk, the report directory), timed and with its peak RSS from /usr/bin/time, and its
// phases (index read, walk) from its --debug lines. The tree is synced to disk and the cache warmed
// before the first timed run. Sizes: 10,000 and 100,000 files by
// default; CHECK_SITE_BENCH_FILES=1000000 adds larger sizes up to it.

import { Database } from "bun:sqlite";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compile, DEFAULT_OUTFILE } from "../scripts/compile.ts";
import { connectIndex } from "../src/index/connect.ts";
import { CORE, initDataIndex } from "../src/index/init.ts";
import { flushWrites } from "./_site.ts";
import { record } from "./_summary.ts";

const PER_DIR = 1000;
const MAX = Number(process.env.CHECK_SITE_BENCH_FILES ?? 100_000);
const RUNS = Number(process.env.CHECK_SITE_BENCH_RUNS ?? 3);
const sizes = [10_000, 100_000, 1_000_000, 10_000_000].filter((n) => n <= Math.max(MAX, 10_000));
if (!sizes.includes(MAX) && MAX > 10_000) sizes.push(MAX);

if (!existsSync(DEFAULT_OUTFILE)) await compile();
const exe = resolve(DEFAULT_OUTFILE);
const host = hostname().split(".")[0]!;

async function makeSite(n: number) {
  const dir = mkdtempSync(join(tmpdir(), `alpenhorn-csbench-${n}-`));
  const root = join(dir, "root");
  mkdirSync(root);
  writeFileSync(join(root, "ALPENHORN_NODE"), "bench\n");
  const dbPath = join(dir, "index.db");
  const drv = await connectIndex({ url: `sqlite:///${dbPath}` });
  await initDataIndex(drv, [CORE], () => undefined);
  await drv.close();
  // Bulk rows straight through bun:sqlite: the bench sets up, the audit is what is measured.
  const db = new Database(dbPath);
  db.run("INSERT INTO storagegroup (name) VALUES ('g')");
  db.run("INSERT INTO storagenode (name, root, host, group_id, active, auto_import, auto_verify, storage_type, min_avail_gb) VALUES ('bench', ?, ?, 1, 1, 0, 0, 'A', 0)", [root, host]);
  const now = "2026-01-01 00:00:00.000000";
  const acq = db.prepare("INSERT INTO archiveacq (name) VALUES (?)");
  const file = db.prepare("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, ?, NULL, ?)");
  const copy = db.prepare("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, 1, 'Y', 'Y', 1, ?, ?)");
  db.transaction(() => {
    let id = 0;
    for (let d = 0; d * PER_DIR < n; d++) {
      const name = `acq${String(d).padStart(5, "0")}`;
      const acqId = Number(acq.run(name).lastInsertRowid);
      mkdirSync(join(root, name));
      for (let f = 0; f < PER_DIR && id < n; f++, id++) {
        const fname = `file${String(f).padStart(4, "0")}.dat`;
        const size = f % 13;
        writeFileSync(join(root, name, fname), "x".repeat(size));
        const fileId = Number(file.run(acqId, fname, size, now).lastInsertRowid);
        copy.run(fileId, size, now);
      }
    }
  })();
  db.close();
  writeFileSync(join(dir, "alpenhorn.conf"), `database:\n  url: sqlite:///${dbPath}\n`);
  return { dir, root };
}

/** Wall seconds and peak RSS (MB) of a command, from GNU time; its stderr before that. */
function timed(argv: string[], cwd: string): { seconds: number; rssMB: number; code: number; stderr: string } {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M", ...argv], { cwd, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const last = r.stderr.trim().split("\n").pop()!.split(" ");
  return { seconds: Number(last[0]), rssMB: Number(last[1]) / 1024, code: r.status ?? -1, stderr: r.stderr };
}

/** Seconds of a phase from check-site's --debug lines ("check-site: walk: … (0.123 s, …"). */
function phaseSeconds(stderr: string, phase: string): number {
  const m = new RegExp(`check-site: ${phase}.*?\\(([0-9.]+) s`).exec(stderr);
  return m ? Number(m[1]) : NaN;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`check-site vs find -printf '%s %T@ %p\\n' (${RUNS} runs each, medians; page cache warm)`);
console.log("files      find s   check-site s   ratio   find µs/file   check-site µs/file   index read µs/copy   walk µs/file   peak RSS MB");
for (const n of sizes) {
  const site = await makeSite(n);
  try {
    // Nothing left to write back of the tree just made (its writeback would land on whichever
    // run comes first), the cache warmed once, then alternate so both see the same machine state.
    flushWrites();
    spawnSync("find", [site.root, "-printf", "%s %T@ %p\n"], { stdio: "ignore" });
    const f: number[] = [];
    const c: number[] = [];
    const rss: number[] = [];
    const s0: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      f.push(timed(["sh", "-c", `find '${site.root}' -printf '%s %T@ %p\\n' > /dev/null`], site.dir).seconds);
      const r = timed([exe, "--test-isolation", "--debug", "-c", join(site.dir, "alpenhorn.conf"), "check-site", "bench", "--report-dir", site.dir, "--state-dir", site.dir], site.dir);
      if (r.code !== 0) throw new Error(`check-site exited ${r.code} on ${n} files`);
      c.push(r.seconds);
      rss.push(r.rssMB);
      s0.push(phaseSeconds(r.stderr, "index read"));
      w.push(phaseSeconds(r.stderr, "walk"));
    }
    const fm = median(f);
    const cm = median(c);
    // The largest size is recorded last and wins in the summary.
    record({ key: "checksite", value: cm, baseline: fm, note: `${n.toLocaleString("en")} files, peak RSS ${Math.max(...rss).toFixed(0)} MB` });
    console.log(
      `${String(n).padEnd(9)}  ${fm.toFixed(2).padStart(6)}   ${cm.toFixed(2).padStart(12)}   ${(cm / fm).toFixed(2).padStart(5)}   ${((fm / n) * 1e6).toFixed(2).padStart(12)}   ${((cm / n) * 1e6).toFixed(2).padStart(18)}   ${((median(s0) / n) * 1e6).toFixed(2).padStart(18)}   ${((median(w) / n) * 1e6).toFixed(2).padStart(12)}   ${Math.max(...rss).toFixed(0).padStart(11)}`,
    );
  } finally {
    rmSync(site.dir, { recursive: true, force: true });
  }
}
