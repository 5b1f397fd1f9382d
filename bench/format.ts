// `bun bench/format.ts [--rows N] [--base REV]`: the cost of printing a big listing, as
// `alpenhorn file list --node=X --details` does it — building the cells (prettyBytes ×2 and
// prettyTime per row) and tabulate() of the rows. Prints ms per phase (best of several runs)
// and the process's peak RSS. With --base REV, the src/common modules of that git revision are timed
// in the same process too, and both outputs are checked to be byte-identical.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(opt("--rows") ?? 100_000);
const RUNS = Number(opt("--runs") ?? 5);
const BASE = opt("--base");

const root = resolve(import.meta.dir, "..");

interface Impl {
  label: string;
  tabulate: (rows: unknown[][], headers?: string[]) => string;
  prettyBytes: (n: number) => string;
  prettyTime: (t: string) => string;
}

async function load(label: string, dir: string): Promise<Impl> {
  const table = await import(join(dir, "table.ts"));
  const format = await import(join(dir, "format.ts"));
  return { label, tabulate: table.tabulate, prettyBytes: format.prettyBytes, prettyTime: format.prettyTime };
}

// Distinct times per row, as a real listing has (a cache keyed on the text cannot help much).
function timeText(i: number): string {
  const d = 1 + (i % 28);
  const h = Math.floor(i / 60) % 24;
  const m = i % 60;
  return `2025-01-${String(d).padStart(2, "0")} ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String((i * 7) % 60).padStart(2, "0")}.${String(i % 1_000_000).padStart(6, "0")}`;
}

// The raw database values, made once outside the timed region.
const RAW = Array.from({ length: ROWS }, (_, i) => ({
  name: `2025/01/${i % 100}/00/${i}.dat`,
  size: 1024 + i,
  md5: "d41d8cd98f00b204e9800998ecf8427e",
  time: timeText(i),
  state: "Healthy",
  nodeSize: 4096 + i * 37,
}));

function buildRows(impl: Impl): unknown[][] {
  const rows: unknown[][] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const r = RAW[i]!;
    rows[i] = [r.name, impl.prettyBytes(r.size), r.md5, impl.prettyTime(r.time), r.state, impl.prettyBytes(r.nodeSize)];
  }
  return rows;
}

const HEADERS = ["File", "Size", "MD5 Hash", "Registration Time", "State", "Size on Node"];

function best<T>(fn: () => T): [T, number] {
  let result!: T;
  let ms = Infinity;
  for (let r = 0; r < RUNS; r++) {
    Bun.gc(true);
    const t0 = performance.now();
    result = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return [result, ms];
}

function measure(impl: Impl): { cells: number; table: number; out: string } {
  const [rows, cells] = best(() => buildRows(impl));
  const [out, table] = best(() => impl.tabulate(rows, HEADERS));
  return { cells, table, out };
}

// Peak resident set of the whole process (Linux), the figure `/usr/bin/time -v` reports.
function peakRssMB(): string {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? `${Math.round(Number(m[1]) / 1024)} MB` : "?";
  } catch {
    return "?";
  }
}

const impls: Impl[] = [];
let tmp: string | undefined;
if (BASE) {
  tmp = mkdtempSync(join(tmpdir(), "alpenhorn-bench-format-"));
  for (const f of ["format.ts", "table.ts", "pyfmt.ts", "pyjson.ts"]) {
    writeFileSync(join(tmp, f), execFileSync("git", ["-C", root, "show", `${BASE}:src/common/${f}`]));
  }
  impls.push(await load(`base ${BASE}`, tmp));
}
impls.push(await load("working tree", join(root, "src/common")));

console.log(`${ROWS} rows × 6 columns, best of ${RUNS} runs`);
console.log(`${"".padEnd(16)} ${"cells (ms)".padStart(11)} ${"tabulate (ms)".padStart(14)} ${"total (ms)".padStart(11)}`);
const results = impls.map((impl) => {
  const r = measure(impl);
  console.log(
    `${impl.label.padEnd(16)} ${r.cells.toFixed(1).padStart(11)} ${r.table.toFixed(1).padStart(14)} ${(r.cells + r.table).toFixed(1).padStart(11)}`,
  );
  return r;
});
if (results.length === 2) {
  const [a, b] = results as [(typeof results)[0], (typeof results)[0]];
  console.log(
    `speed-up: cells ${(a.cells / b.cells).toFixed(1)}×, tabulate ${(a.table / b.table).toFixed(1)}×, total ${((a.cells + a.table) / (b.cells + b.table)).toFixed(1)}×`,
  );
  console.log(a.out === b.out ? `outputs identical (${b.out.length} chars)` : "OUTPUTS DIFFER");
  if (a.out !== b.out) process.exitCode = 1;
}
console.log(`output ${results.at(-1)!.out.length} chars; peak RSS ${peakRssMB()}${BASE ? " (both runs in one process)" : ""}`);
if (tmp) rmSync(tmp, { recursive: true, force: true });
