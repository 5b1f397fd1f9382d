// Copy and group state words of the `acq files` listings (spec §1.2 table, §1.6 group state).

import type { HasFile, WantsFile } from "../../index/rows.ts";

const COPY_STATES: Record<string, string> = {
  YY: "Healthy",
  YM: "Removable",
  YN: "Released",
  MY: "Suspect",
  MM: "Suspect",
  MN: "Released",
  XY: "Corrupt",
  XM: "Corrupt",
  XN: "Released",
  NY: "Missing",
  NM: "Removed",
  NN: "Removed",
};

/** Human-readable state of one copy (has_file + wants_file); any other pair is `Corrupt`. */
export function copyStateWord(has: HasFile | string, wants: WantsFile | string): string {
  return COPY_STATES[`${has}${wants}`] ?? "Corrupt";
}

/**
 * StorageGroup.state_on_node over a file's copies in the group, in database order: a 'Y'
 * copy wins at once; otherwise 'M' beats 'X' (the last 'M' seen, the first 'X' seen) beats 'N'.
 */
export function groupState<T extends { has_file: string }>(copies: readonly T[]): { state: string; copy: T | null } {
  let state = "N";
  let found: T | null = null;
  for (const c of copies) {
    if (c.has_file === "Y") return { state: "Y", copy: c };
    if (c.has_file === "M") {
      state = "M";
      found = c;
    } else if (c.has_file === "X" && state === "N") {
      state = "X";
      found = c;
    }
  }
  return { state, copy: found };
}

/** The `acq files --group` wording of a group state. */
export function groupStateWord(state: string): string {
  if (state === "Y") return "Present";
  if (state === "M") return "Needs Check";
  if (state === "N") return "Removed";
  return "Corrupt";
}
