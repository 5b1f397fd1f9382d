// `bun bench/integrity.ts`: the daemon's integrity work measured on the compiled binary, run as
// a user runs it (`dist/alpenhorn --test-isolation -c CONF …` in a temp dir, SQLite index,
// `daemon.num_workers: 2`, `daemon.update_interval: 1`), beside the machine's own tools:
//
//   1. verify N registered 1 KiB copies: `node verify --all --force NODE`, then the timed
//      `serve --once` (spawn to exit); every copy must end has_file 'Y'. Against `md5sum` of
//      the same files (one process, xargs). N = 1,000, 10,000 and 100,000 (BENCH_SCALE_MAX;
//      once above 10,000), to show the per-file cost stays flat.
//   2. MD5 of one page-cached file of BENCH_BIG_MB MiB (default 2048) by the daemon:
//      `file verify`, then the timed `serve --once`, against `md5sum` of it in the same run.
//   3. delete N released copies (each also healthy on two archive nodes of another host):
//      `node clean NODE --now --force`, then the timed `serve --once`; every row must end
//      has_file 'N' and the files (and their directories) must be gone. Against `rm -rf` and
//      `find -delete` of an identical tree.
//
// Each measurement runs BENCH_RUNS times (default 3) and the median is printed. Index set-up is
// direct (bun:sqlite inserts in one transaction after `alpenhorn db init`). The figures with
// the index in WAL mode (a bench-side `PRAGMA journal_mode=WAL` on the index file; the daemon's
// own settings are untouched) are printed on separate lines, to show what the default
// rollback journal's per-commit fsyncs cost.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeFile } from "./_files.ts";
import { BIN, cpuOf, expectStates, flushWrites, fmtRuns, leftUnder, median, ms, NOW, PER_ACQ, perFileScaling, runsAt, SCALE_SIZES, Site, timeSync, tool, us } from "./_site.ts";
import { record } from "./_summary.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 2048);
const SIZES = SCALE_SIZES;
const DELETE_N = 10_000;
const WAL = process.env.BENCH_NO_WAL ? false : true;
const OTHER_HOST = "archivehost";
/** BENCH_ONLY=verify,big,delete: a subset of the sections. */
const ONLY = new Set((process.env.BENCH_ONLY ?? "verify,big,delete").split(","));

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-integrity-"));

// ---------------------------------------------------------------------------------------------
// helpers

/** Time of `serve --once` with nothing to do (start-up, one loop, exit), the floor of every figure below. */
function idleServe(): number {
  const site = new Site(top, "idle");
  try {
    return median(Array.from({ length: RUNS }, (_, i) => site.serveOnce(`idle${i}`)));
  } finally {
    site.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 1. verification of many small copies

interface VerifyRun {
  cli: number;
  serve: number;
}

function verifyOnce(site: Site, n: number, tag: string): VerifyRun {
  const cli = timeSync(() => site.cli(["node", "verify", "--all", "--force", "bench"]));
  expectStates(site, { M: n }, "after node verify");
  const serve = site.serveOnce(tag);
  expectStates(site, { Y: n }, "after serve --once");
  return { cli, serve };
}

function benchVerify(n: number, wal: boolean): { serve: number[]; cli: number[]; md5sum: number[] } {
  const site = new Site(top, `verify${n}`);
  try {
    site.registerSmall(n);
    if (wal) site.wal();
    const serve: number[] = [];
    const cli: number[] = [];
    const md5sum: number[] = [];
    for (let r = 0; r < runsAt(n, RUNS); r++) {
      const v = verifyOnce(site, n, `${wal ? "wal" : "verify"}${r}`);
      serve.push(v.serve);
      cli.push(v.cli);
      // The machine's tool over the same files, page cache as warm as the daemon had it.
      flushWrites();
      md5sum.push(timeSync(() => tool("sh", ["-c", "find . -name '*.dat' -print0 | xargs -0 md5sum > /dev/null"], { cwd: site.root })));
    }
    return { serve, cli, md5sum };
  } finally {
    site.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 2. MD5 of one big cached file

function benchBig(): { serve: number[]; md5sum: number[] } {
  const site = new Site(top, "big");
  try {
    mkdirSync(join(site.root, "acq"));
    const path = join(site.root, "acq/big.dat");
    makeFile(path, BIG_MB);
    const md5 = tool("md5sum", [path]).split(" ")[0]!; // also warms the page cache
    const db = site.open();
    const acq = Number(db.query("INSERT INTO archiveacq (name) VALUES ('acq')").run().lastInsertRowid);
    const file = Number(db.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, 'big.dat', ?, ?, ?)").run(acq, BIG_MB * 2 ** 20, md5, NOW).lastInsertRowid);
    db.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, 'Y', 'Y', 1, ?, ?)").run(file, site.nodeId("bench"), BIG_MB * 2 ** 20, NOW);
    db.close();
    const serve: number[] = [];
    const md5sum: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      flushWrites();
      md5sum.push(timeSync(() => tool("md5sum", [path])));
      site.cli(["file", "verify", "acq/big.dat", "bench"]);
      expectStates(site, { M: 1 }, "after file verify");
      serve.push(site.serveOnce(`big${r}`));
      expectStates(site, { Y: 1 }, "after serve --once");
    }
    return { serve, md5sum };
  } finally {
    site.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. deletion of many released copies

/** `flush`: the tree on disk before the timed run (files long written, as a site's are). */
function benchDelete(n: number, wal: boolean, flush = false): { serve: number[]; cli: number[] } {
  const serve: number[] = [];
  const cli: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const site = prepareDelete(n);
    try {
      if (wal) site.wal();
      cli.push(timeSync(() => site.cli(["node", "clean", "bench", "--now", "--force"])));
      serve.push(site.serveOnce(`${wal ? "wal" : "delete"}${r}`, { flush }));
      expectStates(site, { N: n }, "after serve --once");
      const left = leftUnder(site.root);
      if (left > 0) throw new Error(`${left} entries left under the node root (logs in ${site.dir})`);
      if (site.states("arc1").Y !== n || site.states("arc2").Y !== n) throw new Error("archive copies changed");
    } finally {
      site.close();
    }
  }
  return { serve, cli };
}

/** The machine's tools on an identical tree (n 1 KiB files, PER_ACQ per directory). */
function benchRm(n: number, flush = false): { rm: number[]; find: number[] } {
  const rm: number[] = [];
  const find: number[] = [];
  const buf = Buffer.alloc(1024);
  const make = (dir: string) => {
    for (let i = 0; i < n; i++) {
      const sub = join(dir, `acq${String(Math.floor(i / PER_ACQ)).padStart(5, "0")}`);
      if (i % PER_ACQ === 0) mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, `f${String(i % PER_ACQ).padStart(3, "0")}.dat`), buf);
    }
  };
  for (let r = 0; r < RUNS; r++) {
    const a = join(top, `rm${r}`);
    make(a);
    if (flush) flushWrites();
    rm.push(timeSync(() => tool("rm", ["-rf", a])));
    const b = join(top, `find${r}`);
    make(b);
    if (flush) flushWrites();
    find.push(timeSync(() => tool("find", [b, "-mindepth", "1", "-delete"])));
    rmSync(b, { recursive: true, force: true });
  }
  return { rm, find };
}

/** A delete site ready for `serve --once` (released copies), for profiling by hand. */
function prepareDelete(n: number): Site {
  const site = new Site(top, `delete${n}`);
  site.cli(["node", "create", "arc1", "--archive", "--create-group", "--root", "/nonexistent/arc1", "--host", OTHER_HOST, "--activate"]);
  site.cli(["node", "create", "arc2", "--archive", "--create-group", "--root", "/nonexistent/arc2", "--host", OTHER_HOST, "--activate"]);
  site.registerSmall(n, ["arc1", "arc2"]);
  return site;
}

// ---------------------------------------------------------------------------------------------

// BENCH_PREPARE=verify|delete: set up one site of 10,000 copies (released for delete), print its
// directory and stop (for profiling `serve --once` by hand; remove the directory afterwards).
if (process.env.BENCH_PREPARE) {
  const site = process.env.BENCH_PREPARE === "delete" ? prepareDelete(DELETE_N) : new Site(top, "verify");
  if (process.env.BENCH_PREPARE === "delete") site.cli(["node", "clean", "bench", "--now", "--force"]);
  else {
    site.registerSmall(10_000);
    site.cli(["node", "verify", "--all", "--force", "bench"]);
  }
  console.log(site.dir);
  process.exit(0);
}

const cpu = (c: number) => `cpu ${ms(c)}`;
const load = () => `load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;

try {
  console.log(`dist/alpenhorn on SQLite (default rollback journal), daemon.num_workers 2, update_interval 1; median of ${RUNS} runs`);
  console.log("(wall time of serve --once, spawn to exit; [the runs, s]; cpu = its user+sys time over all threads, median)");
  const [idle, idleCpu] = cpuOf(idleServe);
  console.log(`serve --once with nothing to do: ${ms(idle)}, ${cpu(idleCpu)} (start-up, one loop, exit); ${load()}\n`);

  if (ONLY.has("verify")) {
    console.log("1. Verify N registered 1 KiB copies: node verify --all --force, then serve --once; all copies end 'Y'");
    const points: Array<{ n: number; seconds: number }> = [];
    for (const n of SIZES) {
      const [v, c] = cpuOf(() => benchVerify(n, false));
      const serve = median(v.serve);
      const md5sum = median(v.md5sum);
      console.log(
        `  N=${String(n).padStart(6)}  serve ${ms(serve).padStart(8)} ${fmtRuns(v.serve)} ${cpu(c)}  ${us(serve / n)}/file, ${us((serve - idle) / n)}/file above idle` +
          `  | md5sum (xargs) ${ms(md5sum)}: daemon ${(serve / md5sum).toFixed(1)}× its time  | node verify CLI ${ms(median(v.cli))}`,
      );
      if (n === 10_000) console.log(`  target: serve ≤ 1 s for 10,000: ${serve <= 1 ? "met" : "MISSED"}`);
      if (n === 10_000) record({ key: "verify10k", value: serve, baseline: md5sum });
      points.push({ n, seconds: serve });
    }
    console.log(`  ${perFileScaling(points)}`);
    if (WAL) {
      const [v, c] = cpuOf(() => benchVerify(10_000, true));
      console.log(`  N= 10000, index in WAL mode (bench-side pragma): serve ${ms(median(v.serve))} ${fmtRuns(v.serve)} ${cpu(c)}`);
    }
    console.log(`  ${load()}`);
  }

  if (ONLY.has("big")) {
    console.log(`\n2. MD5 of one cached ${BIG_MB} MiB file: file verify, then serve --once; the copy ends 'Y'`);
    const [b, c] = cpuOf(benchBig);
    const serve = median(b.serve);
    const md5sum = median(b.md5sum);
    record({ key: "md5big", value: median(b.serve), baseline: md5sum });
    console.log(`  md5sum          ${ms(md5sum).padStart(8)} ${fmtRuns(b.md5sum)}  ${(BIG_MB / md5sum).toFixed(0)} MiB/s`);
    console.log(`  serve --once    ${ms(serve).padStart(8)} ${fmtRuns(b.serve)} ${cpu(c)}  ${(BIG_MB / serve).toFixed(0)} MiB/s (${(BIG_MB / (serve - idle)).toFixed(0)} MiB/s above idle)`);
    console.log(`  throughput vs md5sum: ${(md5sum / serve).toFixed(2)}× (target ≥ 1.0×: ${md5sum / serve >= 1 ? "met" : "MISSED"}; ${(md5sum / (serve - idle)).toFixed(2)}× above idle)`);
    console.log(`  ${load()}`);
  }

  if (ONLY.has("delete")) {
    console.log(`\n3. Delete ${DELETE_N.toLocaleString("en")} released copies (each healthy on 2 archive nodes): node clean --now --force, then serve --once; all end 'N', files and directories gone`);
    const [d, c] = cpuOf(() => benchDelete(DELETE_N, false));
    const t = benchRm(DELETE_N);
    const ds = median(d.serve);
    record({ key: "delete10k", value: ds, baseline: median(t.rm) });
    console.log(`  serve --once    ${ms(ds).padStart(8)} ${fmtRuns(d.serve)} ${cpu(c)}  ${us(ds / DELETE_N)}/file  | node clean CLI ${ms(median(d.cli))}`);
    console.log(`  rm -rf          ${ms(median(t.rm)).padStart(8)} ${fmtRuns(t.rm)}  daemon ${(ds / median(t.rm)).toFixed(1)}× its time`);
    console.log(`  find -delete    ${ms(median(t.find)).padStart(8)} ${fmtRuns(t.find)}  daemon ${(ds / median(t.find)).toFixed(1)}× its time`);
    console.log(`  target: serve ≤ 1 s: ${ds <= 1 ? "met" : "MISSED"}`);
    // Above, the tree was just written: ext4 has not yet allocated its blocks, so unlinking it
    // is cheap for every tool. Files long on disk cost the filesystem more to free: measured
    // here too, the machine's tools in the same state.
    const [f, fc] = cpuOf(() => benchDelete(DELETE_N, false, true));
    const ft = benchRm(DELETE_N, true);
    const fs = median(f.serve);
    console.log(`  the tree flushed to disk first: serve ${ms(fs)} ${fmtRuns(f.serve)} ${cpu(fc)}; rm -rf ${ms(median(ft.rm))} ${fmtRuns(ft.rm)}: daemon ${(fs / median(ft.rm)).toFixed(1)}× its time; find -delete ${ms(median(ft.find))}`);
    if (WAL) {
      const [w, wc] = cpuOf(() => benchDelete(DELETE_N, true));
      console.log(`  index in WAL mode (bench-side pragma): serve ${ms(median(w.serve))} ${fmtRuns(w.serve)} ${cpu(wc)}`);
    }
    console.log(`  ${load()}`);
  }
} finally {
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
}
