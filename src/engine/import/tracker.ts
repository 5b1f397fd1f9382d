// Keeps a scan request open until every file it covers is registered or refused (alpenhorn
// completes it when the imports are queued; README: Differences from alpenhorn). Each per-file
// import settles once; when the walk is over and all have settled, the request completes only
// if none was left undecided (locked, failed, dropped).

export type Settle = (resolved: boolean) => Promise<void>;

export class ScanTracker {
  private pending = 0;
  private unresolved = 0;
  private walkDone = false;
  private fired = false;

  constructor(private readonly onAllSettled: (allResolved: boolean) => Promise<void>) {}

  /** Register one import; the returned function settles it (later calls are ignored). */
  add(): Settle {
    this.pending++;
    let settled = false;
    return async (resolved) => {
      if (settled) return;
      settled = true;
      this.pending--;
      if (!resolved) this.unresolved++;
      await this.maybeFire();
    };
  }

  async walkFinished(): Promise<void> {
    this.walkDone = true;
    await this.maybeFire();
  }

  private async maybeFire(): Promise<void> {
    if (this.fired || !this.walkDone || this.pending > 0) return;
    this.fired = true;
    await this.onAllSettled(this.unresolved === 0);
  }
}
