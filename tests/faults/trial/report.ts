// The fault matrix's report: each finished trial (or fault test) is one record, appended as a
// JSON line to the file named by env FAULTS_REPORT when set (scripts/faults.sh gathers them), and
// summed per kind and database into the table the README shows.

import { appendFileSync } from "node:fs";

/** One row's worth of evidence from one trial. */
export interface TrialRecord {
  readonly kind: string;
  readonly backend: string;
  readonly seed: number;
  readonly passed: boolean;
  /** Faults delivered (SIGKILLs to a live daemon, a full disk, a changed source). */
  readonly faults: number;
  /** Faults that left work unfinished for the restart (kills only). */
  readonly midWork: number;
  readonly lost: number;
  readonly leftovers: number;
  /** Copies registered `Y` with wrong bytes, requests dropped, trees outside the roots touched. */
  readonly wrongY: number;
  readonly dropped: number;
  readonly touched: number;
  readonly ms: number;
}

const records: TrialRecord[] = [];

export function record(r: TrialRecord): void {
  records.push(r);
  const file = process.env.FAULTS_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(r)}\n`);
}

export const recorded = (): readonly TrialRecord[] => records;

/** The matrix: one line per kind and database, in the order first seen. */
export function matrix(rows: readonly TrialRecord[]): string {
  const groups = new Map<string, TrialRecord[]>();
  for (const r of rows) {
    const key = `${r.kind}\t${r.backend}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const head = ["kind", "database", "trials", "passed", "faults", "mid-work", "survived", "lost", "leftovers", "wrong Y", "dropped", "touched", "time"];
  const sum = (rs: TrialRecord[], f: (r: TrialRecord) => number) => rs.reduce((a, r) => a + f(r), 0);
  const lines = [...groups].map(([key, rs]) => [
    ...key.split("\t"),
    String(rs.length),
    String(rs.filter((r) => r.passed).length),
    String(sum(rs, (r) => r.faults)),
    String(sum(rs, (r) => r.midWork)),
    String(sum(rs, (r) => (r.passed ? r.faults : 0))),
    String(sum(rs, (r) => r.lost)),
    String(sum(rs, (r) => r.leftovers)),
    String(sum(rs, (r) => r.wrongY)),
    String(sum(rs, (r) => r.dropped)),
    String(sum(rs, (r) => r.touched)),
    `${(sum(rs, (r) => r.ms) / 1000).toFixed(0)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [fmt(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(fmt)].join("\n");
}
