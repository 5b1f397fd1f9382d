// `bun bench/import.ts`: the import of a big scan by the daemon, measured on the compiled binary
// as a user runs it: N unregistered 1 KiB files written under node "bench" (named as the
// pattern_importer demo's types want: acquisitions `YYYY/MM/DD` of 100 files `00/mmss.dat`),
// `node scan bench --register-new`, then the timed `serve --once` (spawn to exit). Every file must
// end registered with its size and MD5 and a copy 'Y' on the node. N = 1,000, 10,000 and 100,000
// (BENCH_SCALE_MAX; the per-file cost must stay flat); BENCH_RUNS times (default 3; once above
// 10,000), median printed; also 10,000 with the index in WAL mode (bench-side pragma; the
// daemon's own settings are untouched), and with the node totals' triggers on.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, cpuOf, fmtRuns, median, ms, perFileScaling, runsAt, SCALE_SIZES, Site, us } from "./_site.ts";
import { expectImported, writeImportable } from "./_importable.ts";
import { record } from "./_summary.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-import-"));

/** A site with the pattern_importer and `n` unregistered files on "bench"; rel → MD5. */
function prepare(tag: string, n: number, wal: boolean, totals = false): { site: Site; md5s: Map<string, string> } {
  const site = new Site(top, tag);
  writeFileSync(site.conf, `${readFileSync(site.conf, "utf8")}extensions: [pattern_importer]\n`);
  // The extension's tables and demo types.
  site.cli(["db", "init"]);
  const md5s = writeImportable(site.root, n);
  if (wal) site.wal();
  if (totals) site.cli(["db", "node-totals", "--enable"]);
  return { site, md5s };
}


function importOnce(n: number, wal: boolean, r: number, totals = false): number {
  const { site, md5s } = prepare(`import-${n}${wal ? "-wal" : ""}${totals ? "-totals" : ""}-${r}`, n, wal, totals);
  try {
    site.cli(["node", "scan", "bench", "--register-new"]);
    const serve = site.serveOnce(`${n}${wal ? "wal" : ""}${r}`);
    expectImported(site.db, md5s, `logs in ${site.dir}`);
    return serve;
  } finally {
    site.close();
  }
}

function bench(n: number, wal: boolean, totals = false): [number[], number] {
  return cpuOf(() => Array.from({ length: runsAt(n, RUNS) }, (_, r) => importOnce(n, wal, r, totals)));
}

const load = () => `load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;

try {
  console.log(`Import of a scan: N unregistered 1 KiB files, node scan --register-new, then serve --once; all registered with size, MD5 and a copy 'Y'`);
  console.log(`(dist/alpenhorn on SQLite with pattern_importer, daemon.num_workers 2, update_interval 1; median of ${RUNS} runs; wall time spawn to exit [the runs, s])`);
  console.log(`  ${load()}`);
  const points: Array<{ n: number; seconds: number }> = [];
  for (const n of SCALE_SIZES) {
    const [s, c] = bench(n, false);
    const serve = median(s);
    points.push({ n, seconds: serve });
    console.log(`  ${n.toLocaleString("en").padStart(7)} files  ${ms(serve).padStart(8)} ${fmtRuns(s)} cpu ${ms(c)}  ${us(serve / n)}/file`);
    if (n === 10_000) {
      record({ key: "import10k", value: serve });
      console.log(`  target: serve ≤ 1 s for 10,000: ${serve <= 1 ? "met" : "MISSED"}`);
    }
  }
  console.log(`  ${perFileScaling(points)}`);
  if (!process.env.BENCH_NO_WAL) {
    const [w, wc] = bench(10_000, true);
    console.log(`  index in WAL mode (bench-side pragma): 10,000 files ${ms(median(w))} ${fmtRuns(w)} cpu ${ms(wc)}`);
  }
  // What the node totals' triggers cost a write-heavy run.
  const [t, tc] = bench(10_000, false, true);
  console.log(`  node totals on (db node-totals --enable): 10,000 files ${ms(median(t))} ${fmtRuns(t)} cpu ${ms(tc)}`);
  console.log(`  ${load()}`);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
}
