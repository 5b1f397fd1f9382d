// `bun bench/mariadb.ts`: the daemon's bulk work on a MariaDB Data Index (the server the tests
// start, on 127.0.0.1): 10,000 1 KiB files imported from a scan (`node scan --register-new`,
// then the timed `serve --once`), synced to a second local node (`node sync --force`, timed
// `serve --once`) and verified (`node verify --all --force`, timed `serve --once`), each checked
// from the index afterwards. A fresh database per run; BENCH_RUNS runs (default 3), medians.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectIndex } from "../src/index/connect.ts";
import { freshDatabase, startMariaDB, stopMariaDB } from "../tests/helpers/mariadb.ts";
import { BIN, fmtRuns, HOST, median, ms, Site, us } from "./_site.ts";
import { record } from "./_summary.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const N = Number(process.env.BENCH_MARIADB_N ?? 10_000);
const PER_ACQ = 100;

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-mariadb-"));

/** The `a`th day from 2025-01-01 as `YYYY/MM/DD` (the pattern_importer demo's acquisition type). */
function acqName(a: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + a * 86_400_000);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
}

function writeFiles(root: string): void {
  const buf = Buffer.alloc(1024);
  for (let i = 0; i < N; i++) {
    const j = i % PER_ACQ;
    const dir = join(root, acqName(Math.floor(i / PER_ACQ)), "00");
    if (j === 0) mkdirSync(dir, { recursive: true });
    buf.fill(i & 0xff);
    buf.writeUInt32LE(i, 0);
    writeFileSync(join(dir, `${String(Math.floor(j / 60)).padStart(2, "0")}${String(j % 60).padStart(2, "0")}.dat`), buf);
  }
}

/** has_file → count of the copies on `node`, read through our own driver. */
async function states(url: string, node: string): Promise<Record<string, number>> {
  const db = await connectIndex({ url });
  try {
    const rows = await db.all<{ h: string; n: number }>(
      "SELECT c.has_file AS h, COUNT(*) AS n FROM archivefilecopy c JOIN storagenode s ON s.id = c.node_id WHERE s.name = ? GROUP BY c.has_file",
      [node],
    );
    return Object.fromEntries(rows.map((r) => [r.h, Number(r.n)]));
  } finally {
    await db.close();
  }
}

async function expectAll(url: string, node: string, what: string, dir: string): Promise<void> {
  const got = await states(url, node);
  if (got.Y !== N || Object.keys(got).length !== 1) throw new Error(`${what}: copies on ${node} ${JSON.stringify(got)}, expected ${N} Y (logs in ${dir})`);
}

const times = { import: [] as number[], sync: [] as number[], verify: [] as number[] };
try {
  await startMariaDB();
  for (let r = 0; r < RUNS; r++) {
    await using fresh = await freshDatabase("bench");
    const site = new Site(top, `run${r}`, fresh.url);
    try {
      writeFileSync(site.conf, `${readFileSync(site.conf, "utf8")}extensions: [pattern_importer]\n`);
      site.cli(["db", "init"]);
      writeFiles(site.root);
      site.cli(["node", "scan", "bench", "--register-new"]);
      times.import.push(site.serveOnce(`import${r}`));
      await expectAll(fresh.url, "bench", "after import", site.dir);

      const dest = join(site.dir, "dest");
      mkdirSync(dest);
      site.cli(["node", "create", "dest", "--create-group", "--root", dest, "--host", HOST, "--activate"]);
      writeFileSync(join(dest, "ALPENHORN_NODE"), "dest\n");
      site.cli(["node", "sync", "bench", "dest", "--force"]);
      times.sync.push(site.serveOnce(`sync${r}`));
      await expectAll(fresh.url, "dest", "after sync", site.dir);

      site.cli(["node", "verify", "--all", "--force", "bench"]);
      times.verify.push(site.serveOnce(`verify${r}`));
      await expectAll(fresh.url, "bench", "after verify", site.dir);
    } finally {
      site.close();
    }
  }
  const load = () => `load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`;
  console.log(`dist/alpenhorn on MariaDB (127.0.0.1), ${N.toLocaleString("en")} 1 KiB files, num_workers 2; median of ${RUNS} runs, serve --once spawn to exit`);
  for (const [what, xs] of Object.entries(times)) {
    const m = median(xs);
    if (N === 10_000) record({ key: `mariadb.${what}`, value: m });
    console.log(`  ${what.padEnd(7)} ${ms(m).padStart(8)} ${fmtRuns(xs)}  ${us(m / N)}/file  target ≤ 3 s: ${m <= 3 ? "met" : "MISSED"}`);
  }
  console.log(`  ${load()}`);
} finally {
  await stopMariaDB();
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
}
