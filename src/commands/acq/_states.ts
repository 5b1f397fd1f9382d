// Group state of a file (alpenhorn's StorageGroup.state_on_node in alpenhorn/db/storage.py)
// and its `acq files` wording (alpenhorn/cli/acq/files.py); copy words are shared.

export { copyStateWord } from "../_shared/copy-state.ts";

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
