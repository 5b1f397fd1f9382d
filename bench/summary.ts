// `bun bench/summary.ts`: the table `npm run bench` ends with: each headline figure recorded by
// the benches of this run (bench/_summary.ts), its target and whether it is met.

import { existsSync, readFileSync } from "node:fs";
import type { Figure } from "./_summary.ts";

interface Row {
  readonly key: string;
  readonly work: string;
  /** Formats the figure (and its baseline). */
  readonly show: (f: Figure) => string;
  readonly target: string;
  /** Absent: a figure shown for comparison, with no target of its own. */
  readonly met?: (f: Figure) => boolean;
}

const s = (x: number) => `${x.toFixed(2)} s`;
/** Files in a bench/original.ts figure (its note starts `N=…`). */
const nOf = (f: Figure) => Number(/N=(\d+)/.exec(f.note ?? "")?.[1] ?? 0);
const vsOriginal = (f: Figure) => {
  const late = /original timed out/.test(f.note ?? "");
  return `${s(f.value)} vs ${late ? "> " : ""}${s(f.baseline!)}: ${late ? "> " : ""}${(f.baseline! / f.value).toFixed(0)}× (${nOf(f).toLocaleString("en")} files)`;
};
const ROWS: Row[] = [
  { key: "import10k", work: "import 10k 1 KiB files (scan, serve --once)", show: (f) => s(f.value), target: "≤ 1 s", met: (f) => f.value <= 1 },
  { key: "sync10k", work: "sync 10k to a local node (hard links)", show: (f) => `${s(f.value)} (cp -al ${s(f.baseline!)})`, target: "≤ 1 s", met: (f) => f.value <= 1 },
  { key: "verify10k", work: "verify 10k (node verify --all, serve --once)", show: (f) => `${s(f.value)} (md5sum ${s(f.baseline!)})`, target: "≤ 1 s", met: (f) => f.value <= 1 },
  { key: "delete10k", work: "delete 10k released copies", show: (f) => `${s(f.value)} (rm -rf ${s(f.baseline!)})`, target: "≤ 1 s", met: (f) => f.value <= 1 },
  { key: "md5big", work: "MD5 of a cached big file by the daemon", show: (f) => `${(f.baseline! / f.value).toFixed(2)}× md5sum's rate`, target: "≥ 1.0×", met: (f) => f.baseline! / f.value >= 1 },
  { key: "version", work: "alpenhorn --version", show: (f) => `${(f.value * 1000).toFixed(0)} ms`, target: "≤ 30 ms", met: (f) => f.value <= 0.03 },
  { key: "nodestats", work: "node stats on a big index", show: (f) => `${s(f.value)} (${f.note})`, target: "≤ 0.1 s", met: (f) => f.value <= 0.1 },
  { key: "filelist", work: "file list --node=N on a big index", show: (f) => `${s(f.value)} (${f.note})`, target: "≤ 1.5 s", met: (f) => f.value <= 1.5 },
  { key: "mariadb.import", work: "MariaDB: import 10k", show: (f) => s(f.value), target: "≤ 3 s", met: (f) => f.value <= 3 },
  { key: "mariadb.sync", work: "MariaDB: sync 10k", show: (f) => s(f.value), target: "≤ 3 s", met: (f) => f.value <= 3 },
  { key: "mariadb.verify", work: "MariaDB: verify 10k", show: (f) => s(f.value), target: "≤ 3 s", met: (f) => f.value <= 3 },
  { key: "checksite", work: "check-site vs find -printf (largest size run)", show: (f) => `${(f.value / f.baseline!).toFixed(2)}× (${f.note})`, target: "≤ 1.0×", met: (f) => f.value / f.baseline! <= 1 },
  // bench/original.ts: ours against the Python original in the same run (value: ours; baseline: the original).
  { key: "original.import", work: "import vs the Python original, same run", show: vsOriginal, target: "≤ 1 s, ≥ 50×", met: (f) => f.value <= 1 && f.baseline! / f.value >= 50 && nOf(f) >= 10_000 },
  { key: "original.sync", work: "sync vs the Python original, same run (WAL)", show: vsOriginal, target: "-" },
  { key: "original.verify", work: "verify vs the Python original, same run", show: vsOriginal, target: "-" },
  { key: "pullremote", work: "1 GiB remote pull vs rsync alone", show: (f) => `${(f.value / f.baseline!).toFixed(2)}×`, target: "≤ 1.2×", met: (f) => f.value / f.baseline! <= 1.2 },
];

const file = process.env.BENCH_SUMMARY_FILE;
const figures = new Map<string, Figure>();
if (file && existsSync(file)) {
  for (const line of readFileSync(file, "utf8").split("\n")) if (line) figures.set((JSON.parse(line) as Figure).key, JSON.parse(line) as Figure);
}
const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`\nSummary of this run (medians; load average now ${load})`);
const table = ROWS.map((r) => {
  const f = figures.get(r.key);
  return [r.work, f ? r.show(f) : "not measured", r.target, f && r.met ? (r.met(f) ? "met" : "MISSED") : "-"];
});
const widths = [0, 1, 2, 3].map((i) => Math.max(...table.map((t) => t[i]!.length), ["work", "figure", "target", ""][i]!.length));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(line(["work", "figure", "target", ""]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const t of table) console.log(line(t));
