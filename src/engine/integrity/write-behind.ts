// Index writes that may lag behind the work they record: check verdicts and finished
// deletions. Recording them one transaction per file would cost a disk flush per file, so
// they are gathered and written in batches, a few milliseconds apart. Losing a batch to a
// crash is safe by construction: an unrecorded verdict leaves its copy suspect (checked
// again), an unrecorded deletion leaves its copy claimed (deleted again, found missing).

import type { Logger } from "../../common/logger.ts";

export interface WriteBehindOptions {
  /** Items written at most per transaction. */
  readonly maxBatch?: number;
  /** Milliseconds an item may wait for others to join its batch. */
  readonly delayMs?: number;
}

export class WriteBehind<T> {
  private queue: T[] = [];
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
    if (this.queue.length >= (this.opts.maxBatch ?? 500)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.delayMs ?? 20);
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
      try {
        await this.write(batch);
      } catch (err) {
        // Safe to drop (see above); the work is redone from the index's state.
        this.log.error(`Failed to record ${batch.length} ${this.what}: ${(err as Error).message}`);
      } finally {
        this.inFlight -= batch.length;
      }
    });
    return this.writing;
  }
}
