// Workers (alpenhorn/daemon/scheduler/pool.py at 632dd41): N async loops named Worker#1…N that share the queue, each running
// in its own AsyncLocalStorage context so log lines carry the worker's name; or, with zero
// workers, serial I/O on the main flow after each loop.

import { runAs } from "../../common/logger.ts";
import { IndexError } from "../../common/errors.ts";
import type { DaemonContext } from "../context.ts";
import type { Task } from "./task.ts";
import { runOnWorker } from "./worker-id.ts";

/** Index failures after which alpenhorn restarts the worker rather than aborting. */
const isDbError = (err: unknown) => err instanceof IndexError && ["connection-lost", "unavailable", "busy"].includes(err.kind);

const errText = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

class Worker {
  private stopRequested = false;
  readonly done: Promise<void>;
  constructor(
    readonly n: number,
    private readonly ctx: DaemonContext,
  ) {
    this.done = runAs(`Worker#${n}`, () => runOnWorker(n, () => this.main()));
  }
  /** Wakes a worker blocked in get() when it is told to stop (shutdown need not wait 5 s). */
  private readonly wake = new AbortController();
  requestStop(): void {
    this.stopRequested = true;
    this.wake.abort();
  }
  alive = true;

  private async main(): Promise<void> {
    const { ctx, n } = this;
    const id = { id: String(n) };
    // One combined signal for the worker's life (not one per get: thousands of short tasks).
    const wakeOrStop = AbortSignal.any([ctx.stop.any.signal, this.wake.signal]);
    ctx.log.info("Started.");
    ctx.metrics.set("worker_running", 1, id);
    try {
      for (;;) {
        ctx.metrics.set("worker_idle", 1, id);
        if (ctx.stop.globalAbort) return ctx.log.info("Stopped due to global abort.");
        if (this.stopRequested || ctx.stop.stopping) return ctx.log.info("Stopped.");
        const got = await ctx.queue.get(5, wakeOrStop);
        if (!got) continue;
        ctx.metrics.set("worker_idle", 0, id);
        const task = got.item;
        if (ctx.stop.globalAbort) {
          ctx.log.info("Stopped due to global abort.");
          ctx.queue.taskDone(got.key);
          return;
        }
        ctx.log.info(`Beginning task ${task}`);
        let finished: boolean;
        try {
          finished = await task.run();
        } catch (err) {
          if (isDbError(err)) {
            await task.doCleanup().catch(() => undefined);
            ctx.log.info(`Finished task ${task}`);
            ctx.queue.taskDone(got.key);
            task.requeue();
            ctx.log.error(`Exiting due to db error: ${(err as Error).message}`);
            return;
          }
          if (ctx.stop.shutdown.signal.aborted && (err as Error)?.name === "AbortError") {
            // Long work abandoned on shutdown: whatever it left is the next start's tidy-up.
            ctx.log.info(`Abandoned task ${task}`);
            ctx.queue.taskDone(got.key);
            continue;
          }
          ctx.stop.abort();
          ctx.log.error(`Aborting due to uncaught exception in task\n${errText(err)}`);
          return;
        }
        ctx.queue.taskDone(got.key);
        ctx.log.info(finished ? `Finished task: ${task}` : `Deferring task: ${task}`);
      }
    } finally {
      this.alive = false;
      ctx.metrics.set("worker_running", 0, id);
      ctx.metrics.remove("worker_idle", id);
    }
  }
}

export interface Pool {
  readonly size: number;
  addWorker(): void;
  delWorker(): void;
  check(): void;
  shutdown(graceSeconds: number): Promise<void>;
}

export class WorkerPool implements Pool {
  private workers: Worker[] = [];
  private retired: Worker[] = [];
  constructor(
    private readonly ctx: DaemonContext,
    count: number,
  ) {
    // The series exists from the start (prometheus_client binds it in the constructor).
    ctx.metrics.set("worker_count", 0, { pool_type: "WorkerPool" });
    for (let i = 0; i < count; i++) this.addWorker();
  }
  get size(): number {
    return this.workers.length;
  }
  addWorker(): void {
    this.workers.push(new Worker(this.workers.length + 1, this.ctx));
    this.ctx.metrics.set("worker_count", this.workers.length, { pool_type: "WorkerPool" });
  }
  delWorker(): void {
    const w = this.workers.pop();
    if (!w) return this.ctx.log.warning("WorkerPool ignoring decrement request: no workers");
    w.requestStop();
    this.retired.push(w);
    this.ctx.metrics.set("worker_count", this.workers.length, { pool_type: "WorkerPool" });
  }
  /** Respawn workers that exited after an index error (never during global abort). */
  check(): void {
    if (this.ctx.stop.globalAbort || this.ctx.stop.stopping) return;
    this.workers = this.workers.map((w) => {
      if (w.alive) return w;
      this.ctx.log.warning(`Respawning dead worker #${w.n}`);
      return new Worker(w.n, this.ctx);
    });
  }
  /** Stop every worker after its current task; give up waiting after `graceSeconds`. */
  async shutdown(graceSeconds: number): Promise<void> {
    const all = [...this.workers, ...this.retired];
    for (const w of all) w.requestStop();
    await Promise.race([Promise.all(all.map((w) => w.done)), Bun.sleep(graceSeconds * 1000)]);
    this.workers = [];
    this.retired = [];
    this.ctx.metrics.set("worker_count", 0, { pool_type: "WorkerPool" });
  }
}

/** Serial I/O only (zero workers, or an index that is not reentrant). */
export class EmptyPool implements Pool {
  constructor(private readonly ctx: DaemonContext) {
    ctx.metrics.set("worker_count", 0, { pool_type: "EmptyPool" });
  }
  readonly size = 0;
  addWorker(): void {
    this.ctx.log.info("Ignoring request to add worker: serial I/O only");
  }
  delWorker(): void {}
  check(): void {}
  async shutdown(): Promise<void> {}
}

/** Run queued tasks on the main flow for up to `timeout` seconds (alpenhorn/daemon/update.py: serial_io). */
export async function serialIO(ctx: DaemonContext, timeout: number): Promise<void> {
  const deadline = performance.now() / 1000 + timeout;
  while (performance.now() / 1000 < deadline && !ctx.stop.stopping) {
    const got = await ctx.queue.get(1, ctx.stop.any.signal);
    if (!got) break;
    ctx.metrics.inc("serialio_tasks");
    const task: Task = got.item;
    ctx.log.info(`Beginning task ${task}`);
    try {
      await task.run();
    } catch (err) {
      // Unlike alpenhorn's serial_io, a failing task does not kill the daemon in serial mode.
      await task.doCleanup().catch(() => undefined);
      if (isDbError(err)) task.requeue();
      ctx.log.error(`Task ${task} failed: ${errText(err)}`);
    } finally {
      ctx.queue.taskDone(got.key);
    }
    ctx.log.info(`Finished task ${task}`);
  }
  ctx.metrics.inc("serialio_loops");
}
