// The benchmarks' test site: a temp dir with a config, a SQLite Data Index made by `alpenhorn db init`
// and one active node "bench" on host HOST, driven through the compiled binary as a user runs it,
// with direct bun:sqlite set-up for bulk rows (one transaction) and read-back of copy states.

import { Database } from "bun:sqlite";
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const BIN = resolve(import.meta.dir, "..", "dist/alpenhorn");
/** Files per acquisition directory. */
export const PER_ACQ = 100;
export const HOST = "benchhost";
export const NOW = "2025-01-01 00:00:00.000000";

/** CPU seconds of each `serve --once` run, in order (the machine is shared: wall time is noisy). */
export const cpuLog: number[] = [];
/** Median CPU seconds of the `serve --once` runs made by `fn`. */
export function cpuOf<T>(fn: () => T): [T, number] {
  const from = cpuLog.length;
  const r = fn();
  return [r, median(cpuLog.slice(from))];
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
export const us = (s: number) => `${(s * 1e6).toFixed(1)} µs`;
export const fmtRuns = (xs: number[]) => `[${xs.map((x) => x.toFixed(3)).join(", ")}]`;

/**
 * File counts at which import, sync and verify print their cost per file, to show it stays flat
 * (BENCH_SCALE_MAX sets the largest; 10,000 or less drops it).
 */
const SCALE_MAX = Number(process.env.BENCH_SCALE_MAX ?? 100_000);
export const SCALE_SIZES = [1_000, 10_000, ...(SCALE_MAX > 10_000 ? [SCALE_MAX] : [])];

/** Runs at a size: `runs` up to 10,000 files, one above (each such run takes many seconds). */
export const runsAt = (n: number, runs: number) => (n > 10_000 ? 1 : runs);

/**
 * The cost per file at each size, and whether it stays flat: it may fall as the fixed start-up
 * cost spreads over more files, but never rise by more than a quarter from one size to the next.
 */
export function perFileScaling(points: Array<{ n: number; seconds: number }>): string {
  const sorted = [...points].sort((a, b) => a.n - b.n);
  const per = sorted.map((p) => p.seconds / p.n);
  const flat = per.every((c, i) => i === 0 || c <= per[i - 1]! * 1.25);
  const cells = sorted.map((p, i) => `${p.n.toLocaleString("en")}: ${us(per[i]!)}`).join(", ");
  return `per file ${cells}: ${flat ? "flat" : "NOT FLAT"}`;
}

export function timeSync(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

/** Run a shell tool; throws on failure. */
export function tool(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/**
 * Flush what a bench just wrote (trees of small files, the index) before a timed run: its
 * writeback would otherwise land on the daemon's first fsync (ext4 commits the data it orders
 * with it), a cost the machine's tools, which never fsync, do not meet in their own runs. Each
 * bench flushes before its tool's timed runs too.
 */
export function flushWrites(): void {
  tool("sync", []);
}

export class Site {
  readonly dir: string;
  readonly conf: string;
  readonly db: string;
  readonly root: string;

  /** `url`: another Data Index than the site's own SQLite file (bench/mariadb.ts). */
  constructor(top: string, label: string, url?: string) {
    this.dir = mkdtempSync(join(top, `${label}-`));
    this.conf = join(this.dir, "alpenhorn.conf");
    this.db = join(this.dir, "index.db");
    this.root = join(this.dir, "node");
    mkdirSync(this.root);
    writeFileSync(
      this.conf,
      `database:\n  url: ${url ?? `sqlite:///${this.db}`}\ndaemon:\n  host: ${HOST}\n  num_workers: 2\n  update_interval: 1\nlogging:\n  level: info\n`,
    );
    this.cli(["db", "init"]);
    this.cli(["node", "create", "bench", "--create-group", "--root", this.root, "--host", HOST, "--activate"]);
    writeFileSync(join(this.root, "ALPENHORN_NODE"), "bench\n");
  }

  /** `alpenhorn --test-isolation -c CONF …`, as a user runs it; returns stdout. */
  cli(args: string[]): string {
    const r = spawnSync(BIN, ["--test-isolation", "-c", this.conf, ...args], { cwd: this.dir, encoding: "utf8", env: { PATH: process.env.PATH, HOME: this.dir } });
    if (r.status !== 0) throw new Error(`alpenhorn ${args.join(" ")} failed (${r.status}):\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /**
   * `serve --once`, timed from spawn to exit; its log goes to a file. Also its CPU seconds (all
   * threads). What the bench wrote before is flushed first (flushWrites), unless `flush` is false.
   */
  serveOnce(tag: string, opts: { flush?: boolean } = {}): number {
    if (opts.flush !== false) flushWrites();
    const log = join(this.dir, `serve-${tag}.log`);
    const fd = openSync(log, "w");
    const t0 = performance.now();
    const r = Bun.spawnSync([BIN, "--test-isolation", "-c", this.conf, "serve", "--once"], {
      cwd: this.dir,
      stdio: ["ignore", fd, fd],
      env: { PATH: process.env.PATH, HOME: this.dir },
    });
    const t = (performance.now() - t0) / 1000;
    closeSync(fd);
    if (r.exitCode !== 0) throw new Error(`serve --once exited ${r.exitCode}; log: ${log}`);
    cpuLog.push(Number(r.resourceUsage.cpuTime.total) / 1e6);
    return t;
  }

  open(): Database {
    return new Database(this.db);
  }

  /** A bench-side switch of the index file to WAL (the daemon's own settings are untouched). */
  wal(): void {
    const db = this.open();
    db.run("PRAGMA journal_mode=WAL");
    db.close();
  }

  nodeId(name: string): number {
    const db = this.open();
    const row = db.query("SELECT id FROM storagenode WHERE name = ?").get(name) as { id: number };
    db.close();
    return row.id;
  }

  /** Write `n` 1 KiB files (distinct contents) and register them with one healthy copy each. */
  registerSmall(n: number, archives: string[] = []): string[] {
    const rels: string[] = [];
    const files: Array<{ acq: number; name: string; md5: string }> = [];
    const buf = Buffer.alloc(1024);
    for (let i = 0; i < n; i++) {
      const acq = Math.floor(i / PER_ACQ);
      const name = `f${String(i % PER_ACQ).padStart(3, "0")}.dat`;
      const dir = join(this.root, `acq${String(acq).padStart(5, "0")}`);
      if (i % PER_ACQ === 0) mkdirSync(dir, { recursive: true });
      buf.fill(i & 0xff);
      buf.writeUInt32LE(i, 0);
      writeFileSync(join(dir, name), buf);
      files.push({ acq, name, md5: new Bun.CryptoHasher("md5").update(buf).digest("hex") });
      rels.push(`acq${String(acq).padStart(5, "0")}/${name}`);
    }
    const nodeIds = [this.nodeId("bench"), ...archives.map((a) => this.nodeId(a))];
    const db = this.open();
    db.transaction(() => {
      const acqIds: number[] = [];
      const insAcq = db.query("INSERT INTO archiveacq (name) VALUES (?)");
      const insFile = db.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, ?, 1024, ?, ?)");
      const insCopy = db.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, ?, 'Y', 'Y', 1, 4096, ?)");
      for (let a = 0; a * PER_ACQ < n; a++) acqIds.push(Number(insAcq.run(`acq${String(a).padStart(5, "0")}`).lastInsertRowid));
      for (const f of files) {
        const fileId = Number(insFile.run(acqIds[f.acq]!, f.name, f.md5, NOW).lastInsertRowid);
        for (const node of nodeIds) insCopy.run(fileId, node, NOW);
      }
    })();
    db.close();
    return rels;
  }

  /** Count of the node's copies by has_file. */
  states(node = "bench"): Record<string, number> {
    const db = this.open();
    const rows = db
      .query("SELECT c.has_file AS h, COUNT(*) AS n FROM archivefilecopy c JOIN storagenode s ON s.id = c.node_id WHERE s.name = ? GROUP BY c.has_file")
      .all(node) as Array<{ h: string; n: number }>;
    db.close();
    return Object.fromEntries(rows.map((r) => [r.h, r.n]));
  }

  close(): void {
    if (!process.env.BENCH_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}

export function expectStates(site: Site, want: Record<string, number>, what: string, node = "bench"): void {
  const got = site.states(node);
  const ok = Object.keys({ ...want, ...got }).every((k) => (got[k] ?? 0) === (want[k] ?? 0));
  if (!ok) throw new Error(`${what}: copies ${JSON.stringify(got)}, expected ${JSON.stringify(want)} (logs in ${site.dir})`);
}

/** The files left under `dir` (recursively), ALPENHORN_NODE excluded. */
export function leftUnder(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.name !== "ALPENHORN_NODE") n++;
  return n;
}

