// A live progress line on stderr for `--wait`: redrawn in place with a carriage return while
// stderr is a terminal, ended with a newline; nothing at all otherwise, so pipes and log
// files never collect control characters.

import { prettyBytes } from "../../common/format.ts";
import { formatDuration } from "./duration.ts";

export interface ProgressFacts {
  readonly finished: number;
  readonly total: number;
  /** Plural noun of the items, e.g. "transfers". */
  readonly noun: string;
  /** Null when the items have no size (import requests). */
  readonly bytesFinished: number | null;
  readonly bytesTotal: number | null;
  readonly elapsedS: number;
}

/** `3/10 transfers, 1.2 MiB of 4.0 MiB, 310.2 kiB/s, 12s elapsed, ETA 30s` (pure). */
export function progressText(f: ProgressFacts): string {
  const parts = [`${f.finished}/${f.total} ${f.noun}`];
  let eta: number | null = null;
  if (f.bytesFinished !== null && f.bytesTotal !== null) {
    const rate = f.elapsedS > 0 ? f.bytesFinished / f.elapsedS : 0;
    parts.push(`${prettyBytes(f.bytesFinished)} of ${prettyBytes(f.bytesTotal)}`, `${prettyBytes(Math.round(rate))}/s`);
    if (rate > 0) eta = (f.bytesTotal - f.bytesFinished) / rate;
  } else if (f.finished > 0) {
    eta = ((f.total - f.finished) * f.elapsedS) / f.finished;
  }
  parts.push(`${formatDuration(f.elapsedS)} elapsed`);
  parts.push(f.finished === f.total ? "done" : `ETA ${eta === null ? "unknown" : formatDuration(eta)}`);
  return parts.join(", ");
}

export interface ProgressLine {
  draw(facts: ProgressFacts): void;
  /** End the line (a newline after the last drawing), if one was drawn. */
  finish(): void;
}

export function progressLine(enabled: boolean, write: (text: string) => void): ProgressLine {
  let shown = false;
  return {
    draw(facts) {
      if (!enabled) return;
      write(`\r\x1b[K${progressText(facts)}`);
      shown = true;
    },
    finish() {
      if (shown) write("\n");
      shown = false;
    },
  };
}
