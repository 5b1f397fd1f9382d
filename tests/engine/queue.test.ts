// The fair multi-FIFO queue (alpenhorn/daemon/scheduler/queue.py: FairMultiFIFOQueue and
// tests/daemon/scheduler/test_queue.py at 632dd41): bookkeeping, deferral, wake-ups, fairness
// between FIFOs, exclusive items and clearing/closing FIFOs.

import { describe, expect, test } from "bun:test";
import { FairMultiFIFOQueue, FifoClosedError } from "../../src/engine/scheduler/queue.ts";

describe("FairMultiFIFOQueue", () => {
  test("get with timeout on an empty queue → null", async () => {
    const q = new FairMultiFIFOQueue<string>();
    expect(await q.get(0.05)).toBeNull();
  });

  test("put/get/taskDone bookkeeping", async () => {
    const q = new FairMultiFIFOQueue<string>();
    q.put("a", "k1");
    q.put("b", "k1");
    expect([q.qsize, q.inprogressSize, q.fifoSize("k1"), q.fifoSize("nope")]).toEqual([2, 0, 2, 0]);
    const g = await q.get(0);
    expect(g).toEqual({ item: "a", key: "k1" });
    expect([q.qsize, q.inprogressSize, q.fifoSize("k1")]).toEqual([1, 1, 2]);
    q.taskDone("k1");
    expect([q.qsize, q.inprogressSize, q.fifoSize("k1")]).toEqual([1, 0, 1]);
    expect(() => {
      q.taskDone("k1");
    }).toThrow();
  });

  test("deferred put is invisible until due", async () => {
    const q = new FairMultiFIFOQueue<string>();
    q.put("d", "k", { wait: 0.1 });
    expect([q.qsize, q.deferredSize, q.fifoSize("k")]).toEqual([0, 1, 0]);
    expect(q.tryGet().item).toBeUndefined();
    const t0 = performance.now();
    expect(await q.get(2)).toEqual({ item: "d", key: "k" });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect(q.deferredSize).toBe(0);
  });

  test("a blocked get is woken by a put", async () => {
    const q = new FairMultiFIFOQueue<string>();
    const p = q.get(5);
    setTimeout(() => q.put("x", "k"), 20);
    const t0 = performance.now();
    expect(await p).toEqual({ item: "x", key: "k" });
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  test("changed() wakes when the last task finishes, not at its timeout (serve --once exits on it)", async () => {
    const q = new FairMultiFIFOQueue<string>();
    q.put("a", "k");
    expect(await q.get(0)).toEqual({ item: "a", key: "k" });
    let woke = false;
    const p = q.changed(60).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    q.taskDone("k");
    await new Promise((r) => setImmediate(r));
    expect([woke, q.inprogressSize]).toEqual([true, 0]);
    await p;
  });

  test("10 producers × 100 items drain through 10 consumers", async () => {
    const q = new FairMultiFIFOQueue<number>();
    const got: number[] = [];
    const consumers = Array.from({ length: 10 }, async () => {
      for (;;) {
        const g = await q.get(0.2);
        if (!g) return;
        got.push(g.item);
        await Bun.sleep(0);
        q.taskDone(g.key);
      }
    });
    await Promise.all(
      Array.from({ length: 10 }, async (_, p) => {
        for (let i = 0; i < 100; i++) {
          q.put(p * 100 + i, `f${p % 3}`);
          if (i % 10 === 0) await Bun.sleep(0);
        }
      }),
    );
    await Promise.all(consumers);
    expect(got.length).toBe(1000);
    expect(new Set(got).size).toBe(1000);
    expect(q.qsize + q.inprogressSize).toBe(0);
  });

  test("fair: fewest in progress first, then least recently served", () => {
    const q = new FairMultiFIFOQueue<string>();
    for (const i of [1, 2, 3]) q.put(`a${i}`, "A");
    q.put("b1", "B");
    q.put("b2", "B");
    const order: string[] = [];
    // One consumer completing each item: A and B alternate instead of A monopolising it.
    for (let i = 0; i < 5; i++) {
      const g = q.tryGet();
      order.push(g.item!);
      q.taskDone((g as { key: string }).key);
    }
    expect(order).toEqual(["a1", "b1", "a2", "b2", "a3"]);
    // A was served last, so B goes first; then the FIFO with fewer running items.
    q.put("a4", "A");
    q.put("a5", "A");
    q.put("b3", "B");
    q.put("b4", "B");
    expect(q.tryGet().item).toBe("b3");
    expect(q.tryGet().item).toBe("a4");
    q.taskDone("A"); // A: 0 running, B: 1 → A first although B was served longer ago
    expect(q.tryGet().item).toBe("a5");
    expect(q.tryGet().item).toBe("b4");
  });

  test("exclusive items run alone within their FIFO; other FIFOs unaffected", () => {
    const q = new FairMultiFIFOQueue<string>();
    q.put("1", "A");
    q.put("2", "A", { exclusive: true });
    q.put("3", "A");
    q.put("x", "B");
    expect(q.tryGet().item).toBe("1");
    expect(q.tryGet().item).toBe("x"); // exclusive 2 waits for 1
    const blocked = q.tryGet();
    expect(blocked.item).toBeUndefined();
    expect((blocked as { skippedExclusive: boolean }).skippedExclusive).toBe(true);
    q.taskDone("A");
    expect(q.tryGet().item).toBe("2");
    expect(q.tryGet().item).toBeUndefined(); // 3 waits while 2 runs
    q.taskDone("A");
    expect(q.tryGet().item).toBe("3");
  });

  test("clearFifo: counts, keep-clear closes the FIFO, in-progress items still complete", () => {
    const q = new FairMultiFIFOQueue<string>();
    expect(q.clearFifo("missing")).toEqual({ pending: 0, deferred: 0 });
    q.put("1", "A");
    q.put("2", "A");
    q.put("3", "A");
    q.put("d", "A", { wait: 100 });
    expect(q.tryGet().item).toBe("1");
    expect(q.clearFifo("A")).toEqual({ pending: 2, deferred: 1 });
    q.put("4", "A"); // still open
    expect(q.clearFifo("A", true)).toEqual({ pending: 1, deferred: 0 });
    expect(() => q.put("5", "A")).toThrow(FifoClosedError);
    expect(() => q.put("6", "A", { wait: 1 })).toThrow(FifoClosedError);
    expect(q.inprogressSize).toBe(1);
    q.taskDone("A");
    expect(q.inprogressSize + q.qsize + q.deferredSize).toBe(0);
  });

  test("labels and size observer", () => {
    const seen: string[] = [];
    const q = new FairMultiFIFOQueue<string>(undefined, { sizes: (label, a, b, c) => seen.push(`${label}:${a}/${b}/${c}`), locked: () => undefined });
    q.labelFifo("k", "Node n1");
    q.put("x", "k");
    q.put("y", "other");
    expect(seen).toEqual(["Node n1:1/0/0", "other:1/0/0"]);
  });
});
