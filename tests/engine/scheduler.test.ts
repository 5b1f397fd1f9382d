// Tasks and workers (alpenhorn/daemon/scheduler/task.py: Task and pool.py: Worker, WorkerPool
// at 632dd41; its tests/daemon/scheduler/test_task.py and test_pool.py): deferred (yielding)
// tasks resume the same object, exclusive tasks run alone in their FIFO, index errors requeue
// and respawn, other errors abort.

import { describe, expect, test } from "bun:test";
import { IndexError } from "../../src/common/errors.ts";
import { serialIO, WorkerPool } from "../../src/engine/scheduler/pool.ts";
import { Task } from "../../src/engine/scheduler/task.ts";
import { until } from "./_daemon.ts";
import { bareContext } from "./_ctx.ts";

const task = (ctx: ReturnType<typeof bareContext>, name: string, body: Task["opts"]["body"], extra: { requeue?: boolean; exclusive?: boolean; key?: string } = {}) =>
  new Task({ queue: ctx.queue, key: extra.key ?? "k", name, log: ctx.log, body, requeue: extra.requeue, exclusive: extra.exclusive });

describe("Task and WorkerPool", () => {
  test("a yielding task is deferred, invisible to fifoSize, and resumes the same generator", async () => {
    const ctx = bareContext();
    const steps: string[] = [];
    task(ctx, "T", async function* () {
      steps.push("before");
      yield 0.2;
      steps.push("after");
    });
    const pool = new WorkerPool(ctx, 1);
    try {
      await until(() => ctx.messages.includes("INFO [Worker#1] Deferring task: T"), 5000, "deferral");
      expect([ctx.queue.deferredSize, ctx.queue.fifoSize("k"), ctx.queue.qsize]).toEqual([1, 0, 0]);
      expect(ctx.messages).toContain("DEBUG [Worker#1] Requeueing yielded task T in FIFO k with delay 0.2 seconds");
      await until(() => ctx.messages.includes("INFO [Worker#1] Finished task: T"), 5000, "finish");
      expect(steps).toEqual(["before", "after"]);
      expect(ctx.messages.filter((m) => m === "INFO [Worker#1] Beginning task T").length).toBe(2);
    } finally {
      await pool.shutdown(1);
    }
  });

  test("an exclusive task waits for its FIFO to drain and runs alone; other FIFOs go on", async () => {
    const ctx = bareContext();
    const running = new Set<string>();
    const overlaps: string[] = [];
    const body = (name: string, ms: number) => async () => {
      const mine = [...running].filter((r) => r !== "other");
      const exclusive = (n: string) => n === "X" || n === "Y";
      if (name !== "other" && mine.length > 0 && (exclusive(name) || mine.some(exclusive))) overlaps.push(`${name} with ${mine}`);
      running.add(name);
      await Bun.sleep(ms);
      running.delete(name);
    };
    task(ctx, "A", body("A", 150));
    task(ctx, "X", body("X", 150), { exclusive: true });
    task(ctx, "B", body("B", 50));
    task(ctx, "other", body("other", 50), { key: "k2" });
    // An exclusive generator keeps its exclusivity when it is re-queued after a yield.
    task(ctx, "Y", async function* () {
      await body("Y", 50)();
      yield 0;
      await body("Y", 50)();
    }, { exclusive: true });
    task(ctx, "C", body("C", 50));
    const pool = new WorkerPool(ctx, 3);
    try {
      await until(() => ctx.queue.qsize + ctx.queue.inprogressSize + ctx.queue.deferredSize === 0, 5000, "drain");
      expect(overlaps).toEqual([]);
      const order = ctx.messages.filter((m) => m.includes("Finished task:")).map((m) => m.split(": ")[1]);
      expect(order.indexOf("other")).toBeLessThan(order.indexOf("X"));
      expect(order.indexOf("A")).toBeLessThan(order.indexOf("X"));
      expect(order.indexOf("X")).toBeLessThan(order.indexOf("B"));
    } finally {
      await pool.shutdown(1);
    }
  });

  test("index error: cleanup once, task requeued (fresh), worker exits and is respawned", async () => {
    const ctx = bareContext();
    let calls = 0;
    let cleanups = 0;
    task(
      ctx,
      "R",
      async (t) => {
        t.onCleanup(() => void cleanups++);
        if (++calls === 1) throw new IndexError("server has gone away", "connection-lost");
      },
      { requeue: true },
    );
    task(ctx, "N", async () => {
      throw new IndexError("gone again", "connection-lost");
    });
    const pool = new WorkerPool(ctx, 1);
    try {
      await until(() => ctx.messages.some((m) => m.startsWith("ERROR [Worker#1] Exiting due to db error")), 5000, "db error");
      await until(() => ctx.messages.filter((m) => m.startsWith("ERROR [Worker#1] Exiting")).length === 1 && pool.size === 1, 5000, "exit");
      await Bun.sleep(50);
      // The fresh R queues behind N: the respawned worker dies on N, the next one runs R.
      pool.check();
      expect(ctx.messages).toContain("WARNING [MainThread] Respawning dead worker #1");
      await until(() => ctx.messages.filter((m) => m.startsWith("ERROR [Worker#1] Exiting due to db error")).length === 2, 5000, "second error");
      await Bun.sleep(50);
      pool.check();
      await until(() => ctx.messages.includes("INFO [Worker#1] Finished task: R"), 5000, "rerun");
      expect(ctx.messages).toContain("INFO [Worker#1] Requeueing task R in FIFO k");
      expect(ctx.messages).toContain("INFO [Worker#1] Finished task R");
      expect(ctx.messages.some((m) => m.includes("Requeueing task N"))).toBe(false);
      expect([calls, cleanups]).toEqual([2, 2]);
      expect(ctx.stop.globalAbort).toBe(false);
    } finally {
      await pool.shutdown(1);
    }
  });

  test("any other error sets global abort; check() then respawns nothing", async () => {
    const ctx = bareContext();
    task(ctx, "Bug", async () => {
      throw new TypeError("oops");
    });
    const pool = new WorkerPool(ctx, 1);
    try {
      await until(() => ctx.stop.globalAbort, 5000, "abort");
      await Bun.sleep(20);
      expect(ctx.messages.some((m) => m.startsWith("ERROR [Worker#1] Aborting due to uncaught exception in task\nTypeError: oops"))).toBe(true);
      pool.check();
      expect(ctx.messages.some((m) => m.includes("Respawning"))).toBe(false);
    } finally {
      await pool.shutdown(1);
    }
  });

  test("serial I/O runs tasks on the main flow, survives a failing one and requeues after an index error", async () => {
    const ctx = bareContext();
    let n = 0;
    task(ctx, "S1", async () => void n++);
    let tries = 0;
    task(ctx, "S2", async () => {
      if (++tries === 1) throw new IndexError("locked", "busy");
    }, { requeue: true });
    await serialIO(ctx, 5);
    expect([n, tries]).toEqual([1, 2]);
    expect(ctx.messages).toContain("INFO [MainThread] Finished task S1");
    expect(ctx.messages.some((m) => m.startsWith("ERROR [MainThread] Task S2 failed"))).toBe(true);
    expect(ctx.messages).toContain("INFO [MainThread] Requeueing task S2 in FIFO k");
    expect(ctx.metrics.value("serialio_loops")).toBe(1);
    expect(ctx.metrics.value("serialio_tasks")).toBe(3);
  });

  test("a task for a closed FIFO is dropped with alpenhorn's message; cleanups run in stack order", async () => {
    const ctx = bareContext();
    ctx.queue.clearFifo("k", true);
    const t = task(ctx, "Late", async () => undefined);
    expect(t.queued).toBe(false);
    expect(ctx.messages).toContain("INFO [MainThread] Ignoring task Late: FIFO closed");
    const order: number[] = [];
    const u = task(ctx, "C", async () => undefined, { key: "k3" });
    u.onCleanup(() => void order.push(1));
    u.onCleanup(() => void order.push(2));
    u.onCleanup(() => void order.push(3), false);
    expect(await u.run()).toBe(true);
    expect(order).toEqual([2, 1, 3]);
  });
});
