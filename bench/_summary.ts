// The figures `npm run bench` ends with (bench/summary.ts): each bench records its headline
// figures here as it prints them, one JSON line per figure, in the file named by
// BENCH_SUMMARY_FILE (set by `npm run bench`; unset, nothing is recorded).

import { appendFileSync } from "node:fs";

export interface Figure {
  /** Which row of the summary (see summary.ts ROWS). */
  readonly key: string;
  readonly value: number;
  /** What it is compared with, measured in the same run (e.g. md5sum's seconds), if anything. */
  readonly baseline?: number;
  readonly note?: string;
}

export function record(f: Figure): void {
  const file = process.env.BENCH_SUMMARY_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(f)}\n`);
}
