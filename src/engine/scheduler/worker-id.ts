// Which worker a piece of work runs on (alpenhorn/daemon/scheduler/pool.py at 632dd41: each
// worker thread records `worker_id = n` in thread-local storage, which bbcp's port choice in
// alpenhorn/io/default/pull.py reads). Our workers are async flows, so the number travels in an
// AsyncLocalStorage context, as the worker's name does for the logger.

import { AsyncLocalStorage } from "node:async_hooks";

const worker = new AsyncLocalStorage<number>();

/** Run `fn` as worker `n` (1, 2, …). */
export function runOnWorker<T>(n: number, fn: () => T): T {
  return worker.run(n, fn);
}

/** The running worker's number; 0 on the main flow (serial I/O, the update loop). */
export function currentWorkerId(): number {
  return worker.getStore() ?? 0;
}
