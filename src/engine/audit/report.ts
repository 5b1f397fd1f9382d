// The audit's outputs as text (pure): the stdout table in `node stats` style, the findings
// lines, summary.json (versioned), findings.jsonl, the sorted path lists and the Prometheus
// textfile. Writing them is report-files.ts's job.

import { formatFixed, prettyBytes } from "../../common/format.ts";
import { tabulate, type Align } from "../../common/table.ts";
import { FINDING_CLASSES, type AuditOutcome, type Finding, type FindingClass } from "./findings.ts";

export const SUMMARY_SCHEMA = "alpenhorn-check-site/1";

/**
 * One path per line, whatever bytes its name holds: backslash, newline, tab, carriage return
 * and other control characters are escaped (`\\`, `\n`, `\t`, `\r`, `\xNN`).
 */
export function escapePath(p: string): string {
  return p.replace(/[\\\x00-\x1f\x7f]/g, (ch) => {
    if (ch === "\\") return "\\\\";
    if (ch === "\n") return "\\n";
    if (ch === "\t") return "\\t";
    if (ch === "\r") return "\\r";
    return "\\x" + ch.charCodeAt(0).toString(16).padStart(2, "0");
  });
}

/** Sorted by UTF-8 bytes (`LC_ALL=C sort`), which UTF-16 order is not for astral characters. */
export function sortBytewise(paths: readonly string[]): string[] {
  const enc = paths.map((p) => ({ p, b: Buffer.from(p, "utf8") }));
  enc.sort((x, y) => Buffer.compare(x.b, y.b));
  return enc.map((e) => e.p);
}

export function pathList(paths: readonly string[]): string {
  return sortBytewise(paths)
    .map((p) => escapePath(p) + "\n")
    .join("");
}

const sizeOrDash = (n: number) => (n > 0 ? prettyBytes(n) : "-");

export interface RunInfo {
  readonly node: string;
  readonly host: string;
  readonly root: string;
  readonly options: Record<string, unknown>;
  readonly reportDir: string | null;
}

/** The stdout table: counts and bytes per class, then the listing rate and unknown directories. */
export function summaryTable(o: AuditOutcome): string {
  const rows: unknown[][] = [
    ["ok", o.counts.ok.count, sizeOrDash(o.counts.ok.bytes)],
    ...FINDING_CLASSES.filter((c) => c !== "corrupt" || o.verified).map((c) => [c, o.classes[c].count, sizeOrDash(o.classes[c].bytes)]),
    ["unknown dirs", o.unknown.length, "-"],
    ["in flight", o.counts.young.count, sizeOrDash(o.counts.young.bytes)],
    ["ignored", o.counts.ignored.count, sizeOrDash(o.counts.ignored.bytes)],
  ];
  const colAlign: Align[] = ["left", "right", "right"];
  const rate = o.walkSeconds > 0 ? o.counts.files / o.walkSeconds : 0;
  const lines = [tabulate(rows, ["Class", "Files", "Total Size"], { colAlign })];
  lines.push(`Listed ${o.counts.dirs} directories, ${o.counts.files} files in ${formatFixed(o.walkSeconds, 2)} s (${Math.round(rate)} files/s).`);
  if (o.changedDuring) lines.push(`${o.changedDuring} candidates changed during the audit and were not reported.`);
  if (o.history) lines.push(`Since the last run: ${o.history.new} new, ${o.history.persisting} persisting, ${o.history.resolved} resolved.`);
  const a = o.actions;
  if (a.attempted || a.awaitingConfirmation) lines.push(`Actions: ${a.applied} applied, ${a.skippedChanged} skipped (changed), ${a.awaitingConfirmation} awaiting confirmation.`);
  for (const w of o.warnings) lines.push(`Warning: ${w}`);
  return lines.join("\n");
}

/** Up to `limit` findings per class, and unknown directories, one line each. */
export function findingLines(o: AuditOutcome, limit: number): string[] {
  const out: string[] = [];
  if (limit <= 0) return out;
  for (const cls of FINDING_CLASSES) {
    const list = sortBytewise(o.findings.filter((f) => f.class === cls).map((f) => f.path));
    for (const p of list.slice(0, limit)) out.push(`${cls}: ${escapePath(p)}`);
    if (list.length > limit) out.push(`${cls}: … ${list.length - limit} more`);
  }
  const unknown = o.unknown.slice(0, limit);
  for (const u of unknown) out.push(`unknown: ${escapePath(u.path || ".")} (${u.reason})`);
  if (o.unknown.length > limit) out.push(`unknown: … ${o.unknown.length - limit} more`);
  return out;
}

export function summaryJson(o: AuditOutcome, info: RunInfo): Record<string, unknown> {
  const byClass = Object.fromEntries(FINDING_CLASSES.map((c) => [c, { ...o.classes[c] }]));
  return {
    schema: SUMMARY_SCHEMA,
    node: info.node,
    host: info.host,
    root: info.root,
    options: info.options,
    start: o.t0.toISOString(),
    end: o.t1.toISOString(),
    index_after_read: o.indexAfterRead?.toISOString() ?? null,
    walk: {
      directories: o.counts.dirs,
      files: o.counts.files,
      bytes: o.counts.bytes,
      seconds: o.walkSeconds,
      files_per_second: o.walkSeconds > 0 ? Math.round(o.counts.files / o.walkSeconds) : null,
      retries: o.retries,
      unknown_directories: o.unknown.length,
      excluded: o.excluded,
      specials: o.counts.specials,
    },
    index: { present_in_scope: o.expectedPresent },
    classes: { ok: { ...o.counts.ok }, ...byClass, in_flight: { ...o.counts.young }, ignored: { ...o.counts.ignored }, recorded_corrupt: { ...o.counts.recordedCorrupt } },
    unknown: o.unknown,
    changed_during_audit: o.changedDuring,
    verified: o.verified,
    history: o.history,
    actions: o.actions,
    report_dir: info.reportDir,
    exit_status: o.status,
    warnings: o.warnings,
  };
}

export function findingsJsonl(findings: readonly Finding[]): string {
  return findings.map((f) => JSON.stringify(f) + "\n").join("");
}

/** Prometheus text exposition for node-exporter's textfile collector. */
export function metricsText(o: AuditOutcome, node: string): string {
  const l = `node="${node.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : "\\" + c))}"`;
  const lines: string[] = [
    "# HELP alpenhorn_check_site_findings Findings of the last audit, by class.",
    "# TYPE alpenhorn_check_site_findings gauge",
  ];
  for (const c of FINDING_CLASSES) lines.push(`alpenhorn_check_site_findings{${l},class="${c}"} ${o.classes[c].count}`);
  lines.push("# HELP alpenhorn_check_site_finding_bytes Bytes of the findings of the last audit, by class.", "# TYPE alpenhorn_check_site_finding_bytes gauge");
  for (const c of FINDING_CLASSES) lines.push(`alpenhorn_check_site_finding_bytes{${l},class="${c}"} ${o.classes[c].bytes}`);
  const gauge = (name: string, help: string, v: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}{${l}} ${v}`);
  gauge("alpenhorn_check_site_unknown_directories", "Directories the last audit could not list.", o.unknown.length);
  gauge("alpenhorn_check_site_files", "Files listed by the last audit.", o.counts.files);
  gauge("alpenhorn_check_site_duration_seconds", "Duration of the last audit.", (o.t1.getTime() - o.t0.getTime()) / 1000);
  gauge("alpenhorn_check_site_exit_status", "Exit status of the last audit (0 consistent, 1 findings, 3 incomplete).", o.status);
  gauge("alpenhorn_check_site_last_run_timestamp_seconds", "End of the last audit (Unix time).", Math.floor(o.t1.getTime() / 1000));
  return lines.join("\n") + "\n";
}

export const LIST_FILES: Record<Exclude<FindingClass, "corrupt">, string> = { missing: "missing.txt", orphan: "orphan.txt", mismatch: "mismatch.txt" };
