// `bun bench/cli-big.ts`: CLI answers on a big index: an SQLite Data Index of 1,000 acquisitions
// × 1,000 files with one healthy copy each on node n1 (BENCH_CLI_FILES to change; rows inserted
// directly, in one transaction, after `alpenhorn db init`), then `node stats` and `file list
// --node=n1` on the compiled binary, 3 runs each: wall time (spawn to exit) and peak RSS, and the
// listing checked for its line count; `node stats` again with the node totals on (`db
// node-totals --enable`), its output checked equal. The listing's peak RSS is compared with the same listing
// on an index a tenth the size: streamed output keeps it flat.

import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { record } from "./_summary.ts";
import { BIN, fmtRuns, median } from "./_site.ts";

const FILES = Number(process.env.BENCH_CLI_FILES ?? 1_000_000);
const PER_ACQ = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const dir = mkdtempSync(join(tmpdir(), "alpenhorn-bench-cli-"));

/** An index of `files` files, each with one healthy copy on n1; returns its config file. */
function seedIndex(name: string, files: number): string {
  const conf = join(dir, `${name}.conf`);
  const dbPath = join(dir, `${name}.db`);
  writeFileSync(conf, `database:\n  url: sqlite:///${dbPath}\n`);
  cli(conf, ["db", "init"]);
  cli(conf, ["node", "create", "n1", "--create-group", "--root", join(dir, "n1"), "--host", "h"]);
  const db = new Database(dbPath);
  const node = (db.query("SELECT id FROM storagenode WHERE name = 'n1'").get() as { id: number }).id;
  const now = "2025-01-01 00:00:00.000000";
  db.transaction(() => {
    const acq = db.query("INSERT INTO archiveacq (name) VALUES (?)");
    const file = db.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, ?, ?, ?)");
    const copy = db.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, 'Y', 'Y', 1, 4096, ?)");
    for (let a = 0; a * PER_ACQ < files; a++) {
      const acqId = Number(acq.run(`acq${String(a).padStart(5, "0")}`).lastInsertRowid);
      for (let j = 0; j < PER_ACQ && a * PER_ACQ + j < files; j++) {
        const fileId = Number(file.run(acqId, `f${j}.dat`, 1024 + j, "d41d8cd98f00b204e9800998ecf8427e", now).lastInsertRowid);
        copy.run(fileId, node, now);
      }
    }
  })();
  db.close();
  return conf;
}

function cli(conf: string, args: string[]): { seconds: number; rssMB: number; stdout: string } {
  const t0 = performance.now();
  const r = Bun.spawnSync([BIN, "--test-isolation", "-c", conf, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) throw new Error(`alpenhorn ${args.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return { seconds, rssMB: Number(r.resourceUsage.maxRSS) / 2 ** 20, stdout: r.stdout.toString() };
}

/** `file list --node=n1`, RUNS times, its line count checked; median seconds and peak RSS. */
function listing(conf: string, files: number): { seconds: number; runs: number[]; rssMB: number } {
  const list = Array.from({ length: RUNS }, () => cli(conf, ["file", "list", "--node=n1"]));
  const lines = list[0]!.stdout.split("\n").length - 1;
  if (lines !== files) throw new Error(`file list printed ${lines} lines, expected ${files}`);
  const runs = list.map((r) => r.seconds);
  return { seconds: median(runs), runs, rssMB: Math.max(...list.map((r) => r.rssMB)) };
}

try {
  const big = seedIndex("big", FILES);
  const smallFiles = Math.round(FILES / 10);
  const small = seedIndex("small", smallFiles);

  console.log(`CLI on an SQLite index of ${FILES.toLocaleString("en")} files and copies (dist/alpenhorn, ${RUNS} runs each, medians; wall time spawn to exit, peak RSS)`);
  const stats = Array.from({ length: RUNS }, () => cli(big, ["node", "stats"]));
  const s = median(stats.map((r) => r.seconds));
  console.log(`  node stats             ${s.toFixed(2)} s ${fmtRuns(stats.map((r) => r.seconds))}  ${Math.max(...stats.map((r) => r.rssMB)).toFixed(0)} MB  target ≤ 0.1 s: ${s <= 0.1 ? "met" : "MISSED"}`);
  cli(big, ["db", "node-totals", "--enable"]);
  const fast = Array.from({ length: RUNS }, () => cli(big, ["node", "stats"]));
  const f = median(fast.map((r) => r.seconds));
  if (fast[0]!.stdout !== stats[0]!.stdout) throw new Error(`node stats differs with node totals on:\n${fast[0]!.stdout}\nvs\n${stats[0]!.stdout}`);
  console.log(`  node stats, node totals on (db node-totals --enable)  ${f.toFixed(2)} s ${fmtRuns(fast.map((r) => r.seconds))}  target ≤ 0.1 s: ${f <= 0.1 ? "met" : "MISSED"}`);
  cli(big, ["db", "node-totals", "--disable"]);
  record({ key: "nodestats", value: f, note: `${FILES.toLocaleString("en")} copies, node totals on; counted from the copies: ${s.toFixed(2)} s` });
  const l = listing(big, FILES);
  const ls = listing(small, smallFiles);
  // "Flat": a tenfold longer listing may cost at most a fifth more memory.
  const flat = l.rssMB <= ls.rssMB * 1.2;
  console.log(`  file list --node=n1    ${l.seconds.toFixed(2)} s ${fmtRuns(l.runs)}  ${l.rssMB.toFixed(0)} MB  target ≤ 1.5 s: ${l.seconds <= 1.5 ? "met" : "MISSED"}`);
  console.log(`    same on ${smallFiles.toLocaleString("en")} copies: ${ls.seconds.toFixed(2)} s, ${ls.rssMB.toFixed(0)} MB; RSS ×${(l.rssMB / ls.rssMB).toFixed(2)} for 10× the lines: ${flat ? "flat" : "NOT FLAT"}`);
  record({ key: "filelist", value: l.seconds, note: `${FILES.toLocaleString("en")} copies, peak RSS ${l.rssMB.toFixed(0)} MB (${ls.rssMB.toFixed(0)} MB at ${smallFiles.toLocaleString("en")})` });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
