// `npm run bench`: our hot paths measured side by side with the machine's own tools in the
// same run, printed as figures and ratios. MD5 goes through the daemon's own path (the fs
// thread pool): one cached file of BENCH_MB MiB (default 2048) against `md5sum`, and one file
// per core hashed at once against as many `md5sum`s running in parallel.

import { spawn, spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { closeSync, openSync, readSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SparkMD5 from "spark-md5";
import { FsPool } from "../src/engine/fs/threads/pool.ts";
import { makeFile } from "./_files.ts";
import { record } from "./_summary.ts";

const MB = Number(process.env.BENCH_MB ?? 2048);
const CORES = cpus().length;
/** As the daemon sizes it: one thread per worker (a worker per core here) plus one. */
const pool = new FsPool({ minThreads: CORES + 1, maxThreads: CORES + 33, timeout: 600 });

async function poolMd5(path: string): Promise<string> {
  const r = await pool.call("md5", [path]);
  if ("changed" in r) throw new Error(`${path} changed while hashed`);
  return r.md5;
}

/** `md5sum` of each file, all at once (one process per file). */
function parallelMd5sum(files: string[]): Promise<string[]> {
  return Promise.all(
    files.map(
      (f) =>
        new Promise<string>((resolve, reject) => {
          let out = "";
          const p = spawn("md5sum", [f], { stdio: ["ignore", "pipe", "inherit"] });
          p.stdout.on("data", (d) => (out += d));
          p.on("close", (code) => (code === 0 ? resolve(out.split(" ")[0]!) : reject(new Error(`md5sum exit ${code}`))));
        }),
    ),
  );
}
const dir = mkdtempSync(join(tmpdir(), "alpenhorn-bench-"));

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, (performance.now() - t0) / 1000];
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, (performance.now() - t0) / 1000];
}

function sparkMd5(path: string): string {
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  const h = new SparkMD5.ArrayBuffer();
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n <= 0) break;
    h.append(buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) as ArrayBuffer);
  }
  closeSync(fd);
  return h.end();
}

const row = (name: string, secs: number, base: number, extra = "") =>
  console.log(`${name.padEnd(34)} ${(MB / secs).toFixed(0).padStart(6)} MB/s  ${(secs / base).toFixed(2).padStart(5)}× md5sum time ${extra}`);

try {
  const file = join(dir, "big.bin");
  makeFile(file, MB);
  spawnSync("cat", [file], { stdio: ["ignore", "ignore", "inherit"] }); // warm the page cache
  console.log(`MD5 of one ${MB} MiB file (page cache warm)`);
  const [sum, tMd5sum] = time(() => spawnSync("md5sum", [file], { encoding: "utf8" }).stdout.split(" ")[0]);
  row("md5sum", tMd5sum, tMd5sum);
  const [ours, tOurs] = await timeAsync(() => poolMd5(file));
  row("alpenhorn (fs thread, read ahead)", tOurs, tMd5sum, ours === sum ? "" : "MISMATCH");
  const sparkMb = Math.min(MB, 256);
  if (sparkMb < MB) console.log(`(spark-md5 on the first ${sparkMb} MiB only, scaled)`);
  const small = join(dir, "small.bin");
  makeFile(small, sparkMb);
  const [, tSpark] = time(() => sparkMd5(small));
  row("spark-md5 (pure JS)", (tSpark * MB) / sparkMb, tMd5sum);

  // N files on N cores: each file a quarter of the big one (or BENCH_MB / N), all page-cached.
  const each = Math.max(64, Math.floor(MB / CORES));
  const many = Array.from({ length: CORES }, (_, i) => join(dir, `part${i}.bin`));
  for (const f of many) makeFile(f, each);
  for (const f of many) spawnSync("cat", [f], { stdio: ["ignore", "ignore", "inherit"] });
  console.log(`\nMD5 of ${CORES} files of ${each} MiB at once, on ${CORES} cores (page cache warm)`);
  const [sums, tPar] = await timeAsync(() => parallelMd5sum(many));
  const [mine, tMine] = await timeAsync(() => Promise.all(many.map(poolMd5)));
  const total = each * CORES;
  const same = sums.every((x, i) => x === mine[i]);
  console.log(`${`${CORES} × md5sum in parallel`.padEnd(34)} ${(total / tPar).toFixed(0).padStart(6)} MB/s`);
  console.log(`${"alpenhorn fs threads".padEnd(34)} ${(total / tMine).toFixed(0).padStart(6)} MB/s  ${(tMine / tPar).toFixed(2).padStart(5)}× md5sum time ${same ? "" : "MISMATCH"}`);
  console.log(`(one file alone: ${(MB / tOurs).toFixed(0)} MB/s; ${CORES} at once: ${(total / tMine / (MB / tOurs)).toFixed(2)}× that)`);

  const bin = join(import.meta.dir, "../dist/alpenhorn");
  if (existsSync(bin)) {
    const runs = 20;
    const [, tBin] = time(() => {
      for (let i = 0; i < runs; i++) spawnSync(bin, ["--version"], { stdio: "ignore" });
    });
    const [, tTrue] = time(() => {
      for (let i = 0; i < runs; i++) spawnSync("true", [], { stdio: "ignore" });
    });
    record({ key: "version", value: tBin / runs });
    console.log(`\nstart-up: dist/alpenhorn --version ${((tBin / runs) * 1000).toFixed(1)} ms per run (spawning /bin/true: ${((tTrue / runs) * 1000).toFixed(1)} ms)`);
  }
} finally {
  pool.close();
  rmSync(dir, { recursive: true, force: true });
}
