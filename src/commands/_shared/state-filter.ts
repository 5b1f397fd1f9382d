// The file-copy state filters `--healthy/--missing/--corrupt/--suspect` (alpenhorn's
// state_constraint in alpenhorn/cli/options.py) as data: each flag names a (has_file,
// wants_file) condition; the queries render them as SQL.

import type { CopyStateCondition } from "../../index/queries/bulk-common.ts";

export type CopyStateName = "corrupt" | "healthy" | "missing" | "suspect";

/** The conditions per flag; a released (wants 'N') copy is never healthy, corrupt or suspect. */
export const STATE_CONDITIONS: Readonly<Record<CopyStateName, CopyStateCondition>> = {
  corrupt: { has: "X", op: "<>", wants: "N" },
  healthy: { has: "Y", op: "<>", wants: "N" },
  missing: { has: "N", op: "=", wants: "Y" },
  suspect: { has: "M", op: "<>", wants: "N" },
};

export type StateFlags = Partial<Record<CopyStateName, boolean>>;

/** The conditions selected by the set flags (to be OR-ed); empty when none is set. */
export function stateConditions(flags: StateFlags): CopyStateCondition[] {
  const order: CopyStateName[] = ["corrupt", "healthy", "missing", "suspect"];
  return order.filter((name) => flags[name]).map((name) => STATE_CONDITIONS[name]);
}

