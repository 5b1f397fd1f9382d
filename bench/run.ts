// `npm run bench`: our hot paths measured side by side with the machine's own tools in the
// same run, printed as figures and ratios. Sizes scale with BENCH_MB (default 1024).

import { spawnSync } from "node:child_process";
import { closeSync, openSync, readSync, writeSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SparkMD5 from "spark-md5";
import { md5File } from "../src/engine/fs/md5.ts";

const MB = Number(process.env.BENCH_MB ?? 1024);
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

function makeFile(path: string, mb: number): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) {
    chunk.fill(i & 0xff);
    chunk.writeUInt32LE(i, 0);
    writeSync(fd, chunk);
  }
  closeSync(fd);
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
  const [ours, tOurs] = await timeAsync(() => md5File(file));
  row("alpenhorn (Bun CryptoHasher, 1 MiB)", tOurs, tMd5sum, ours === sum ? "" : "MISMATCH");
  const sparkMb = Math.min(MB, 256);
  if (sparkMb < MB) console.log(`(spark-md5 on the first ${sparkMb} MiB only, scaled)`);
  const small = join(dir, "small.bin");
  makeFile(small, sparkMb);
  const [, tSpark] = time(() => sparkMd5(small));
  row("spark-md5 (pure JS)", (tSpark * MB) / sparkMb, tMd5sum);

  const bin = join(import.meta.dir, "../dist/alpenhorn");
  if (existsSync(bin)) {
    const runs = 20;
    const [, tBin] = time(() => {
      for (let i = 0; i < runs; i++) spawnSync(bin, ["--version"], { stdio: "ignore" });
    });
    const [, tTrue] = time(() => {
      for (let i = 0; i < runs; i++) spawnSync("true", [], { stdio: "ignore" });
    });
    console.log(`\nstart-up: dist/alpenhorn --version ${((tBin / runs) * 1000).toFixed(1)} ms per run (spawning /bin/true: ${((tTrue / runs) * 1000).toFixed(1)} ms)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
