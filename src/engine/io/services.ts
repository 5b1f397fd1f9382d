// The IOServices one I/O instance receives (extension-api.ts): the daemon's log, clock,
// metrics, fs service and tree lock, a task runner bound to the instance's own FIFO, and the
// index operations I/O classes may call.

import type { DaemonContext } from "../context.ts";
import type { IOServices } from "../extension-api.ts";
import { indexOps } from "./index-ops.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { Task } from "../scheduler/task.ts";
import { currentWorkerId } from "../scheduler/worker-id.ts";
import { knownLayout } from "../../index/layout/detect.ts";

/** `nodeKey` groups a node's fs calls, so one hung call makes the others fail fast. */
export function ioServices(ctx: DaemonContext, fifo: FifoKey, nodeKey?: string): IOServices {
  return {
    log: ctx.log,
    clock: { now: () => new Date(), monotonic: () => performance.now() / 1000 },
    metrics: {
      inc: (name, labels) => ctx.metrics.inc(name, labels),
      add: (name, amount, labels) => ctx.metrics.add(name, amount, labels),
      set: (name, value, labels) => ctx.metrics.set(name, value, labels),
    },
    fs: nodeKey === undefined ? ctx.fs : ctx.fsFor(nodeKey),
    tasks: {
      queue: (spec) => new Task({ queue: ctx.queue, key: fifo, name: spec.name, exclusive: spec.exclusive, body: spec.body, log: ctx.log }).queued,
    },
    index: indexOps(ctx.db),
    treeLock: ctx.treeLock,
    commands: ctx.commands,
    remotePull: ctx.remotePull,
    // Decided at start-up; a context without an index (unit tests of I/O classes) is 632dd41's.
    tableLayout: (ctx.db && knownLayout(ctx.db)?.name) ?? "632dd41",
    stopping: ctx.stop.any.signal,
    workerId: currentWorkerId,
  };
}
