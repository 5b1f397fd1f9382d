// `bun bench/optools.ts`: the operator tools on a big index: an SQLite Data Index of 500,000
// files with 1,000,000 copies over five nodes (three archive nodes a1–a3, a transport node t1,
// a field node f1; BENCH_OPTOOLS_FILES to change), in five patterns of copies, so that every
// risk class is populated. Rows inserted directly after `alpenhorn db init`; then `node risk`,
// `node risk --list`, `node drain --check` and `db check` on the compiled binary, 3 runs each:
// wall time (spawn to exit) and peak RSS; the risk counts are checked against the patterns.

import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, fmtRuns, median } from "./_site.ts";

const FILES = Number(process.env.BENCH_OPTOOLS_FILES ?? 500_000);
const PER_ACQ = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const dir = mkdtempSync(join(tmpdir(), "alpenhorn-bench-optools-"));
const conf = join(dir, "alpenhorn.conf");
const dbPath = join(dir, "index.db");
writeFileSync(conf, `database:\n  url: sqlite:///${dbPath}\n`);

function cli(args: string[]): { seconds: number; cpu: number; rssMB: number; stdout: string } {
  const t0 = performance.now();
  const r = Bun.spawnSync([BIN, "--test-isolation", "-c", conf, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.exitCode !== 0 && !(args[0] === "db" && r.exitCode === 1)) throw new Error(`alpenhorn ${args.join(" ")} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return { seconds, cpu: Number(r.resourceUsage.cpuTime.total) / 1e6, rssMB: Number(r.resourceUsage.maxRSS) / 2 ** 20, stdout: r.stdout.toString() };
}

/** Per file (by i % 5): the nodes holding it and the state of each copy. */
const PATTERNS: Array<Array<[string, "Y" | "M"]>> = [
  [["a1", "Y"], ["a2", "Y"]], // safe
  [["a1", "Y"], ["t1", "Y"]], // under-archived on a1 and t1
  [["t1", "Y"]], // only here (t1), under-archived
  [["a1", "Y"], ["a2", "Y"], ["a3", "Y"]], // safe
  [["a3", "M"], ["f1", "Y"]], // only here (f1), under-archived; a3 suspect
];

try {
  cli(["db", "init"]);
  for (const [name, type] of [["a1", "archive"], ["a2", "archive"], ["a3", "archive"], ["t1", "transport"], ["f1", "field"]] as const)
    cli(["node", "create", name, "--create-group", "--root", join(dir, name), "--host", "h", `--${type}`, "--activate"]);
  const db = new Database(dbPath);
  const ids = new Map((db.query("SELECT id, name FROM storagenode").all() as Array<{ id: number; name: string }>).map((r) => [r.name, r.id]));
  const now = "2025-01-01 00:00:00.000000";
  let copies = 0;
  db.transaction(() => {
    const acq = db.query("INSERT INTO archiveacq (name) VALUES (?)");
    const file = db.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, 1000, ?, ?)");
    const copy = db.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, ?, 'Y', 1, 4096, ?)");
    for (let a = 0; a * PER_ACQ < FILES; a++) {
      const acqId = Number(acq.run(`acq${String(a).padStart(5, "0")}`).lastInsertRowid);
      for (let j = 0; j < PER_ACQ && a * PER_ACQ + j < FILES; j++) {
        const i = a * PER_ACQ + j;
        const fileId = Number(file.run(acqId, `f${j}.dat`, "d41d8cd98f00b204e9800998ecf8427e", now).lastInsertRowid);
        for (const [node, has] of PATTERNS[i % 5]!) {
          copy.run(fileId, ids.get(node)!, has, now);
          copies++;
        }
      }
    }
  })();
  db.close();

  if (process.env.BENCH_OPTOOLS_BUILD_ONLY) {
    console.log(`index built in ${dir}`);
    process.exit(0);
  }
  const per = FILES / 5;
  // CPU seconds beside wall time: on a shared machine the wall time is mostly waiting.
  const report = (label: string, runs: Array<{ seconds: number; cpu: number; rssMB: number }>) =>
    console.log(
      `  ${label.padEnd(36)} ${median(runs.map((r) => r.seconds)).toFixed(2)} s ${fmtRuns(runs.map((r) => r.seconds))}  CPU ${median(runs.map((r) => r.cpu)).toFixed(2)} s  ${Math.max(...runs.map((r) => r.rssMB)).toFixed(0)} MB`,
    );
  console.log(`Operator tools on an SQLite index of ${FILES.toLocaleString("en")} files, ${copies.toLocaleString("en")} copies (dist/alpenhorn, ${RUNS} runs each, medians)`);
  const risk = Array.from({ length: RUNS }, () => cli(["node", "risk", "--json"]));
  const t1 = (JSON.parse(risk[0]!.stdout) as Array<{ node: string; only_here: { files: number }; under_archived: { files: number } }>).find((r) => r.node === "t1")!;
  if (t1.only_here.files !== per || t1.under_archived.files !== 2 * per) throw new Error(`node risk: unexpected t1 counts ${JSON.stringify(t1)}`);
  report("node risk --json (all 5 nodes)", risk);
  const list = Array.from({ length: RUNS }, () => cli(["node", "risk", "t1", "--list", "under_archived"]));
  if (list[0]!.stdout.split("\n").length - 1 !== 2 * per) throw new Error("node risk --list: wrong line count");
  report(`node risk t1 --list (${(2 * per).toLocaleString("en")} paths)`, list);
  report("node drain t1 --check", Array.from({ length: RUNS }, () => cli(["node", "drain", "t1", "--check"])));
  report("db check", Array.from({ length: RUNS }, () => cli(["db", "check"])));
} finally {
  // BENCH_OPTOOLS_KEEP=1 keeps the index for a closer look.
  if (process.env.BENCH_OPTOOLS_KEEP) console.log(`index kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
