// Availability probes that may outlive the update loop that started them. Reading a node's
// ALPENHORN_NODE file is the first thing a hung mount blocks; the loop waits for a new probe
// only briefly and never for one that an earlier loop started, so one dead mount cannot stall
// the main loop, and at most one probe per node is ever stuck on an fs thread.

interface Probe {
  readonly promise: Promise<boolean | Error>;
  readonly started: number;
}

export type ProbeResult =
  | { readonly state: "done"; readonly ok: boolean }
  /** The probe failed: the storage did not answer (an fs timeout, logged where it happened). */
  | { readonly state: "failed"; readonly error: Error }
  | { readonly state: "pending"; readonly seconds: number };

export class Probes {
  private readonly inflight = new Map<string, Probe>();

  /**
   * The outcome of the node's probe, starting one when none is running. A new probe is awaited
   * up to `waitS` seconds; one still running from an earlier loop is not awaited.
   */
  async check(key: string, start: () => Promise<boolean>, waitS: number): Promise<ProbeResult> {
    const old = this.inflight.get(key);
    if (old) return { state: "pending", seconds: (performance.now() - old.started) / 1000 };
    const probe: Probe = {
      started: performance.now(),
      promise: start()
        .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
        .finally(() => this.inflight.delete(key)),
    };
    this.inflight.set(key, probe);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), waitS * 1000)));
    const r = await Promise.race([probe.promise, late]);
    clearTimeout(timer);
    if (r === "late") return { state: "pending", seconds: (performance.now() - probe.started) / 1000 };
    if (r instanceof Error) return { state: "failed", error: r };
    return { state: "done", ok: r };
  }
}
