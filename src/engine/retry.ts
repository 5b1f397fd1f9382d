// Retrying index work that lost a race for a lock. SQLite's busy timeout and MySQL's lock wait
// already wait inside one statement; what still fails (`database is locked` after the busy
// timeout, a MySQL deadlock, a dropped MySQL connection) is retried here with backoff, so
// bookkeeping that must not be lost (a finished pull, a deletion claim) is never dropped to a
// transient contention.

import { IndexError } from "../common/errors.ts";

export interface RetryOptions {
  /** Attempts in all. */
  readonly tries?: number;
  /** Retry a lost connection too (only for work that is idempotent as a whole). */
  readonly reconnect?: boolean;
}

const retryable = (err: unknown, reconnect: boolean) =>
  err instanceof IndexError && (err.kind === "busy" || (reconnect && err.kind === "connection-lost"));

/** Run `fn` (a whole transaction), again after a busy error, up to `tries` times. */
export async function retryBusy<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const tries = opts.tries ?? 5;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err, opts.reconnect ?? false) || i >= tries) throw err;
      // 20 ms, 40 ms, 80 ms … up to 2 s, with jitter so two daemons do not collide again.
      await Bun.sleep(Math.min(2000, 20 * 2 ** (i - 1)) * (0.5 + Math.random()));
    }
  }
}
