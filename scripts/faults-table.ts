// Prints the fault matrix from the JSON lines the fault tests append to FAULTS_REPORT
// (scripts/faults.sh): one row per kind and database, then the totals.
// Usage: bun scripts/faults-table.ts REPORT.jsonl

import { readFileSync } from "node:fs";
import { matrix, type TrialRecord } from "../tests/faults/trial/report.ts";

const file = process.argv[2];
if (!file) {
  console.error("usage: bun scripts/faults-table.ts REPORT.jsonl");
  process.exit(2);
}
const rows = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as TrialRecord);
if (rows.length === 0) {
  console.log("(no trials recorded)");
  process.exit(0);
}
console.log(matrix(rows));
const sum = (f: (r: TrialRecord) => number) => rows.reduce((a, r) => a + f(r), 0);
console.log(
  `total: ${rows.length} trials, ${rows.filter((r) => r.passed).length} passed, ${sum((r) => r.faults)} faults delivered ` +
    `(${sum((r) => (r.passed ? r.faults : 0))} survived), ${sum((r) => r.lost)} files lost, ${sum((r) => r.leftovers)} leftovers, ` +
    `${sum((r) => r.wrongY)} wrong Y, ${sum((r) => r.dropped)} requests dropped, ${sum((r) => r.touched)} outside changes`,
);
