// The up/down lock that keeps a pull's directory creation ("up") and a delete's removal of
// empty directories ("down") from racing: any number of holders in one state, never both
// states at once (alpenhorn/io/default/updownlock.py: UpDownLock at 632dd41).
// Waiters are served in arrival order, so neither side starves the other.

import type { TreeLock } from "../extension-api.ts";

type State = "up" | "down";

export class UpDownLock implements TreeLock {
  private state: State | null = null;
  private holders = 0;
  private readonly waiters: Array<{ state: State; wake: () => void }> = [];

  async hold<T>(state: State, fn: () => Promise<T>): Promise<T> {
    await this.acquire(state);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(state: State): Promise<void> {
    // Join the current holders only when nobody is queued ahead (FIFO fairness).
    if ((this.state === null || this.state === state) && this.waiters.length === 0) {
      this.state = state;
      this.holders++;
      return Promise.resolve();
    }
    return new Promise((wake) => this.waiters.push({ state, wake }));
  }

  private release(): void {
    if (--this.holders > 0) return;
    this.state = null;
    // Admit the first waiter and every waiter right behind it in the same state.
    while (this.waiters.length > 0 && (this.state === null || this.waiters[0]!.state === this.state)) {
      const w = this.waiters.shift()!;
      this.state = w.state;
      this.holders++;
      w.wake();
    }
  }

  /** Holders now, and their state (for tests and metrics). */
  get status(): { state: State | null; holders: number; waiting: number } {
    return { state: this.state, holders: this.holders, waiting: this.waiters.length };
  }
}
