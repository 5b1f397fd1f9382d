// One trial: a fresh world, the kind's work filed through the CLI, the daemon SIGKILLed at one
// to three drawn points, then `serve --once` until the work is finished, then the invariants.

import type { Backend } from "../../helpers/index.ts";
import type { Sshd } from "../../helpers/sshd.ts";
import { checkInvariants, findingsCount, type Findings } from "./invariants.ts";
import { describeKill, drawKillPoint, serveAndKill, serveOnce } from "./kill.ts";
import type { Kind } from "./kinds.ts";
import { Rng } from "./plan.ts";
import { leftoversUnder } from "./disk.ts";
import { World } from "./world.ts";

/** `serve --once` runs allowed to finish the work after the kills. */
const MAX_RECOVERY_RUNS = 6;

export interface TrialResult {
  readonly kind: string;
  readonly backend: Backend;
  readonly seed: number;
  /** SIGKILLs that hit a running daemon. */
  readonly kills: number;
  /** Of those, kills that left work unfinished (the restart had something to finish). */
  readonly midWork: number;
  readonly killPoints: string[];
  readonly recoveryRuns: number;
  /** The work was finished by the end. */
  readonly finished: boolean;
  readonly findings: Findings;
  /** The kind's own expectations about the end state that did not hold. */
  readonly problems: string[];
  readonly ms: number;
  /** Every daemon run's log, in order (kept for a failing trial's report). */
  readonly logs: string[];
}

export const trialPassed = (r: TrialResult) => r.finished && r.problems.length === 0 && findingsCount(r.findings) === 0;

export async function runTrial(kind: Kind, backend: Backend, seed: number, sshd: Sshd | null): Promise<TrialResult> {
  const t0 = performance.now();
  const rng = new Rng(seed);
  await using world = await World.create(backend, rng, sshd);
  const work = await kind.prepare(world, rng);
  const tPrepared = performance.now();
  const kills = rng.int(1, 3);
  const killConf = world.conf(work.killConf);
  let delivered = 0;
  let midWork = 0;
  const killPoints: string[] = [];
  const logs: string[] = [];
  for (let i = 0; i < kills; i++) {
    const point = drawKillPoint(rng, work.tasks, work.maxDelayMs);
    killPoints.push(describeKill(point));
    const run = await serveAndKill(world, killConf, point, work.killEnv, () => work.finished());
    logs.push(`--- serve killed ${describeKill(point)} ---\n${run.log}`);
    if (!run.delivered) continue;
    delivered++;
    if (!(await work.finished())) midWork++;
  }
  const tKilled = performance.now();
  const onceConf = world.conf();
  let runs = 0;
  const problems: string[] = [];
  for (; runs < MAX_RECOVERY_RUNS; ) {
    runs++;
    const r = await serveOnce(world, onceConf);
    logs.push(`--- serve --once #${runs} ---\n${r.log}`);
    if (r.code !== 0) problems.push(`serve --once exited ${r.code}: ${r.log.split("\n").slice(-5).join(" | ")}`);
    const tidy = work.nodes.every((n) => leftoversUnder(n.root).length === 0);
    if (tidy && (await work.finished())) break;
  }
  const tRecovered = performance.now();
  if (process.env.FAULTS_PHASES) console.log(`${kind.name}/${backend}: prepare ${(tPrepared - t0).toFixed(0)} ms, kills ${(tKilled - tPrepared).toFixed(0)} ms, recovery ${(tRecovered - tKilled).toFixed(0)} ms (${runs} runs)`);
  const finished = await work.finished();
  problems.push(...(await work.expect()));
  const findings = await checkInvariants(world, work.nodes, work.watched, work.healthyBefore);
  return { kind: kind.name, backend, seed, kills: delivered, midWork, killPoints, recoveryRuns: runs, finished, findings, problems, ms: performance.now() - t0, logs };
}
