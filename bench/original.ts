// `bun bench/original.ts`: the same workloads on the Python original (alpenhorn 632dd41, prepared
// by scripts/python-original.sh) and on our compiled binary, in the same run on the same machine,
// each from an identical fresh site its own CLI made (bench/_pair-site.ts):
//
//   import  N unregistered 1 KiB files (pattern_importer demo names), `node scan bench
//           --register-new`, then the daemon's one update; every file must end registered with
//           its size and MD5 and a copy 'Y'. Default rollback journal.
//   sync    N registered copies to a second node on the same host and filesystem: `node sync
//           bench dest --force`, then the daemon; every copy on dest 'Y' and a hard link of its
//           source. Index in WAL mode (a bench-side pragma) for both: in the default rollback
//           journal the original loses requests to `database is locked` and never completes.
//   verify  N registered copies: `node verify --all --force bench` (all 'M'), then the daemon;
//           all 'Y' again and the files still on disk. Default rollback journal.
//
// The daemon runs one update (`alpenhornd --once` / `alpenhorn serve --once`). The original is
// timed from spawn to its `Update complete.  Exiting.` line (it then spends seconds stopping its
// workers; that is left out in its favour), ours from spawn to exit, as in our other benches.
// N = BENCH_ORIGINAL_N (default 10,000); the original runs once (BENCH_ORIGINAL_TIMEOUT seconds
// each, default 600: a timeout is reported as such), ours BENCH_RUNS times (default 3, median).
// Exits 0 with a note when the original cannot be prepared here.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DaemonRun, type Impl, original, ours, prepareOriginal, TimeoutError } from "./_impl.ts";
import { expectImported, writeImportable } from "./_importable.ts";
import { PairSite } from "./_pair-site.ts";
import { BIN, fmtRuns, leftUnder, median, PER_ACQ } from "./_site.ts";
import { record } from "./_summary.ts";

const N = Number(process.env.BENCH_ORIGINAL_N ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TIMEOUT_ORIGINAL = Number(process.env.BENCH_ORIGINAL_TIMEOUT ?? 600);
const TIMEOUT_OURS = 120;
/** BENCH_ONLY=import,sync,verify: a subset of the workloads. */
const ONLY = new Set((process.env.BENCH_ONLY ?? "import,sync,verify").split(","));

const prepared = prepareOriginal();
if ("skip" in prepared) {
  console.log(`bench/original.ts skipped: ${prepared.skip}`);
  process.exit(0);
}
const ORIGINAL = original(prepared.bin);

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-original-"));
const load = () => `load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;
const sec = (s: number) => `${s.toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------
// the workloads: each makes its site, runs the daemon once, asserts the outcome, returns seconds

/** A run's seconds (the original's until done, ours until exit: see above) and CPU seconds. */
interface Timed {
  readonly wall: number;
  readonly cpu: number;
}
const timed = (impl: Impl, t: DaemonRun): Timed => ({ wall: impl === ORIGINAL ? t.done : t.exit, cpu: t.cpu });

/** A timed-out site goes; a failed one stays, with the daemon's log, for a look. */
function keepOnFailure(site: PairSite, e: unknown): unknown {
  if (e instanceof TimeoutError) {
    site.close();
    return e;
  }
  return new Error(`${(e as Error).message}\n(site kept: ${site.dir})`);
}

function expectCopies(site: PairSite, node: string, want: Record<string, number>, what: string): void {
  const got = site.states(node);
  const ok = Object.keys({ ...want, ...got }).every((k) => (got[k] ?? 0) === (want[k] ?? 0));
  if (!ok) throw new Error(`${site.impl.name} ${what}: copies on ${node} ${JSON.stringify(got)}, expected ${JSON.stringify(want)} (site ${site.dir})`);
}

async function importRun(impl: Impl, tag: string, timeoutS: number): Promise<Timed> {
  const site = new PairSite(top, `import-${tag}`, impl);
  try {
    const md5s = writeImportable(site.root, N);
    site.cli(["node", "scan", "bench", "--register-new"]);
    const t = await site.daemon("import", timeoutS);
    expectImported(site.db, md5s, `${impl.name} import, site ${site.dir}`);
    site.close();
    return timed(impl, t);
  } catch (e) {
    throw keepOnFailure(site, e);
  }
}

async function syncRun(impl: Impl, tag: string, timeoutS: number): Promise<Timed> {
  const site = new PairSite(top, `sync-${tag}`, impl);
  try {
    const dest = site.addNode("dest");
    const rels = site.registerSmall(N);
    site.wal();
    site.cli(["node", "sync", "bench", "dest", "--force"]);
    const t = await site.daemon("sync", timeoutS);
    expectCopies(site, "dest", { Y: N }, "sync");
    for (const rel of rels) {
      if (statSync(join(site.root, rel)).ino !== statSync(join(dest, rel)).ino) throw new Error(`${impl.name} sync: ${rel} on dest is not a hard link of its source (site ${site.dir})`);
    }
    site.close();
    return timed(impl, t);
  } catch (e) {
    throw keepOnFailure(site, e);
  }
}

async function verifyRun(impl: Impl, tag: string, timeoutS: number): Promise<Timed> {
  const site = new PairSite(top, `verify-${tag}`, impl);
  try {
    site.registerSmall(N);
    site.cli(["node", "verify", "--all", "--force", "bench"]);
    expectCopies(site, "bench", { M: N }, "node verify");
    const t = await site.daemon("verify", timeoutS);
    expectCopies(site, "bench", { Y: N }, "verify");
    if (leftUnder(site.root) !== N + Math.ceil(N / PER_ACQ)) throw new Error(`${impl.name} verify: files missing on disk (site ${site.dir})`);
    site.close();
    return timed(impl, t);
  } catch (e) {
    throw keepOnFailure(site, e);
  }
}

// ---------------------------------------------------------------------------------------------
// side by side

const WORK = [
  { key: "import", run: importRun, what: `import ${N.toLocaleString("en")} 1 KiB files (scan --register-new, daemon once)` },
  { key: "sync", run: syncRun, what: `sync ${N.toLocaleString("en")} copies to a local node by hard link (WAL)` },
  { key: "verify", run: verifyRun, what: `verify ${N.toLocaleString("en")} copies (node verify --all, daemon once)` },
] as const;

try {
  console.log(`The Python original (alpenhorn 632dd41, ${prepared.bin}) and ours (dist/alpenhorn), same workloads, same run`);
  console.log(`(SQLite, num_workers 2, update_interval 1; original once, timed to its "Update complete" line; ours median of ${RUNS}, spawn to exit)`);
  console.log(`  ${load()}`);
  for (const w of WORK) {
    if (!ONLY.has(w.key)) continue;
    let orig: Timed | undefined;
    let timedOut = false;
    try {
      orig = await w.run(ORIGINAL, "0", TIMEOUT_ORIGINAL);
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      timedOut = true;
      console.log(`  ${w.what}: original TIMED OUT after ${TIMEOUT_ORIGINAL} s (${e.message})`);
    }
    const runs: Timed[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await w.run(ours, String(r), TIMEOUT_OURS));
    const mine = median(runs.map((t) => t.wall));
    const mineCpu = median(runs.map((t) => t.cpu));
    const base = orig?.wall ?? TIMEOUT_ORIGINAL;
    const ratio = base / mine;
    const times = `${timedOut ? "> " : ""}${ratio.toFixed(0)}×`;
    const cpu = orig ? `   CPU: original ${sec(orig.cpu)}, ours ${sec(mineCpu)} (${(orig.cpu / mineCpu).toFixed(0)}×)` : "";
    console.log(`  ${w.what}`);
    console.log(`    original ${timedOut ? `> ${sec(base)} (timed out)` : sec(base)}   ours ${sec(mine)} ${fmtRuns(runs.map((t) => t.wall))}   ours is ${times} faster${cpu}`);
    if (w.key === "import") {
      const met = mine <= 1 && ratio >= 50 && N >= 10_000;
      console.log(`    target: ≤ 1 s and ≥ 50× the original for 10,000 files: ${met ? "met" : "MISSED"}${N < 10_000 ? ` (N = ${N}: not the target's size)` : ""}`);
    }
    record({ key: `original.${w.key}`, value: mine, baseline: base, note: `N=${N}${timedOut ? "; original timed out" : ""}${orig ? `; CPU ${orig.cpu.toFixed(2)} s vs ${mineCpu.toFixed(2)} s` : ""}` });
    console.log(`  ${load()}`);
  }
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
} catch (e) {
  // A failed run's site stays, with the daemon's log, under top.
  console.error(`bench/original.ts failed; sites kept in ${top}`);
  throw e;
}
