// One audit of one node, in order: the "before" snapshot (S0), the parallel listing classified
// as it arrives, the zero-listing guard, confirmation of the candidates (the "after" read S1
// and a re-stat), optional MD5 verification, history, and — only when asked — guarded
// actions. Pre-flight checks (node identity, host, lock) are the caller's (preflight.ts).

import type { Db } from "../../index/driver/types.ts";
import { markCopySuspectIfUnchanged } from "../../index/queries/audit.ts";
import { insertImportRequest } from "../../index/queries/requests.ts";
import type { AuditHistory } from "../../index/sidecar/audit-history.ts";
import { sightingKey } from "../../index/sidecar/audit-history.ts";
import { utcNow } from "../../common/time.ts";
import type { FsPool } from "../fs/threads/pool.ts";
import { Classifier, type Tally } from "./classify.ts";
import { confirm } from "./confirm.ts";
import { FINDING_CLASSES, type AuditOutcome, type Finding, type FindingClass } from "./findings.ts";
import type { IgnoreRules } from "./ignore.ts";
import { inSubset, type Budget, type Subset } from "./options.ts";
import { readSnapshot, readStates, type Snapshot, type SnapshotReader } from "./snapshot.ts";
import { verifySample } from "./verify.ts";
import { walk, type WalkSpec } from "./walker.ts";

export interface AuditParams {
  readonly db: Db;
  readonly pool: FsPool;
  readonly nodeId: number;
  readonly nodeName: string;
  readonly root: string;
  readonly rootDev: number;
  /** Root-relative directories the audit is restricted to (none: the whole root). */
  readonly scopes: readonly string[];
  readonly ignore: IgnoreRules;
  /** Other nodes' roots inside this root, absolute, with their names. */
  readonly nested: ReadonlyMap<string, string>;
  readonly minAgeSeconds: number;
  readonly threads: number;
  readonly opTimeout: number;
  readonly retries: number;
  readonly crossMounts: boolean;
  readonly verify: { readonly subset: Subset | null; readonly budget: Budget | null } | null;
  readonly history: AuditHistory | null;
  readonly fix: boolean;
  readonly registerNew: boolean;
  readonly confirmRuns: number;
  /** The options as given, for summary.json and the history. */
  readonly optionsRecord: Record<string, unknown>;
  readonly onProgress?: WalkSpec["onProgress"];
  /** Called as each phase ends (the CLI logs phase times and memory at --debug). */
  readonly onPhase?: (what: string, seconds?: number) => void;
  /** S0, when the caller started it already (startSnapshot: it may overlap the pre-flight's filesystem checks, never the walk). */
  readonly snapshot?: Promise<TimedSnapshot>;
  readonly hooks?: WalkSpec["hooks"] & { readonly afterSnapshot?: () => void | Promise<void> };
}

const tally = (): Tally => ({ count: 0, bytes: 0 });

/** What history remembers of a finding: a change in any of these restarts its count. */
function signature(f: Finding): string {
  return [f.has_file, f.last_update, f.disk_size, f.disk_mtime, f.md5].map((v) => v ?? "").join("|");
}

export interface TimedSnapshot {
  readonly snap: Snapshot;
  readonly seconds: number;
}

const relativeNested = (root: string, nested: ReadonlyMap<string, string>) => [...nested.keys()].map((abs) => abs.slice(root.length + 1));

/** S0: the node's copies in scope, not ignored, not under a nested node's root. */
export async function startSnapshot(p: Pick<AuditParams, "db" | "nodeId" | "root" | "scopes" | "ignore" | "nested"> & { reader?: SnapshotReader }): Promise<TimedSnapshot> {
  const start = performance.now();
  const nestedRel = relativeNested(p.root, p.nested);
  const underNested = nestedRel.length === 0 ? undefined : (path: string) => nestedRel.some((n) => path === n || path.startsWith(n + "/"));
  const snap = await readSnapshot(p.db, p.nodeId, p.scopes, p.ignore, underNested, p.reader);
  return { snap, seconds: (performance.now() - start) / 1000 };
}

/** How far before T0 a file's time may be and still belong to a write after T0 (coarse kernel clock). */
const TIMESTAMP_SLACK_MS = 20;

/** Files whose max(mtime, ctime) is at or after this (ms) are in flight, never reported. */
export function inFlightCutoff(t0Ms: number, minAgeSeconds: number): number {
  return t0Ms - minAgeSeconds * 1000 - TIMESTAMP_SLACK_MS;
}

export async function runAudit(p: AuditParams): Promise<AuditOutcome> {
  const warnings: string[] = [];
  const excluded: Array<{ path: string; why: string }> = [];
  const nestedRel = relativeNested(p.root, p.nested);
  const { snap, seconds } = await (p.snapshot ?? startSnapshot(p));
  p.onPhase?.(`index read (S0): ${snap.table.length} copies${snap.threaded ? ", read by a thread of its own" : ""}`, seconds);
  await p.hooks?.afterSnapshot?.();

  // T0: anything modified from here on (or within --min-age before) is in flight. The kernel
  // stamps mtime/ctime from its coarse clock (a tick behind, up to 10 ms), so a file written
  // just after T0 can carry a time just before it: those last TIMESTAMP_SLACK_MS count too.
  const t0 = new Date();
  const cutoff = inFlightCutoff(t0.getTime(), p.minAgeSeconds);
  const subset = p.verify?.subset ?? null;
  const classifier = new Classifier(snap.table, p.ignore, cutoff, p.verify ? (path) => (subset ? inSubset(subset, path) : true) : null);
  for (const rel of nestedRel) classifier.block(rel);
  const walked = await walk({
    pool: p.pool,
    root: p.root,
    starts: p.scopes.length ? p.scopes : [""],
    rootDev: p.rootDev,
    crossMounts: p.crossMounts,
    threads: p.threads,
    opTimeout: p.opTimeout,
    retries: p.retries,
    exclude: new Set(p.nested.keys()),
    classify: { cutoffMs: cutoff, ignore: p.ignore.patterns, verify: p.verify ? { subset } : null },
    expected: (rel) => snap.table.expected(rel),
    expectedCount: (rel) => snap.table.expectedCount(rel),
    onDir: (rel, v) => {
      for (const m of v.mounts) excluded.push({ path: rel ? `${rel}/${m}` : m, why: "other filesystem" });
      return classifier.merge(rel, v);
    },
    onExcluded: (rel) => excluded.push({ path: rel, why: `node ${p.nested.get(`${p.root}/${rel}`)}` }),
    onProgress: p.onProgress,
    hooks: p.hooks,
  });
  p.onPhase?.(`walk: ${classifier.counts.dirs} directories, ${classifier.counts.files} files`);
  const walkSeconds = (Date.now() - t0.getTime()) / 1000;
  for (const u of walked.unknown) classifier.block(u.path);

  const counts = classifier.counts;
  // An unmounted disk, a wrong root or a wiped tree must never read as "everything missing".
  const zeroListing = counts.files === 0 && snap.expectedPresent > 0;
  let findings: Finding[] = [];
  let changedDuring = 0;
  let verified: AuditOutcome["verified"] = null;
  let indexAfterRead: Date | null = null;
  if (zeroListing) warnings.push(`zero-listing guard: the index holds ${snap.expectedPresent} present copies in scope and the walk found no files; nothing reported`);
  else {
    indexAfterRead = new Date();
    const c = await confirm(p.db, p.nodeId, p.pool, p.root, snap.table, { missing: classifier.missingCandidates(), mismatches: classifier.mismatches, orphans: classifier.orphans }, p.opTimeout);
    p.onPhase?.(`confirmation: ${c.findings.length} findings, ${c.changed} changed during the audit`);
    findings = c.findings;
    changedDuring = c.changed;
    if (p.verify) {
      const v = await verifySample(p.db, p.pool, p.root, snap.table, classifier.verifiable, p.verify.budget, p.threads, p.opTimeout);
      // A corrupt finding also needs the row unchanged since S0 (a pull may be rewriting it).
      const states = await readStates(p.db, v.findings.map((f) => f.copy_id!));
      for (const f of v.findings) {
        const s = states.get(f.copy_id!);
        const row = snap.table.rowOf(f.path)!;
        if (s && s.has === "Y" && s.state === snap.table.state[row]) findings.push({ ...f, last_update: s.lastUpdate });
        else changedDuring++;
      }
      verified = { files: v.files, bytes: v.bytes };
    }
  }
  if (walked.unknown.length) warnings.push(`${walked.unknown.length} director${walked.unknown.length === 1 ? "y" : "ies"} could not be listed: the audit is incomplete`);

  const classes = Object.fromEntries(FINDING_CLASSES.map((k) => [k, tally()])) as Record<FindingClass, Tally>;
  for (const f of findings) {
    classes[f.class].count++;
    classes[f.class].bytes += (f.class === "missing" ? f.index_size : f.disk_size) ?? 0;
  }
  const status: 0 | 1 | 3 = zeroListing || walked.unknown.length > 0 ? 3 : findings.length > 0 ? 1 : 0;
  const t1 = new Date();
  const outcome: AuditOutcome = {
    findings,
    unknown: walked.unknown,
    excluded,
    counts,
    classes,
    changedDuring,
    expectedPresent: snap.expectedPresent,
    zeroListing,
    retries: walked.retries,
    verified,
    t0,
    t1,
    indexAfterRead,
    walkSeconds,
    warnings,
    status,
    history: null,
    actions: { attempted: 0, applied: 0, skippedChanged: 0, awaitingConfirmation: 0 },
  };

  if (p.history) {
    const diff = p.history.record(p.nodeName, t0.toISOString(), t1.toISOString(), status, JSON.stringify({ options: p.optionsRecord }), findings.map((f) => ({ cls: f.class, path: f.path, signature: signature(f) })));
    for (const f of findings) f.sightings = diff.sightings.get(sightingKey(f.class, f.path)) ?? 1;
    outcome.history = { new: diff.new, persisting: diff.persisting, resolved: diff.resolved, previousRun: diff.previousRun };
  }
  // Actions never follow an incomplete run, and never a finding seen fewer than confirmRuns times.
  if ((p.fix || p.registerNew) && status !== 3) await act(p, findings, outcome);
  return outcome;
}

async function act(p: AuditParams, findings: Finding[], outcome: AuditOutcome): Promise<void> {
  const a = outcome.actions;
  for (const f of findings) {
    // A copy already suspect (M) is queued for the daemon's check: nothing to write.
    const wanted = (p.fix && f.class !== "orphan" && f.has_file === "Y") || (p.registerNew && f.class === "orphan");
    if (!wanted) continue;
    if (f.sightings < p.confirmRuns) {
      a.awaitingConfirmation++;
      continue;
    }
    a.attempted++;
    if (f.class === "orphan") {
      await insertImportRequest(p.db, p.nodeId, f.path, { recurse: false, register: true });
      f.action = "import-requested";
      a.applied++;
    } else if (await markCopySuspectIfUnchanged(p.db, f.copy_id!, f.has_file!, f.last_update!, utcNow())) {
      f.action = "marked-suspect";
      a.applied++;
    } else {
      f.action = "changed-since";
      a.skippedChanged++;
    }
  }
}
