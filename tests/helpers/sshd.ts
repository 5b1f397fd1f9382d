// The remote-pull tests' sshd: one per test process, started on first use (scripts/lib/sshd.ts
// starts it: a free 127.0.0.1 port, its own keys, dies with the process) and stopped when the
// tests end. Like tests/helpers/mariadb.ts: locally a missing or broken sshd means "skip" with a
// visible reason; under CI=true it fails the run.

import { describe } from "bun:test";
import { startLoopbackSshd, type LoopbackSshd, type Sshd } from "../../scripts/lib/sshd.ts";

export type { Sshd };

const isCI = () => process.env.CI === "true" || process.env.CI === "1";

let running: Promise<LoopbackSshd> | null = null;
let skipReason = "";

/** Starts (once per process) and returns the test sshd; throws if it cannot start. */
export function startSshd(): Promise<Sshd> {
  running ??= startLoopbackSshd().catch((e: Error) => {
    throw new Error(`${e.message}; run scripts/install-deps.sh`);
  });
  return running.then((r) => r.sshd);
}

/** The sshd, or null when it cannot run here (tests skip, reason in sshdSkipReason()); throws under CI=true. */
export async function sshdOrSkip(): Promise<Sshd | null> {
  try {
    return await startSshd();
  } catch (e) {
    if (isCI()) throw e;
    if (!skipReason) console.warn(`sshd unavailable, skipping the remote-pull tests: ${(e as Error).message}`);
    skipReason = (e as Error).message.split("\n")[0]!;
    return null;
  }
}

export function sshdSkipReason(): string {
  return skipReason;
}

/** `describe`, or `describe.skip` with the reason in the suite's name when no sshd can run here. */
export async function describeWithSshd(): Promise<(name: string, fn: () => void) => void> {
  if (await sshdOrSkip()) return describe;
  return (name, fn) => describe.skip(`${name} (skipped: ${sshdSkipReason()})`, fn);
}

/** Stop the test sshd and remove its keys; a later startSshd() boots a new one. */
export async function stopSshd(): Promise<void> {
  const r = await running?.catch(() => null);
  running = null;
  await r?.stop();
}
