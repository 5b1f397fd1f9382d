// What the state of a filed row means for `--wait` (pure): still pending, done, or ended
// badly, and the running tally of a whole wait.

import type { FiledKind } from "./filed.ts";

export type Verdict = "pending" | "done" | "cancelled" | "corrupt" | "missing" | "vanished";

/** An import request is done when the daemon completed it (a scan: every file under it handled). */
export function importVerdict(row: { completed: number } | undefined): Verdict {
  if (!row) return "vanished";
  return Number(row.completed) ? "done" : "pending";
}

/** A copy request is done when completed; the daemon or an operator may cancel it instead. */
export function transferVerdict(row: { completed: number; cancelled: number } | undefined): Verdict {
  if (!row) return "vanished";
  if (Number(row.completed)) return "done";
  return Number(row.cancelled) ? "cancelled" : "pending";
}

/** A copy set suspect is checked when it leaves 'M': healthy, corrupt or missing. */
export function checkVerdict(row: { has_file: string } | undefined): Verdict {
  if (!row) return "vanished";
  switch (row.has_file) {
    case "Y":
      return "done";
    case "X":
      return "corrupt";
    case "N":
      return "missing";
    default:
      return "pending";
  }
}

/**
 * A copy released or marked for cleaning is done when the daemon has deleted it (has_file
 * 'N'); wanted again ('Y') means the cleaning was cancelled. A copy the archive-copy rule
 * keeps, or a discretionary mark on a node with room to spare, stays pending.
 */
export function deletionVerdict(row: { has_file: string; wants_file: string } | undefined): Verdict {
  if (!row) return "vanished";
  if (row.has_file === "N") return "done";
  return row.wants_file === "Y" ? "cancelled" : "pending";
}

/** The noun for one item of each kind, singular and plural. */
export const KIND_NOUN: Record<FiledKind, readonly [string, string]> = {
  imports: ["import request", "import requests"],
  transfers: ["transfer", "transfers"],
  checks: ["check", "checks"],
  deletions: ["deletion", "deletions"],
};

export function kindNoun(kind: FiledKind, n: number): string {
  return KIND_NOUN[kind][n === 1 ? 0 : 1];
}

/** How each bad end is named in the listing. */
export const VERDICT_WORD: Record<Exclude<Verdict, "done">, string> = {
  pending: "Pending",
  cancelled: "Cancelled",
  corrupt: "Corrupt",
  missing: "Missing",
  vanished: "Gone from the index",
};

interface Item {
  verdict: Verdict;
  size: number | null;
}

/** The verdict and size of every filed row; a row never leaves a final verdict once reached. */
export class WaitTally {
  private readonly items = new Map<number, Item>();
  constructor(ids: readonly number[]) {
    for (const id of ids) this.items.set(id, { verdict: "pending", size: null });
  }

  apply(id: number, verdict: Verdict, size: number | null): void {
    const item = this.items.get(id);
    if (!item || item.verdict !== "pending") return;
    item.verdict = verdict;
    if (size !== null) item.size = Number(size);
  }

  pendingIds(): number[] {
    return [...this.items].filter(([, i]) => i.verdict === "pending").map(([id]) => id);
  }

  /** Ids that ended badly or are still pending, with their verdicts. */
  unfinished(): Array<[number, Exclude<Verdict, "done">]> {
    return [...this.items].filter(([, i]) => i.verdict !== "done").map(([id, i]) => [id, i.verdict as Exclude<Verdict, "done">]);
  }

  counts() {
    let finished = 0;
    let failed = 0;
    let bytesTotal = 0;
    let bytesFinished = 0;
    let sized = 0;
    for (const i of this.items.values()) {
      if (i.verdict !== "pending") finished++;
      if (i.verdict !== "pending" && i.verdict !== "done") failed++;
      if (i.size !== null) {
        sized++;
        bytesTotal += i.size;
        if (i.verdict !== "pending") bytesFinished += i.size;
      }
    }
    // Bytes mean something only when every item has a known size (imports have none).
    const known = sized === this.items.size && sized > 0;
    return {
      total: this.items.size,
      finished,
      failed,
      pending: this.items.size - finished,
      bytesTotal: known ? bytesTotal : null,
      bytesFinished: known ? bytesFinished : null,
    };
  }
}
