// `bun bench/cli-big.ts`: CLI answers on a big index: an SQLite Data Index of 1,000 acquisitions
// × 1,000 files with one healthy copy each on node n1 (BENCH_CLI_FILES to change; rows inserted
// directly, in one transaction, after `alpenhorn db init`), then `node stats` and `file list
// --node=n1` on the compiled binary, 3 runs each: wall time (spawn to exit) and peak RSS, and the
// listing checked for its line count.

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
const conf = join(dir, "alpenhorn.conf");
const dbPath = join(dir, "index.db");
writeFileSync(conf, `database:\n  url: sqlite:///${dbPath}\n`);

function cli(args: string[]): { seconds: number; rssMB: number; stdout: string } {
  const t0 = performance.now();
  const r = Bun.spawnSync([BIN, "--test-isolation", "-c", conf, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0) throw new Error(`alpenhorn ${args.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return { seconds, rssMB: Number(r.resourceUsage.maxRSS) / 2 ** 20, stdout: r.stdout.toString() };
}

try {
  cli(["db", "init"]);
  cli(["node", "create", "n1", "--create-group", "--root", join(dir, "n1"), "--host", "h"]);
  const db = new Database(dbPath);
  const node = (db.query("SELECT id FROM storagenode WHERE name = 'n1'").get() as { id: number }).id;
  const now = "2025-01-01 00:00:00.000000";
  db.transaction(() => {
    const acq = db.query("INSERT INTO archiveacq (name) VALUES (?)");
    const file = db.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, ?, ?, ?)");
    const copy = db.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, 'Y', 'Y', 1, 4096, ?)");
    for (let a = 0; a * PER_ACQ < FILES; a++) {
      const acqId = Number(acq.run(`acq${String(a).padStart(5, "0")}`).lastInsertRowid);
      for (let j = 0; j < PER_ACQ && a * PER_ACQ + j < FILES; j++) {
        const fileId = Number(file.run(acqId, `f${j}.dat`, 1024 + j, "d41d8cd98f00b204e9800998ecf8427e", now).lastInsertRowid);
        copy.run(fileId, node, now);
      }
    }
  })();
  db.close();

  console.log(`CLI on an SQLite index of ${FILES.toLocaleString("en")} files and copies (dist/alpenhorn, ${RUNS} runs each, medians; wall time spawn to exit, peak RSS)`);
  const stats = Array.from({ length: RUNS }, () => cli(["node", "stats"]));
  const s = median(stats.map((r) => r.seconds));
  console.log(`  node stats             ${s.toFixed(2)} s ${fmtRuns(stats.map((r) => r.seconds))}  ${Math.max(...stats.map((r) => r.rssMB)).toFixed(0)} MB  target ≤ 0.1 s: ${s <= 0.1 ? "met" : "MISSED"}`);
  record({ key: "nodestats", value: s, note: `${FILES.toLocaleString("en")} copies` });
  const list = Array.from({ length: RUNS }, () => cli(["file", "list", "--node=n1"]));
  const lines = list[0]!.stdout.split("\n").length - 1;
  if (lines !== FILES) throw new Error(`file list printed ${lines} lines, expected ${FILES}`);
  const l = median(list.map((r) => r.seconds));
  const rss = Math.max(...list.map((r) => r.rssMB));
  console.log(`  file list --node=n1    ${l.toFixed(2)} s ${fmtRuns(list.map((r) => r.seconds))}  ${rss.toFixed(0)} MB  target ≤ 1.5 s: ${l <= 1.5 ? "met" : "MISSED"}`);
  record({ key: "filelist", value: l, note: `${FILES.toLocaleString("en")} copies, peak RSS ${rss.toFixed(0)} MB` });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
