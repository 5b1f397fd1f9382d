// The fair multi-FIFO queue (alpenhorn/daemon/scheduler/queue.py: FairMultiFIFOQueue at 632dd41): one FIFO per node/group I/O instance, exclusive items,
// deferred puts, and fairness by "fewest in progress, then least recently served". Pure apart
// from the clock and timers; no I/O.

export type FifoKey = string;

export class FifoClosedError extends Error {
  constructor(key: FifoKey) {
    super(`FIFO not accepting items: ${key}`);
  }
}

interface Entry<T> {
  readonly item: T;
  readonly exclusive: boolean;
}
interface Deferred<T> extends Entry<T> {
  readonly due: number;
  readonly key: FifoKey;
}

/** Size changes, for the queue_size / queue_locked metrics. */
export interface QueueObserver {
  sizes(label: string, queued: number, inProgress: number, deferred: number): void;
  locked(key: FifoKey, locked: boolean): void;
}

/** Seconds on a monotonic clock. */
export type Clock = () => number;
const monotonic: Clock = () => performance.now() / 1000;

/** How often a blocked get re-examines deferred items even without a wake-up. */
const MAX_STEP_S = 10;

export class FairMultiFIFOQueue<T> {
  private readonly fifos = new Map<FifoKey, Entry<T>[]>();
  private readonly inProgressOf = new Map<FifoKey, number>();
  /** bins[k] = keys with exactly k items in progress, least recently served first. */
  private readonly bins: FifoKey[][] = [[]];
  private readonly lockedKeys = new Set<FifoKey>();
  private readonly closedKeys = new Set<FifoKey>();
  private readonly labels = new Map<FifoKey, string>();
  /** Deferred puts, kept sorted by due time (stable for equal times). */
  private deferred: Deferred<T>[] = [];
  private queued = 0;
  private inProgress = 0;
  private joining = false;
  private wakers = new Set<() => void>();

  constructor(
    private readonly clock: Clock = monotonic,
    private readonly observer?: QueueObserver,
  ) {}

  /** Queue an item; `wait` > 0 defers it that many seconds. Throws FifoClosedError on a closed FIFO. */
  put(item: T, key: FifoKey, opts: { exclusive?: boolean; wait?: number } = {}): boolean {
    const exclusive = opts.exclusive ?? false;
    const wait = opts.wait ?? 0;
    if (this.closedKeys.has(key)) throw new FifoClosedError(key);
    if (wait > 0) {
      if (this.joining) return false;
      const d: Deferred<T> = { item, exclusive, key, due: this.clock() + wait };
      const at = this.deferred.findIndex((x) => x.due > d.due);
      if (at < 0) this.deferred.push(d);
      else this.deferred.splice(at, 0, d);
      this.report(key);
      this.wakeAll();
      return true;
    }
    this.append(key, { item, exclusive });
    this.wakeAll();
    return true;
  }

  private ensure(key: FifoKey): Entry<T>[] {
    let fifo = this.fifos.get(key);
    if (!fifo) {
      fifo = [];
      this.fifos.set(key, fifo);
      this.inProgressOf.set(key, 0);
      this.bins[0]!.push(key);
    }
    return fifo;
  }

  private append(key: FifoKey, entry: Entry<T>): void {
    this.ensure(key).push(entry);
    this.queued++;
    this.report(key);
  }

  /** Promote every deferred item that is due (bypassing the closed check: closing purged them). */
  private promote(): void {
    const now = this.clock();
    while (this.deferred.length > 0 && this.deferred[0]!.due <= now) {
      const d = this.deferred.shift()!;
      this.append(d.key, { item: d.item, exclusive: d.exclusive });
    }
  }

  /**
   * One non-blocking get step: promote due deferrals, then pick the fairest acceptable FIFO.
   * `skippedExclusive` tells the caller something is waiting on a lock.
   */
  tryGet(): { item: T; key: FifoKey } | { item?: undefined; skippedExclusive: boolean } {
    this.promote();
    let skippedExclusive = false;
    if (this.queued === 0) return { skippedExclusive };
    for (let k = 0; k < this.bins.length; k++) {
      const bin = this.bins[k]!;
      for (let i = 0; i < bin.length; i++) {
        const key = bin[i]!;
        const fifo = this.fifos.get(key)!;
        if (fifo.length === 0) continue;
        if (this.lockedKeys.has(key) || (k > 0 && fifo[0]!.exclusive)) {
          skippedExclusive = true;
          continue;
        }
        bin.splice(i, 1);
        const entry = fifo.shift()!;
        this.queued--;
        this.inProgress++;
        if (entry.exclusive) {
          this.lockedKeys.add(key);
          this.observer?.locked(key, true);
        }
        const n = k + 1;
        this.inProgressOf.set(key, n);
        while (this.bins.length <= n) this.bins.push([]);
        this.bins[n]!.push(key);
        this.report(key);
        return { item: entry.item, key };
      }
    }
    return { skippedExclusive };
  }

  /**
   * Take the next item, waiting up to `timeout` seconds (forever when undefined); null on
   * timeout or when `signal` aborts.
   */
  async get(timeout?: number, signal?: AbortSignal): Promise<{ item: T; key: FifoKey } | null> {
    const end = timeout === undefined ? Infinity : this.clock() + timeout;
    for (;;) {
      if (signal?.aborted) return null;
      const got = this.tryGet();
      if (got.item !== undefined) return got as { item: T; key: FifoKey };
      const now = this.clock();
      if (now >= end) return null;
      let until = Math.min(end, now + MAX_STEP_S);
      if (this.deferred.length > 0) until = Math.min(until, this.deferred[0]!.due);
      await this.sleep(Math.max(0, until - now), signal);
    }
  }

  /** Wait until an item is put or finished, `seconds` pass, or the signal aborts. */
  changed(seconds: number, signal?: AbortSignal): Promise<void> {
    return this.sleep(seconds, signal);
  }

  /** Wait until woken by a put/task_done, the delay passes, or the signal aborts. */
  private sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      this.wakers.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  private wakeAll(): void {
    for (const w of [...this.wakers]) w();
  }

  /** The item taken from `key` is finished. */
  taskDone(key: FifoKey): void {
    const n = this.inProgressOf.get(key) ?? 0;
    if (n <= 0) throw new Error(`task_done() called too many times for FIFO ${key}`);
    const bin = this.bins[n]!;
    bin.splice(bin.indexOf(key), 1);
    if (this.lockedKeys.delete(key)) this.observer?.locked(key, false);
    this.inProgressOf.set(key, n - 1);
    this.inProgress--;
    this.bins[n - 1]!.push(key);
    this.report(key);
    this.wakeAll();
  }

  /** Drop a FIFO's pending and deferred items (in-progress ones continue); optionally close it. */
  clearFifo(key: FifoKey, keepClear = false): { pending: number; deferred: number } {
    if (keepClear) this.closedKeys.add(key);
    const before = this.deferred.length;
    this.deferred = this.deferred.filter((d) => d.key !== key);
    const deferred = before - this.deferred.length;
    const fifo = this.fifos.get(key);
    const pending = fifo ? fifo.length : 0;
    if (fifo) {
      this.queued -= pending;
      fifo.length = 0;
    }
    this.report(key);
    return { pending, deferred };
  }

  isClosed(key: FifoKey): boolean {
    return this.closedKeys.has(key);
  }

  /** Wait until nothing is queued or in progress; deferred items are dropped first. */
  async join(): Promise<void> {
    this.joining = true;
    this.deferred = [];
    while (this.queued + this.inProgress > 0) await this.sleep(1);
    this.joining = false;
  }

  labelFifo(key: FifoKey, label: string): void {
    this.labels.set(key, label);
  }
  labelOf(key: FifoKey): string {
    return this.labels.get(key) ?? key;
  }

  /** Queued items (not in progress, not deferred). */
  get qsize(): number {
    return this.queued;
  }
  get inprogressSize(): number {
    return this.inProgress;
  }
  get deferredSize(): number {
    return this.deferred.length;
  }
  /** Queued + in progress of one FIFO (deferred excluded); 0 for unknown keys. */
  fifoSize(key: FifoKey): number {
    return (this.fifos.get(key)?.length ?? 0) + (this.inProgressOf.get(key) ?? 0);
  }

  private report(key: FifoKey): void {
    if (!this.observer) return;
    const deferred = this.deferred.filter((d) => d.key === key).length;
    this.observer.sizes(this.labelOf(key), this.fifos.get(key)?.length ?? 0, this.inProgressOf.get(key) ?? 0, deferred);
  }
}
