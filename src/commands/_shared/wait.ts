// `--wait [--timeout DUR]` of the request-filing commands: after filing, follow the filed rows
// in the index (never the daemon's log or the files) until each has reached an end, drawing a
// progress line on a terminal, then say how it ended: exit 0 all done, 1 some failed (each
// listed), 3 time ran out (what is still pending listed).

import { AbortedError, UsageError } from "../../common/errors.ts";
import { WaitFailedError, WaitTimeoutError } from "../../common/wait-errors.ts";
import type { Db } from "../../index/driver/types.ts";
import {
  copyRequestStates,
  copyStates,
  describeCopies,
  describeCopyRequests,
  describeImportRequests,
  importRequestStates,
} from "../../index/queries/wait.ts";
import type { CommandContext } from "./context.ts";
import { defineOptions } from "./define.ts";
import { formatDuration, parseDuration } from "./duration.ts";
import { FiledCollector, type FiledKind, type FiledWork } from "./filed.ts";
import { progressLine } from "./progress.ts";
import { checkVerdict, deletionVerdict, importVerdict, kindNoun, transferVerdict, VERDICT_WORD, WaitTally } from "./wait-outcome.ts";
import { prettyBytes } from "../../common/format.ts";

/** How often the index is read while waiting: one statement per chunk of pending rows. */
export const POLL_INTERVAL_MS = 1000;

/** The two options every request-filing command declares last. */
export const WAIT_OPTIONS = defineOptions({
  wait: {
    names: ["--wait"],
    kind: "flag",
    help: "After filing the requests, wait until the daemon has completed them.  Exits 0 if all completed, 1 if any was cancelled or left a corrupt or missing copy, and 3 if --timeout expired first.",
  },
  timeout: {
    names: ["--timeout"],
    kind: "value",
    metavar: "DUR",
    help: "With --wait, give up after DUR: seconds (90 or 90s), minutes (15m) or hours (2h).  Default: no limit.",
  },
});

export interface WaitPlan {
  readonly wait: boolean;
  readonly timeoutS: number | null;
  /** Given to the filing code when waiting, so it records the ids of what it files. */
  readonly collector: FiledCollector | undefined;
}

/** Check `--wait`/`--timeout` before anything is filed (a usage error must not come after). */
export function waitPlan(a: { readonly wait: boolean; readonly timeout: string | undefined }): WaitPlan {
  if (a.timeout !== undefined && !a.wait) throw new UsageError("--timeout may only be used with --wait");
  let timeoutS: number | null = null;
  if (a.timeout !== undefined) {
    timeoutS = parseDuration(a.timeout);
    if (timeoutS === null) throw new UsageError(`Invalid value for '--timeout': '${a.timeout}' is not a duration (N, Ns, Nm or Nh).`);
  }
  return { wait: a.wait, timeoutS, collector: a.wait ? new FiledCollector() : undefined };
}

type StateRow = { id: number; verdict: ReturnType<typeof importVerdict>; size: number | null };

/** The current verdict of each of these rows, read set-wise. */
async function readStates(db: Db, kind: FiledKind, ids: readonly number[]): Promise<Map<number, StateRow>> {
  let rows: StateRow[];
  switch (kind) {
    case "imports":
      rows = (await importRequestStates(db, ids)).map((r) => ({ id: Number(r.id), verdict: importVerdict(r), size: null }));
      break;
    case "transfers":
      rows = (await copyRequestStates(db, ids)).map((r) => ({ id: Number(r.id), verdict: transferVerdict(r), size: r.size_b }));
      break;
    case "checks":
      rows = (await copyStates(db, ids)).map((r) => ({ id: Number(r.id), verdict: checkVerdict(r), size: r.size_b }));
      break;
    case "deletions":
      rows = (await copyStates(db, ids)).map((r) => ({ id: Number(r.id), verdict: deletionVerdict(r), size: r.size_b }));
      break;
  }
  return new Map(rows.map((r) => [r.id, r]));
}

function describe(db: Db, kind: FiledKind, ids: readonly number[]): Promise<Map<number, string>> {
  if (kind === "imports") return describeImportRequests(db, ids);
  if (kind === "transfers") return describeCopyRequests(db, ids);
  return describeCopies(db, ids);
}

/**
 * Wait for what the command filed, when `--wait` was given and something was filed (a check
 * run, a "no" at the prompt or nothing to do files nothing, and then there is nothing to wait
 * for). Returns when all is done; throws WaitFailedError or WaitTimeoutError otherwise.
 */
export async function waitForFiled(ctx: CommandContext, plan: WaitPlan, work: FiledWork | undefined = plan.collector?.filed): Promise<void> {
  if (!plan.wait || !work || work.ids.length === 0) return;
  const { kind } = work;
  const tally = new WaitTally(work.ids);
  const progress = progressLine(ctx.io.stderrIsTTY === true, (t) => ctx.io.stderr(t));
  const start = performance.now();
  const deadline = plan.timeoutS === null ? Infinity : start + plan.timeoutS * 1000;
  const elapsedS = () => (performance.now() - start) / 1000;
  // Ctrl-C stops the wait, not the work: the requests stay filed. The progress line is ended
  // first, then click's `Aborted!` (exit 1), as at a prompt.
  const interrupt = interruptibleSleep();
  try {
    for (;;) {
      const pending = tally.pendingIds();
      const states = await readStates(ctx.db, kind, pending);
      for (const id of pending) {
        const row = states.get(id);
        tally.apply(id, row ? row.verdict : "vanished", row ? row.size : null);
      }
      const c = tally.counts();
      progress.draw({ ...c, noun: kindNoun(kind, 2), elapsedS: elapsedS() });
      if (c.pending === 0 || interrupt.interrupted) break;
      const left = deadline - performance.now();
      if (left <= 0) break;
      await interrupt.sleep(Math.min(POLL_INTERVAL_MS, left));
      if (interrupt.interrupted) break;
    }
  } finally {
    interrupt.release();
    progress.finish();
  }
  if (interrupt.interrupted) throw new AbortedError();
  await report(ctx, kind, tally, elapsedS());
}

/** A sleep that SIGINT cuts short, and whether SIGINT came; `release` restores the default. */
function interruptibleSleep() {
  let wake: (() => void) | undefined;
  const state = {
    interrupted: false,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    release: () => process.off("SIGINT", onSigint),
  };
  const onSigint = () => {
    state.interrupted = true;
    wake?.();
  };
  process.on("SIGINT", onSigint);
  return state;
}

async function report(ctx: CommandContext, kind: FiledKind, tally: WaitTally, elapsedS: number): Promise<void> {
  const c = tally.counts();
  const took = formatDuration(elapsedS);
  if (c.pending === 0 && c.failed === 0) {
    const bytes = c.bytesTotal === null ? "" : ` (${prettyBytes(c.bytesTotal)})`;
    ctx.out.echo(`All ${c.total} ${kindNoun(kind, c.total)}${bytes} completed in ${took}.`);
    return;
  }
  const unfinished = tally.unfinished();
  const labels = await describe(ctx.db, kind, unfinished.map(([id]) => id));
  const lines = unfinished.map(([id, verdict]) => `${VERDICT_WORD[verdict]}: ${labels.get(id) ?? `#${id}`}`);
  // Failures first, then what is still pending, each group in name order.
  const rank = (l: string) => (l.startsWith("Pending: ") ? 1 : 0);
  lines.sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  for (const line of lines) ctx.out.echo(line);
  if (c.pending > 0) {
    const failed = c.failed ? `, ${c.failed} failed` : "";
    throw new WaitTimeoutError(`timed out after ${took}: ${c.pending} of ${c.total} ${kindNoun(kind, c.total)} still pending${failed}.`);
  }
  throw new WaitFailedError(`${c.failed} of ${c.total} ${kindNoun(kind, c.total)} failed.`);
}
