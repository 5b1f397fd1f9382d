// `bun bench/pull-remote.ts`: a remote pull by the daemon against the same rsync run alone.
// One file of BENCH_PULL_MB MiB (default 1024) on a source node of another host, reached over
// loopback ssh (the test sshd of tests/helpers/sshd.ts on 127.0.0.1), is pulled by the compiled
// binary as a user runs it (`file sync`, then the timed `serve --once`, spawn to exit; SQLite
// index, `num_workers: 1`, `update_interval: 1`, `daemon.rsync_rsh` the sshd's ssh command),
// and by the daemon's own rsync command line run alone (same arguments, same source, a fresh
// target directory), alternately, BENCH_RUNS times (default 3), each from the same state (no
// earlier received file left, nothing left to write back); medians are printed with the
// ratio. The daemon's extra work is its start-up and update loop (an idle `serve --once` is
// timed too), the fsync of the received file and our MD5 of it before the rename (rsync alone
// does neither; the MD5 is taken while the bytes arrive): `md5sum` of the received file and a
// `sync` of it are timed apart, to show what the verification costs. BENCH_PULL_DATA=pattern (default; bench/_files.ts, compresses
// well, so the fixed costs weigh most) or random (incompressible: rsync's --compress dominates).

import { Database } from "bun:sqlite";
import { randomFillSync } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startSshd, stopSshd } from "../tests/helpers/sshd.ts";
import { makeFile } from "./_files.ts";
import { record } from "./_summary.ts";

const ROOT = resolve(import.meta.dir, "..");
const BIN = resolve(ROOT, "dist/alpenhorn");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MB = Number(process.env.BENCH_PULL_MB ?? 1024);
const DATA = process.env.BENCH_PULL_DATA === "random" ? "random" : "pattern";
const HOST = "benchhost";
const NAME = "acq00000/big.dat";
const TARGET_RATIO = 1.2;

if (!process.env.BENCH_NO_COMPILE || !existsSync(BIN)) {
  const { compile } = await import("../scripts/compile.ts");
  await compile({ outfile: BIN });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${x.toFixed(2)} s`;
const fmtRuns = (xs: number[]) => `[${xs.map((x) => x.toFixed(2)).join(", ")}]`;
const rate = (sec: number) => `${(MB / sec).toFixed(0)} MiB/s`;
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`;

/** Run a command to completion, timed; throws on failure. */
function timed(argv: string[], opts: { cwd?: string; env?: Record<string, string | undefined>; log?: string } = {}): number {
  const fd = opts.log ? openSync(opts.log, "w") : "pipe";
  const t0 = performance.now();
  const r = Bun.spawnSync(argv, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", fd, fd] });
  const t = (performance.now() - t0) / 1000;
  if (typeof fd === "number") closeSync(fd);
  if (r.exitCode !== 0) throw new Error(`${argv.join(" ")} exited ${r.exitCode}: ${opts.log ? `log in ${opts.log}` : r.stderr?.toString()}`);
  return t;
}

function randomFile(path: string, mb: number): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) writeSync(fd, randomFillSync(chunk));
  closeSync(fd);
}

const sshd = await startSshd();
const top = mkdtempSync(join(tmpdir(), "alpenhorn-bench-pull-remote-"));
try {
  const db = join(top, "index.db");
  const conf = join(top, "alpenhorn.conf");
  const srcRoot = join(top, "src");
  const dstRoot = join(top, "dst");
  const alone = join(top, "alone");
  for (const d of [srcRoot, dstRoot, alone]) mkdirSync(d);
  writeFileSync(
    conf,
    `database:\n  url: sqlite:///${db}\ndaemon:\n  host: ${HOST}\n  num_workers: 1\n  update_interval: 1\n  rsync_rsh: ${JSON.stringify(sshd.rsh)}\nlogging:\n  level: info\n`,
  );
  const env = { PATH: process.env.PATH, HOME: top };
  const cli = (args: string[]) => timed([BIN, "--test-isolation", "-c", conf, ...args], { cwd: top, env });
  cli(["db", "init"]);
  cli(["node", "create", "src", "--create-group", "--root", srcRoot, "--host", "remotehost", "--username", sshd.user, "--address", sshd.host, "--activate"]);
  cli(["node", "create", "dst", "--create-group", "--root", dstRoot, "--host", HOST, "--activate"]);
  writeFileSync(join(srcRoot, "ALPENHORN_NODE"), "src\n");
  writeFileSync(join(dstRoot, "ALPENHORN_NODE"), "dst\n");

  // The file, registered on the source by hand (the bench sets up; the pull is measured).
  const source = join(srcRoot, NAME);
  mkdirSync(join(srcRoot, "acq00000"));
  (DATA === "random" ? randomFile : makeFile)(source, MB);
  const md5 = new Bun.CryptoHasher("md5");
  const size = MB << 20;
  {
    const fd = openSync(source, "r");
    const chunk = Buffer.alloc(1 << 20);
    for (let n; (n = readSync(fd, chunk)) > 0; ) md5.update(chunk.subarray(0, n));
    closeSync(fd);
  }
  const sum = md5.digest("hex");
  {
    const x = new Database(db);
    const now = "2026-01-01 00:00:00.000000";
    const acq = Number(x.query("INSERT INTO archiveacq (name) VALUES ('acq00000')").run().lastInsertRowid);
    const file = Number(x.query("INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES (?, 'big.dat', ?, ?, ?)").run(acq, size, sum, now).lastInsertRowid);
    x.query("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES (?, (SELECT id FROM storagenode WHERE name = 'src'), 'Y', 'Y', 1, ?, ?)").run(file, size, now);
    x.close();
  }

  // The daemon's rsync command line (src/engine/io/default/rsync.ts), into a fresh directory.
  const rsyncArgv = (target: string) => [
    "rsync", "--compress", "--rsync-path=ionice -c2 -n4 rsync", `--rsh=${sshd.rsh}`, "--quiet", "--times", "--protect-args",
    "--perms", "--group", "--owner", "--copy-links", "--sparse", `${sshd.user}@${sshd.host}:${source}`, target,
  ];

  const idle: number[] = [];
  const daemon: number[] = [];
  const rsync: number[] = [];
  const taskTimes: number[] = [];
  const md5sum: number[] = [];
  const syncs: number[] = [];
  const received = join(dstRoot, NAME);
  // Each timed transfer starts from the same state: neither earlier received file left (a write
  // after a 1 GiB file was deleted is much faster here than one after it was kept: the freed
  // blocks are reused), and nothing left to write back.
  const fresh = () => {
    rmSync(join(alone, "t"), { recursive: true, force: true });
    rmSync(join(dstRoot, "acq00000"), { recursive: true, force: true });
    timed(["sync"]);
  };
  console.log(`Remote pull of one ${MB} MiB file (${DATA} data) over loopback rsync/ssh, dist/alpenhorn, SQLite, num_workers 1; median of ${RUNS} runs`);
  console.log(`(serve --once: spawn to exit; rsync alone: the daemon's own rsync arguments, same source, a fresh target directory)`);
  for (let i = 0; i < RUNS; i++) {
    idle.push(timed([BIN, "--test-isolation", "-c", conf, "serve", "--once"], { cwd: top, env, log: join(top, `idle-${i}.log`) }));

    fresh();
    mkdirSync(join(alone, "t"));
    rsync.push(timed(rsyncArgv(join(alone, "t", "big.dat"))));
    // What our verification adds to a transfer: the received file made durable, then hashed
    // (from the page cache, as the daemon reads it back).
    syncs.push(timed(["sync", join(alone, "t", "big.dat")]));
    md5sum.push(timed(["md5sum", join(alone, "t", "big.dat")]));

    // A fresh request each run: the last run's copy forgotten, its file removed.
    fresh();
    const x = new Database(db);
    x.run("DELETE FROM archivefilecopy WHERE node_id = (SELECT id FROM storagenode WHERE name = 'dst')");
    x.close();
    cli(["file", "sync", "--from", "src", "--to", "dst", NAME]);
    const log = join(top, `serve-${i}.log`);
    daemon.push(timed([BIN, "--test-isolation", "-c", conf, "serve", "--once"], { cwd: top, env, log }));
    const text = readFileSync(log, "utf8");
    const done = /Pull of acq00000\/big\.dat complete\. Transferred .* in ([\d.]+)s /.exec(text);
    if (!done || !existsSync(received)) throw new Error(`the pull did not complete; log in ${log}`);
    taskTimes.push(Number(done[1]));
    const y = new Database(db);
    const row = y.query("SELECT has_file FROM archivefilecopy WHERE node_id = (SELECT id FROM storagenode WHERE name = 'dst')").get() as { has_file: string } | null;
    y.close();
    if (row?.has_file !== "Y") throw new Error(`the destination copy is ${JSON.stringify(row)}; log in ${log}`);
  }

  const [d, r, idl] = [median(daemon), median(rsync), median(idle)];
  record({ key: "pullremote", value: d, baseline: r });
  console.log(`  rsync alone              ${s(r).padStart(8)} ${fmtRuns(rsync)}  ${rate(r)}`);
  console.log(`  daemon, serve --once     ${s(d).padStart(8)} ${fmtRuns(daemon)}  ${rate(d)}  ${(d / r).toFixed(2)}× rsync's time`);
  console.log(`  daemon's pull (its log)  ${s(median(taskTimes)).padStart(8)} ${fmtRuns(taskTimes)}  ${(median(taskTimes) / r).toFixed(2)}× rsync's time`);
  console.log(`  idle serve --once        ${s(idl).padStart(8)} ${fmtRuns(idle)}  (start-up, one loop, exit)`);
  console.log(`  our verification's parts, timed alone on rsync's copy: sync ${s(median(syncs))} ${fmtRuns(syncs)}, md5sum ${s(median(md5sum))} ${fmtRuns(md5sum)}`);
  console.log(`  target: serve --once ≤ ${TARGET_RATIO}× rsync alone: ${d / r <= TARGET_RATIO ? "met" : "MISSED"}; ${load()}`);
} finally {
  if (!process.env.BENCH_KEEP) rmSync(top, { recursive: true, force: true });
  else console.log(`kept: ${top}`);
  await stopSshd();
}
