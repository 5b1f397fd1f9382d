// `bun bench/sync.ts`: a local sync of many small files by the daemon, measured on the compiled
// binary as a user runs it: N registered 1 KiB copies on node "bench", a second node "dest" (its
// own group) on the same host and filesystem, `node sync bench dest --force`, then the timed
// `serve --once` (spawn to exit). Every copy on "dest" must end has_file 'Y' and every file there
// must be a hard link of its source (same inode). Against `cp -al` of the same tree in the same
// run (the machine's own way of making those links). N = 10,000, and 1,000 and 100,000
// (BENCH_SCALE_MAX) for the cost per file, which must stay flat; BENCH_RUNS times (default 3;
// once above 10,000), median printed; also 10,000 with the index in WAL mode (bench-side
// pragma; the daemon's own settings are untouched).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, cpuOf, expectStates, flushWrites, fmtRuns, HOST, median, ms, perFileScaling, runsAt, SCALE_SIZES, Site, timeSync, tool, us } from "./_site.ts";
import { record } from "./_summary.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const N = 10_000;

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-sync-"));

/** A site with N healthy copies on "bench" and an empty node "dest" on the same host. */
function prepare(tag: string, wal: boolean, n = N): { site: Site; rels: string[]; dest: string } {
  const site = new Site(top, tag);
  const dest = join(site.dir, "dest");
  mkdirSync(dest);
  site.cli(["node", "create", "dest", "--create-group", "--root", dest, "--host", HOST, "--activate"]);
  Bun.write(join(dest, "ALPENHORN_NODE"), "dest\n");
  const rels = site.registerSmall(n);
  if (wal) site.wal();
  return { site, rels, dest };
}

function syncOnce(wal: boolean, r: number, n: number): { serve: number; cli: number } {
  const { site, rels, dest } = prepare(`sync${n}${wal ? "wal" : ""}${r}`, wal, n);
  try {
    const cli = timeSync(() => site.cli(["node", "sync", "bench", "dest", "--force"]));
    const serve = site.serveOnce(`${wal ? "wal" : "sync"}${r}`);
    expectStates(site, { Y: n }, "dest after serve --once", "dest");
    for (const rel of rels) {
      const a = statSync(join(site.root, rel));
      const b = statSync(join(dest, rel));
      if (a.ino !== b.ino) throw new Error(`${rel} on dest is not a hard link of its source (logs in ${site.dir})`);
    }
    return { serve, cli };
  } finally {
    site.close();
  }
}

function benchSync(wal: boolean, n = N): { serve: number[]; cli: number[] } {
  const serve: number[] = [];
  const cli: number[] = [];
  for (let r = 0; r < runsAt(n, RUNS); r++) {
    const v = syncOnce(wal, r, n);
    serve.push(v.serve);
    cli.push(v.cli);
  }
  return { serve, cli };
}

/** `cp -al` of an identical tree: the machine's tool for the same links. */
function benchCp(): number[] {
  const { site } = prepare("cp", false);
  try {
    return Array.from({ length: RUNS }, (_, r) => {
      const to = join(site.dir, `cp${r}`);
      flushWrites(); // as serveOnce does before the daemon's runs
      return timeSync(() => tool("cp", ["-al", site.root, to]));
    });
  } finally {
    site.close();
  }
}

const load = () => `load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;

try {
  console.log(`Sync ${N.toLocaleString("en")} registered 1 KiB copies to a second local node: node sync --force, then serve --once; all end 'Y' as hard links`);
  console.log(`(dist/alpenhorn on SQLite, daemon.num_workers 2, update_interval 1; median of ${RUNS} runs; wall time spawn to exit [the runs, s])`);
  const [s, c] = cpuOf(() => benchSync(false));
  const serve = median(s.serve);
  const cp = median(benchCp());
  if (N === 10_000) record({ key: "sync10k", value: serve, baseline: cp });
  console.log(`  serve --once    ${ms(serve).padStart(8)} ${fmtRuns(s.serve)} cpu ${ms(c)}  ${us(serve / N)}/file  | node sync CLI ${ms(median(s.cli))}`);
  console.log(`  cp -al          ${ms(cp).padStart(8)}  daemon ${(serve / cp).toFixed(1)}× its time`);
  console.log(`  target: serve ≤ 1 s for 10,000: ${serve <= 1 && N >= 10_000 ? "met" : "MISSED"}`);
  if (!process.env.BENCH_NO_WAL) {
    const [w, wc] = cpuOf(() => benchSync(true));
    console.log(`  index in WAL mode (bench-side pragma): serve ${ms(median(w.serve))} ${fmtRuns(w.serve)} cpu ${ms(wc)}`);
  }
  const points = [{ n: N, seconds: serve }];
  for (const n of SCALE_SIZES.filter((x) => x !== N)) {
    const [v, vc] = cpuOf(() => benchSync(false, n));
    points.push({ n, seconds: median(v.serve) });
    console.log(`  ${n.toLocaleString("en").padStart(7)} files: serve ${ms(median(v.serve))} ${fmtRuns(v.serve)} cpu ${ms(vc)}`);
  }
  console.log(`  ${perFileScaling(points)}`);
  console.log(`  ${load()}`);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
}
