// `alpenhorn serve`: start-up (alpenhorn/daemon/entry.py at 632dd41), the worker pool, signals, the update loop and the
// orderly exit. Returns the exit status: 0 after a completed --once run or SIGTERM; 1 on
// SIGINT or global abort. Start-up errors are thrown for the CLI edge to report.

import type { Config } from "../common/config.ts";
import { loadConfig } from "../common/config.ts";
import { AlpenhornError, CliError, ConfigError, IndexError } from "../common/errors.ts";
import { prettyDeltaT } from "../common/format.ts";
import { LEVELS, Logger, type LevelName, type LogSink } from "../common/logger.ts";
import { connectIndex } from "../index/connect.ts";
import type { Driver } from "../index/driver/types.ts";
import { CORE_SCHEMA_VERSION } from "../index/schema.ts";
import { detectLayout } from "../index/layout/detect.ts";
import { checkSchemaVersion } from "../index/version.ts";
import { commandService } from "./io/commands.ts";
import { remotePullSettings } from "./io/remote-settings.ts";
import { StopState, type DaemonContext } from "./context.ts";
import { initExtensions } from "./extensions/init.ts";
import { Recorder } from "./integrity/recorder.ts";
import { loadExtensions } from "./extensions/load.ts";
import { fsService } from "./fs/service.ts";
import { FsPool } from "./fs/threads/pool.ts";
import { BatchingSink, configureSinks, StartupBuffer } from "./log-sinks.ts";
import { UpdateLoop } from "./loop.ts";
import { Metrics, serveMetrics } from "./metrics.ts";
import { FairMultiFIFOQueue } from "./scheduler/queue.ts";
import { EmptyPool, WorkerPool, serialIO, type Pool } from "./scheduler/pool.ts";
import type { Task } from "./scheduler/task.ts";
import { UpDownLock } from "./scheduler/tree-lock.ts";
import type { Subscribe } from "./watch/watcher.ts";

export interface DaemonOptions {
  readonly confFile?: string;
  readonly testIsolation: boolean;
  readonly once: boolean;
  /** Run even when daemon.archive_copy_count is below 2 (upstream's --disable-archive-integrity). */
  readonly disableArchiveIntegrity?: boolean;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  /** Where the daemon log goes (stderr in the binary). */
  readonly stderr: LogSink;
  /** Install process signal handlers (off for in-process tests). */
  readonly signals?: boolean;
  /** Test seam: a stop state the caller can trigger. */
  readonly stop?: StopState;
  readonly subscribe?: Subscribe;
}

/** How long shutdown waits for workers to finish their current task. */
const SHUTDOWN_GRACE_S = 3;
/** fs threads that may be blocked at once on hung mounts before other calls must wait. */
const SPARE_FS_THREADS = 32;

function logLevel(config: Config): LevelName {
  const raw = config.str("logging.level", "INFO").toUpperCase();
  // alpenhorn crashes here (ValueError, traceback); a malformed config gets one clear line.
  if (!(raw in LEVELS)) throw new ConfigError(`Log level ${raw} defined by logging.level is not valid`);
  return raw as LevelName;
}

/** Sleep up to `seconds`, waking early when the daemon stops. */
function pause(seconds: number, signal: AbortSignal): Promise<void> {
  if (seconds <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, seconds * 1000);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export async function runDaemon(opts: DaemonOptions): Promise<number> {
  const buffer = new StartupBuffer();
  // stderr gets a turn's lines in one write (log-sinks.ts: BatchingSink).
  const out = opts.stderr;
  const stderr = new BatchingSink((lines, levels) => {
    if (out.writeLines) out.writeLines(lines, levels);
    else for (const [i, line] of lines.entries()) out.write(line, levels[i]!);
  });
  const log = new Logger("daemon", "DEBUG", [stderr, buffer]);
  const phase = { running: false };
  try {
    return await daemon(opts, log, buffer, phase);
  } catch (err) {
    // Start-up errors and config errors are click's `Error: …` (the CLI edge prints them);
    // anything else is alpenhorn's excepthook: `Fatal error!` with the traceback, in the
    // daemon log (so also in a log file), exit 1.
    if (err instanceof ConfigError || err instanceof CliError || (!phase.running && err instanceof AlpenhornError)) throw err;
    log.error(`Fatal error!\n${err instanceof Error ? (err.stack ?? String(err)) : String(err)}`);
    return 1;
  } finally {
    log.closeSinks();
  }
}

async function daemon(opts: DaemonOptions, log: Logger, buffer: StartupBuffer, phase: { running: boolean }): Promise<number> {
  log.info("Alpenhorn start.");
  const config = loadConfig({ confFile: opts.confFile, testIsolation: opts.testIsolation, env: opts.env, cwd: opts.cwd, log });
  log.setLevel(logLevel(config));
  configureSinks(config, log, buffer, opts.env);

  const extensions = await loadExtensions(config.list("extensions", []), log, opts.cwd);
  let db: Driver;
  if (extensions.database) {
    // Stage 1: nothing to check against the index yet (there is none).
    log.info(`Initialised Extension ${extensions.database.fullName} v${extensions.database.ext.version}`);
    log.info(`Using database extension ${extensions.database.fullName}.`);
    db = await extensions.database.ext.connect(config.mapping("database", {}));
  } else {
    log.debug("Using internal database module.");
    db = await connectIndex(config.mapping("database", {}), { cwd: opts.cwd });
  }
  const stop = opts.stop ?? new StopState();
  const handlers: Array<[NodeJS.Signals, () => void]> = [];
  let stopMetrics: (() => void) | undefined;
  let pool: Pool | undefined;
  let loop: UpdateLoop | undefined;
  let fsPool: FsPool | undefined;
  let recorder: Recorder | undefined;
  try {
    await checkSchemaVersion(db, CORE_SCHEMA_VERSION);
    await detectLayout(db);
    // Later than 632dd41 (89943e0): fewer than two archive copies cannot protect a file.
    if (config.int("daemon.archive_copy_count", { default: 2, min: 0 }) < 2) {
      log.error('Config parameter "daemon.archive_copy_count" too small to guarantee archive integrity');
      if (!opts.disableArchiveIntegrity) throw new CliError("FATAL.  Data protection rules not satisfied and --disable-archive-integrity not used.");
    }
    await initExtensions(extensions, db, log, { dbGroup: false });

    const host = config.hostname();
    const metrics = new Metrics(host);
    // The queue reports its sizes on every put, get and task_done: the series are looked up once.
    const sizeSeries = new Map<string, Array<{ value: number }>>();
    const seriesOf = (fifo: string) => {
      let s = sizeSeries.get(fifo);
      if (!s) sizeSeries.set(fifo, (s = ["queued", "in-progress", "deferred", "any"].map((status) => metrics.gauge("queue_size", { fifo, status }))));
      return s;
    };
    const queue = new FairMultiFIFOQueue<Task>(undefined, {
      sizes: (fifo, queued, inProgress, deferred) => {
        const [q, p, d, any] = seriesOf(fifo) as [{ value: number }, { value: number }, { value: number }, { value: number }];
        q.value = queued;
        p.value = inProgress;
        d.value = deferred;
        any.value = queued + inProgress + deferred;
        // The marginal series over all FIFOs.
        const [aq, ap, ad, aany] = seriesOf("_ALL") as [{ value: number }, { value: number }, { value: number }, { value: number }];
        aq.value = queue.qsize;
        ap.value = queue.inprogressSize;
        ad.value = queue.deferredSize;
        aany.value = aq.value + ap.value + ad.value;
      },
      locked: (fifo, locked) => metrics.set("queue_locked", locked ? 1 : 0, { fifo }),
    });
    // alpenhorn reads the port only when it starts the server, which --once never does.
    if (!opts.once && config.has("daemon.prom_client_port"))
      stopMetrics = serveMetrics(metrics, config.int("daemon.prom_client_port", { min: 1, max: 65535 }));
    const reentrant = extensions.database ? (extensions.database.ext.reentrant ?? false) : true;
    const workers = config.int("daemon.num_workers", { default: 0, min: 0 });
    // Ours: the timeout of every filesystem call (alpenhorn hard-codes 600 s for its stat,
    // MD5-chunk and hard-link guards); tests shorten it.
    const fsTimeout = config.float("daemon.fs_timeout", { default: 600, min: 0.001 });
    // One fs thread per worker plus one for the main loop; hung calls get spare threads.
    const fsThreads = Math.max(workers, 1) + 1;
    fsPool = new FsPool({ minThreads: fsThreads, maxThreads: fsThreads + SPARE_FS_THREADS, timeout: fsTimeout });
    const pooled = fsPool;
    const fs = fsService(pooled, log, fsTimeout);
    const fsFor = (key: string) => fsService(pooled, log, fsTimeout, key);
    recorder = new Recorder(db, log);
    const commands = commandService(log, stop.any.signal);
    const remotePull = remotePullSettings(config);
    const ctx: DaemonContext = { config, db, log, queue, metrics, host, extensions, stop, fs, fsFor, treeLock: new UpDownLock(), recorder, commands, remotePull };

    // A WorkerPool even with 0 workers, so SIGUSR1 can add some (as alpenhornd does).
    if (reentrant) pool = new WorkerPool(ctx, workers);
    else {
      log.warning("Database is not threadsafe: forcing serial I/O.");
      pool = new EmptyPool(ctx);
    }

    if (opts.signals) {
      const on = (sig: NodeJS.Signals, fn: () => void) => {
        handlers.push([sig, fn]);
        process.on(sig, fn);
      };
      on("SIGINT", () => stop.stop("SIGINT"));
      on("SIGTERM", () => stop.stop("SIGTERM"));
      // No new worker while the pool shuts down.
      on("SIGUSR1", () => {
        if (stop.stopping) return;
        log.info("Caught SIGUSR1: incrementing workers.");
        pool!.addWorker();
      });
      on("SIGUSR2", () => {
        if (stop.stopping) return;
        log.info("Caught SIGUSR2: decrementing workers.");
        pool!.delWorker();
      });
    }

    loop = new UpdateLoop(ctx, pool, opts.subscribe);
    phase.running = true;
    return await mainLoop(ctx, loop, pool, opts.once);
  } finally {
    stopMetrics?.();
    await loop?.stopAll();
    await pool?.shutdown(SHUTDOWN_GRACE_S);
    // What finished work recorded must reach the index before the connection closes.
    await recorder?.flush();
    // Threads still blocked on a hung mount end with the process.
    fsPool?.close();
    await db.close().catch(() => undefined);
    // Only now: a second SIGINT or SIGTERM during the shutdown above (an impatient Ctrl-C, an
    // init system's stop after a terminal's) must find our handler, which ignores it, and not
    // the default action, which would end the process before the finished work is recorded.
    for (const [sig, fn] of handlers) process.off(sig, fn);
  }
}

async function mainLoop(ctx: DaemonContext, loop: UpdateLoop, pool: Pool, once: boolean): Promise<number> {
  const { stop, log, queue } = ctx;
  while (!stop.stopping) {
    const interval = ctx.config.int("daemon.update_interval", { default: 60, min: 0 });
    let seconds: number;
    try {
      seconds = await loop.iterate();
    } catch (err) {
      // The database restarting, a dropped connection, a lock held past the busy timeout: wait
      // and update again (alpenhorn ends with `Fatal error!` here). Requests stay open in the
      // index, so nothing is lost meanwhile; workers requeue their tasks on such errors.
      if (!isTransientIndexError(err) || stop.stopping) throw err;
      const wait = Math.max(interval, 1);
      log.error(`Update loop failed: ${(err as Error).message}.  Retrying in ${prettyDeltaT(wait)}.`);
      await pause(wait, stop.any.signal);
      continue;
    }
    if (stop.stopping) break;
    if (once) {
      let waited = false;
      for (;;) {
        if (queue.qsize + queue.inprogressSize + queue.deferredSize === 0) {
          await ctx.recorder.flush();
          log.info("Update complete.  Exiting.");
          return 0;
        }
        if (stop.stopping) break;
        if (!waited) log.info("Waiting for updates to complete.");
        waited = true;
        // Unlike alpenhorn, serial I/O keeps running here, so --once always ends.
        if (pool.size === 0) await serialDrain(ctx);
        const until = performance.now() + Math.max(interval, 0.1) * 1000;
        // Woken as the last task finishes (--once then exits at once), else every 50 ms.
        while (performance.now() < until && !stop.stopping && queue.qsize + queue.inprogressSize + queue.deferredSize > 0) await queue.changed(0.05, stop.any.signal);
        loop.logTasks();
      }
      break;
    }
    await pause(interval - seconds, stop.any.signal);
  }
  if (stop.reason === "SIGINT") {
    log.info("Exiting due to SIGINT");
    return 1;
  }
  if (stop.reason === "SIGTERM") {
    log.info("Exiting due to SIGTERM");
    return 0;
  }
  log.warning("Exiting due to global abort");
  return 1;
}

/** Index failures the main loop waits out rather than dying of. */
function isTransientIndexError(err: unknown): boolean {
  return err instanceof IndexError && (err.kind === "unavailable" || err.kind === "connection-lost" || err.kind === "busy");
}

async function serialDrain(ctx: DaemonContext): Promise<void> {
  await serialIO(ctx, ctx.config.int("daemon.serial_io_timeout", { default: 900, min: 0 }));
}
