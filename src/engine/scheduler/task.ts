// A unit of queued work (alpenhorn/daemon/scheduler/task.py: Task at 632dd41). The body is an async function, or an async generator whose
// yields are "run me again after N seconds" (the same Task object resumes). Creating a Task
// queues it; a closed FIFO drops it with alpenhorn's message.

import type { Logger } from "../../common/logger.ts";
import { FifoClosedError, type FairMultiFIFOQueue, type FifoKey } from "./queue.ts";

export type TaskBody = (task: Task) => Promise<void> | AsyncGenerator<number | undefined, void, void>;

export interface TaskOptions {
  readonly queue: FairMultiFIFOQueue<Task>;
  readonly key: FifoKey;
  readonly name: string;
  readonly body: TaskBody;
  readonly log: Logger;
  /** Re-create the task after an index error (work nothing else would recreate). */
  readonly requeue?: boolean;
  readonly exclusive?: boolean;
  /** Called when the task could not be queued (closed FIFO). */
  readonly onDropped?: () => void;
}

const isAsyncGen = (v: unknown): v is AsyncGenerator<number | undefined, void, void> =>
  typeof v === "object" && v !== null && typeof (v as AsyncGenerator).next === "function" && Symbol.asyncIterator in v;

export class Task {
  private gen: AsyncGenerator<number | undefined, void, void> | undefined;
  private readonly cleanups: Array<() => void | Promise<void>> = [];
  /** False when the FIFO was closed and the task never entered the queue. */
  readonly queued: boolean;

  constructor(readonly opts: TaskOptions) {
    this.queued = this.put(0, opts.exclusive ?? false);
  }

  get name(): string {
    return this.opts.name;
  }
  get key(): FifoKey {
    return this.opts.key;
  }
  toString(): string {
    return this.opts.name;
  }

  private put(wait: number, exclusive: boolean): boolean {
    try {
      return this.opts.queue.put(this, this.opts.key, { exclusive, wait });
    } catch (err) {
      if (!(err instanceof FifoClosedError)) throw err;
      this.opts.log.info(`Ignoring task ${this.name}: FIFO closed`);
      this.opts.onDropped?.();
      return false;
    }
  }

  /** Run cleanup `fn` after the task ends; `first` puts it before those already registered. */
  onCleanup(fn: () => void | Promise<void>, first = true): void {
    if (first) this.cleanups.unshift(fn);
    else this.cleanups.push(fn);
  }

  async doCleanup(): Promise<void> {
    while (this.cleanups.length > 0) await this.cleanups.shift()!();
  }

  /** Run (or resume) the task; true when it has finished, false when it deferred itself. */
  async run(): Promise<boolean> {
    if (!this.gen) {
      const r = this.opts.body(this);
      if (!isAsyncGen(r)) {
        await r;
        await this.doCleanup();
        return true;
      }
      this.gen = r;
    }
    const step = await this.gen.next();
    if (step.done) {
      this.gen = undefined;
      await this.doCleanup();
      return true;
    }
    const wait = step.value ?? 0;
    this.opts.log.debug(`Requeueing yielded task ${this.name} in FIFO ${this.key} with delay ${wait} seconds`);
    // Unlike alpenhorn (whose yield re-puts the task non-exclusive), a deferred re-put keeps the task's exclusivity.
    this.put(wait, this.opts.exclusive ?? false);
    return false;
  }

  /** After an index error: queue a fresh copy (restarting from the beginning) if allowed. */
  requeue(): void {
    if (!this.opts.requeue) return;
    this.opts.log.info(`Requeueing task ${this.name} in FIFO ${this.key}`);
    new Task(this.opts);
  }
}
