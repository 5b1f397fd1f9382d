// Running the compiled daemon in a trial: `serve` killed with SIGKILL at a planned point, and
// `serve --once` runs that let it finish afterwards.

import { DaemonProc } from "../../helpers/daemon-proc.ts";
import type { Rng } from "./plan.ts";
import type { World } from "./world.ts";

/**
 * Where a kill lands: `delay` ms after the daemon is spawned (start-up included), or `extraMs`
 * after the log shows the `k`-th `Beginning task` line (the middle of the work). Both are drawn
 * from the trial's seed; what the daemon has done by then also depends on the machine's timing,
 * so the seed fixes the plan, not the exact instruction the kill interrupts.
 */
export type KillPoint = { readonly mode: "delay"; readonly ms: number } | { readonly mode: "task"; readonly k: number; readonly extraMs: number };

export function drawKillPoint(rng: Rng, tasks: number, maxDelayMs: number): KillPoint {
  if (rng.chance(0.3)) return { mode: "delay", ms: rng.int(0, maxDelayMs) };
  return { mode: "task", k: rng.int(1, Math.max(1, tasks)), extraMs: rng.int(0, 40) };
}

export const describeKill = (p: KillPoint) => (p.mode === "delay" ? `${p.ms} ms after spawn` : `${p.extraMs} ms after task #${p.k} began`);

/** How long a planned kill waits for its task line before killing anyway (the work may be over). */
const TASK_WAIT_MS = 6_000;

export interface KilledRun {
  /** The daemon was alive when SIGKILL was sent (a fault really delivered). */
  readonly delivered: boolean;
  readonly log: string;
}

/** `serve` (not --once) with `env` and the config `conf`, SIGKILLed at `point`. */
export async function serveAndKill(world: World, conf: string, point: KillPoint, env: Record<string, string>, finished: () => Promise<boolean>): Promise<KilledRun> {
  const d = new DaemonProc(world.exe, ["serve", "--test-isolation", "-c", conf], world.idx.dir.path, env);
  try {
    if (point.mode === "delay") await Bun.sleep(point.ms);
    else {
      // Killed anyway once the work is over (an earlier run may have done most of it).
      const end = Date.now() + TASK_WAIT_MS;
      let polled = Date.now();
      while (d.count(/ >> \[[^\]]+\] Beginning task /) < point.k && Date.now() < end && d.proc.exitCode === null) {
        await Bun.sleep(5);
        if (Date.now() - polled > 200) {
          polled = Date.now();
          if (await finished()) break;
        }
      }
      if (point.extraMs > 0) await Bun.sleep(point.extraMs);
    }
    const delivered = d.proc.exitCode === null;
    d.proc.kill("SIGKILL");
    await d.proc.exited;
    return { delivered, log: d.text };
  } finally {
    d.proc.kill("SIGKILL");
  }
}

export interface OnceRun {
  readonly code: number;
  readonly log: string;
}

/** `serve --once` to the end (one update, the queue drained). */
export async function serveOnce(world: World, conf: string): Promise<OnceRun> {
  const p = Bun.spawn([world.exe, "serve", "--test-isolation", "-c", conf, "--once"], {
    cwd: world.idx.dir.path,
    env: { PATH: "/usr/bin:/bin", HOME: world.idx.dir.path },
    stdout: "ignore",
    stderr: "pipe",
    timeout: 120_000,
  });
  const [log, code] = await Promise.all([new Response(p.stderr).text(), p.exited]);
  return { code, log };
}
