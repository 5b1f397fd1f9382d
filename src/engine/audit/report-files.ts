// Writing an audit's report directory and metrics file. Every file is written to a temporary
// name and renamed, so a reader (or the textfile collector) never sees half a file.

import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditOutcome } from "./findings.ts";
import { findingsJsonl, LIST_FILES, metricsText, pathList, summaryJson, type RunInfo } from "./report.ts";

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** `<NODE>-<UTC timestamp>` (basic ISO 8601, e.g. `n1-20260102T030405Z`; `/` in a name becomes `_`). */
export function reportDirName(node: string, t0: Date): string {
  const stamp = t0.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${node.replace(/\//g, "_")}-${stamp}`;
}

/** Create the report directory under `parent` and write every file; returns its path. */
export function writeReport(parent: string, o: AuditOutcome, info: Omit<RunInfo, "reportDir">): string {
  let dir = join(parent, reportDirName(info.node, o.t0));
  // Two runs in the same second get distinct directories.
  for (let n = 2; ; n++) {
    try {
      mkdirSync(dir, { recursive: false });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") mkdirSync(parent, { recursive: true });
      else if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      else dir = join(parent, `${reportDirName(info.node, o.t0)}.${n}`);
    }
  }
  for (const [cls, file] of Object.entries(LIST_FILES)) writeAtomic(join(dir, file), pathList(o.findings.filter((f) => f.class === cls).map((f) => f.path)));
  writeAtomic(join(dir, "unknown.txt"), pathList(o.unknown.map((u) => u.path || ".")));
  if (o.verified) writeAtomic(join(dir, "corrupt.txt"), pathList(o.findings.filter((f) => f.class === "corrupt").map((f) => f.path)));
  writeAtomic(join(dir, "findings.jsonl"), findingsJsonl(o.findings));
  writeAtomic(join(dir, "summary.json"), JSON.stringify(summaryJson(o, { ...info, reportDir: dir }), null, 2) + "\n");
  return dir;
}

export function writeMetrics(path: string, o: AuditOutcome, node: string): void {
  writeAtomic(path, metricsText(o, node));
}
