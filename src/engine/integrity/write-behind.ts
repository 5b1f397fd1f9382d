// Index writes that may lag behind the work they record: check verdicts and finished
// deletions. Recording them one transaction per file would cost a disk flush per file, so
// they are gathered and written in batches, a few milliseconds apart — further apart when a
// write is slow (a commit of bun:sqlite holds the event loop): the next batch waits DUTY
// times as long as the last write took, so writing takes at most 1/(DUTY+1) of the time.
// Losing a batch to a crash is safe by construction: an unrecorded verdict leaves its copy
// suspect (checked again), an unrecorded deletion leaves its copy claimed (deleted again,
// found missing). The node update flushes before it selects work, so it never queues again
// what was done but not yet written.

import type { Logger } from "../../common/logger.ts";

export interface WriteBehindOptions {
  /** Items written at most per transaction. */
  readonly maxBatch?: number;
  /** Milliseconds an item may wait for others to join its batch. */
  readonly delayMs?: number;
}

/** Waiting time between batches, in multiples of the last write's duration. */
const DUTY = 9;
/** Longest wait between batches, however slow the last write was. */
const MAX_DELAY_MS = 1000;

export class WriteBehind<T> {
  private queue: T[] = [];
  /** How long the last batch took to write (ms). */
  private lastWriteMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    /** Writes one batch (in one transaction); a failure is logged and the batch dropped. */
    private readonly write: (batch: T[]) => Promise<void>,
    private readonly log: Logger,
    private readonly what: string,
    private readonly opts: WriteBehindOptions = {},
  ) {}

  /** Items added and not yet written. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  add(item: T): void {
    this.queue.push(item);
    if (this.queue.length >= (this.opts.maxBatch ?? 2000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), Math.min(MAX_DELAY_MS, Math.max(this.opts.delayMs ?? 20, this.lastWriteMs * DUTY)));
  }

  /** Write everything added so far; resolves when it is written (or dropped after an error). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return this.writing;
    this.inFlight += batch.length;
    // One batch at a time, in order: a later verdict must not be overtaken by an earlier one.
    this.writing = this.writing.then(async () => {
      const t0 = performance.now();
      try {
        await this.write(batch);
      } catch (err) {
        // Safe to drop (see above); the work is redone from the index's state.
        this.log.error(`Failed to record ${batch.length} ${this.what}: ${(err as Error).message}`);
      } finally {
        this.lastWriteMs = performance.now() - t0;
        this.inFlight -= batch.length;
      }
    });
    return this.writing;
  }
}
