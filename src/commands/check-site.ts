// `alpenhorn check-site NODE`: the one-shot consistency audit of a node (engine/audit/). This
// file is the CLI edge only: options to parameters, pre-flight and lock, the run, then the
// outputs (stdout table or JSON, report directory, metrics file) and the exit status.

import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { AuditIncompleteError, AuditStartError, ExitRequest, IndexError, UsageError } from "../common/errors.ts";
import { IgnoreRules } from "../engine/audit/ignore.ts";
import { parseBudget, parseDuration, parseSubset, type Budget, type Subset } from "../engine/audit/options.ts";
import { checkNode, checkRoot } from "../engine/audit/preflight.ts";
import { findingLines, summaryJson, summaryTable } from "../engine/audit/report.ts";
import { writeMetrics, writeReport } from "../engine/audit/report-files.ts";
import { runAudit, startSnapshot } from "../engine/audit/run.ts";
import { auditTestHooks } from "../engine/audit/test-hooks.ts";
import { FsPool } from "../engine/fs/threads/pool.ts";
import { AuditHistory, AuditLock } from "../index/sidecar/audit-history.ts";
import { defineCommand } from "./_shared/define.ts";
import { normalisePath, resolveNode } from "./_shared/resolve.ts";
import type { CommandContext } from "./_shared/context.ts";
import type { SnapshotReader } from "../engine/audit/snapshot.ts";
import { parseDatabaseUrl } from "../index/connect.ts";

const EXIT_STATUS = `\b
Exit status:
  0  consistent
  1  inconsistencies found
  2  usage error
  3  audit incomplete or stopped by a safety guard (unknown subtrees; the index holds files and the walk found none)
  4  could not start (pre-flight refusal, configuration, database or lock error)`;

function usage(fn: () => unknown, option: string): never | unknown {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(`Invalid value for '${option}': ${(err as Error).message}`);
  }
}

export default defineCommand({
  meta: { name: "check-site", description: "Audit a node's files against the Data Index." },
  help: `Audit a node's files against the Data Index.

Lists NODE's root (on this host) and compares it with the copies the Data Index records there: missing files (registered present or suspect, absent on disk), orphans (on disk, not registered on this node), size mismatches and unreadable or timed-out directories (unknown: never reported missing). Read-only unless --fix or --register-new is given.  The daemon may keep running: the index is read before and after the listing, and anything that changes during the audit is not reported.

Writes a report directory NODE-TIMESTAMP/ (summary.json, findings.jsonl, missing.txt, orphan.txt, mismatch.txt, unknown.txt) in the current directory or under --report-dir.

${EXIT_STATUS}`,
  startupExit: 4,
  options: {
    allowInactive: { names: ["--allow-inactive"], kind: "flag", help: "Audit the node even if it is not active." },
    anyHost: { names: ["--any-host"], kind: "flag", help: "Audit the node even if its host is not this host." },
    crossMounts: { names: ["--cross-mounts"], kind: "flag", help: "Descend into other filesystems mounted below the root." },
    path: { names: ["--path"], kind: "value", multiple: true, metavar: "SUBDIR", help: "Restrict the audit to SUBDIR (relative to the node root).  May be repeated." },
    acq: { names: ["--acq"], kind: "value", multiple: true, metavar: "NAME", help: "Restrict the audit to acquisition NAME.  May be repeated." },
    ignore: { names: ["--ignore"], kind: "value", multiple: true, metavar: "GLOB", help: "Also ignore paths (relative to the root) matching GLOB.  May be repeated." },
    minAge: { names: ["--min-age"], kind: "value", metavar: "DUR", help: "Ignore files modified less than DUR before the listing began (default: 0)." },
    threads: { names: ["--threads"], kind: "value", type: "int", metavar: "N", help: "Directories listed in parallel (default: the number of cores, 2 to 4)." },
    retries: { names: ["--retries"], kind: "value", type: "int", metavar: "N", help: "Retries of a directory after a transient error (default: 3)." },
    opTimeout: { names: ["--op-timeout"], kind: "value", metavar: "DUR", help: "Time one directory listing may take before it is unknown (default: 120s)." },
    verify: { names: ["--verify"], kind: "value", metavar: "size|md5", help: "md5: also check the MD5 of a sample of the files (default: size)." },
    verifySubset: { names: ["--verify-subset"], kind: "value", metavar: "k/n|x%", help: "With --verify md5: hash slice k of n (by path) or x% of the files." },
    verifyBudget: { names: ["--verify-budget"], kind: "value", metavar: "DUR|BYTES", help: "With --verify md5: stop hashing after DUR or BYTES." },
    fix: { names: ["--fix"], kind: "flag", help: "Mark missing, mismatched and corrupt copies suspect (has_file='M') so the daemon re-checks them; only findings seen unchanged in --confirm-runs runs." },
    registerNew: { names: ["--register-new"], kind: "flag", help: "File import requests for orphans seen in --confirm-runs runs." },
    confirmRuns: { names: ["--confirm-runs"], kind: "value", type: "int", metavar: "N", default: 2, help: "Runs a finding must be seen in, unchanged, before it is acted on (default: 2)." },
    stateDir: { names: ["--state-dir"], kind: "value", metavar: "DIR", help: "Where run history and the lock live (default: beside the first config file read)." },
    reportDir: { names: ["--report-dir"], kind: "value", metavar: "DIR", help: "Write the report directory under DIR (default: the current directory)." },
    format: { names: ["--format"], kind: "value", metavar: "text|json", default: "text", help: "json: print the summary as JSON instead of the table." },
    limit: { names: ["--limit"], kind: "value", type: "int", metavar: "N", default: 20, help: "Findings printed per class (default: 20)." },
    metricsFile: { names: ["--metrics-file"], kind: "value", metavar: "PATH", help: "Write Prometheus metrics to PATH (node-exporter textfile collector)." },
  },
  args: [{ name: "NODE", required: true }],
  async run(ctx, a) {
    if (a.format !== "text" && a.format !== "json") throw new UsageError(`Invalid value for '--format': '${a.format}' is not one of 'text', 'json'.`);
    const verifyMode = a.verify ?? "size";
    if (!["none", "size", "md5"].includes(verifyMode)) throw new UsageError(`Invalid value for '--verify': '${verifyMode}' is not one of 'none', 'size', 'md5'.`);
    if ((a.verifySubset || a.verifyBudget) && verifyMode !== "md5") throw new UsageError("--verify-subset and --verify-budget need --verify md5");
    const subset = a.verifySubset ? (usage(() => parseSubset(a.verifySubset!), "--verify-subset") as Subset) : null;
    const budget = a.verifyBudget ? (usage(() => parseBudget(a.verifyBudget!), "--verify-budget") as Budget) : null;
    const minAge = a.minAge ? (usage(() => parseDuration(a.minAge!), "--min-age") as number) : 0;
    const opTimeout = a.opTimeout ? (usage(() => parseDuration(a.opTimeout!), "--op-timeout") as number) : 120;
    // Measured on 2 cores (bench/check-site.ts): threads beyond the cores only add contention.
    const threads = a.threads ?? Math.min(4, Math.max(2, availableParallelism()));
    if (threads < 1 || threads > 64) throw new UsageError("Invalid value for '--threads': must be between 1 and 64.");
    const retries = a.retries ?? 3;
    if (retries < 0) throw new UsageError("Invalid value for '--retries': must not be negative.");
    if (a.confirmRuns < 1) throw new UsageError("Invalid value for '--confirm-runs': must be at least 1.");
    const scopes: string[] = [];
    for (const p of [...a.path, ...a.acq]) {
      const n = normalisePath(p);
      if (n.startsWith("/") || n === "." || n === ".." || n.startsWith("../")) throw new UsageError(`Invalid value for '--path' / '--acq': '${p}' must be relative to the node root.`);
      scopes.push(n);
    }

    const db = ctx.db;
    const host = ctx.config.hostname();
    const node = await resolveNode(db, a.node).catch((err) => {
      throw new AuditStartError(err instanceof IndexError ? `database error: ${err.message}` : (err as Error).message);
    });
    const stateDir = resolve(ctx.cwd, a.stateDir ?? dirname(ctx.config.files[0] ?? resolve(ctx.cwd, "x")));
    const lock = (() => {
      try {
        return AuditLock.tryAcquire(`${stateDir}/check-site-${encodeURIComponent(node.name)}.lock`);
      } catch (err) {
        throw new AuditStartError((err as Error).message);
      }
    })();
    if (lock === null) throw new AuditStartError(`another check-site of node "${node.name}" is running`);
    const started = performance.now();
    const pool = new FsPool({ minThreads: threads, maxThreads: threads + 32, timeout: opTimeout });
    let history: AuditHistory | null = null;
    try {
      const pre = await checkNode(db, node, { allowInactive: a.allowInactive, anyHost: a.anyHost, host, timeout: opTimeout });
      const ignore = new IgnoreRules(a.ignore);
      // S0 (read-only) runs while the fs threads start and check the root; the walk waits for both.
      const reader = snapshotReader(ctx);
      const snapshot = startSnapshot({ db, nodeId: node.id, root: pre.root, scopes, ignore, nested: pre.nested, reader });
      snapshot.catch(() => undefined);
      const rootDev = await checkRoot(pool, node.name, pre.root, opTimeout);
      try {
        history = AuditHistory.open(`${stateDir}/check-site.sqlite`);
      } catch (err) {
        throw new AuditStartError((err as Error).message);
      }
      const options = { ...a, verify: verifyMode, threads, retries, minAgeSeconds: minAge, opTimeoutSeconds: opTimeout, stateDir };
      const progress = progressLine(ctx.io.stderrIsTTY === true && a.format === "text", (t) => ctx.io.stderr(t));
      let walking = false;
      let lastPhase = started;
      const phase = (what: string, seconds?: number) => {
        const now = performance.now();
        ctx.log.debug(`check-site: ${what} (${(seconds ?? (now - lastPhase) / 1000).toFixed(3)} s, at ${(now / 1000).toFixed(3)} s; RSS ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB)`);
        lastPhase = now;
      };
      phase("pre-flight and history (S0 overlapping)");
      const outcome = await runAudit({
        db,
        pool,
        nodeId: node.id,
        nodeName: node.name,
        root: pre.root,
        rootDev,
        scopes,
        ignore,
        nested: pre.nested,
        minAgeSeconds: minAge,
        threads,
        opTimeout,
        retries,
        crossMounts: a.crossMounts,
        verify: verifyMode === "md5" ? { subset, budget } : null,
        history,
        fix: a.fix,
        registerNew: a.registerNew,
        confirmRuns: a.confirmRuns,
        optionsRecord: options,
        onProgress: progress.update,
        onPhase: phase,
        snapshot,
        hooks: {
          ...auditTestHooks.current,
          afterSnapshot: async () => {
            walking = true;
            await auditTestHooks.current?.afterSnapshot?.();
          },
        },
      }).catch((err) => {
        if (!(err instanceof IndexError)) throw err;
        throw walking ? new AuditIncompleteError(`database error during the audit: ${err.message}`) : new AuditStartError(`database error: ${err.message}`);
      });
      progress.done();
      const info = { node: node.name, host, root: pre.root, options };
      const reportDir = writeReport(resolve(ctx.cwd, a.reportDir ?? "."), outcome, info);
      if (a.metricsFile) writeMetrics(resolve(ctx.cwd, a.metricsFile), outcome, node.name);
      phase("history, report files");
      if (a.format === "json") ctx.out.print(JSON.stringify(summaryJson(outcome, { ...info, reportDir }), null, 2));
      else {
        ctx.out.echo(summaryTable(outcome));
        for (const line of findingLines(outcome, a.limit)) ctx.out.echo(line);
        ctx.out.echo(`Report: ${reportDir}`);
      }
      if (outcome.status !== 0) throw new ExitRequest(outcome.status);
    } finally {
      history?.close();
      pool.close();
      lock.release();
    }
  },
});

/** A live `\r` progress line on a terminal (at most 4 updates a second); nothing otherwise. */
function progressLine(enabled: boolean, write: (text: string) => void) {
  const start = performance.now();
  // The first update draws at once; later ones at most every 250 ms.
  let last = -Infinity;
  let shown = false;
  return {
    update: (dirs: number, files: number) => {
      if (!enabled) return;
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      const s = (now - start) / 1000;
      write(`\r\x1b[K${dirs} directories, ${files} files, ${Math.round(files / Math.max(s, 0.001))} files/s, ${s.toFixed(0)} s`);
      shown = true;
    },
    done: () => {
      if (shown) write("\r\x1b[K");
    },
  };
}

/**
 * Where a thread of its own can read the snapshot: a SQLite index opened from the config's URL
 * (snapshot-thread.ts); none for MySQL, whose driver reads off this thread already, or for a
 * connection a database extension made.
 */
function snapshotReader(ctx: CommandContext): SnapshotReader | undefined {
  if (ctx.extensions.database) return undefined;
  const url = ctx.config.mapping("database", {}).url;
  if (typeof url !== "string") return undefined;
  try {
    return parseDatabaseUrl(url, ctx.cwd).kind === "sqlite" ? { url, cwd: ctx.cwd } : undefined;
  } catch {
    return undefined;
  }
}
