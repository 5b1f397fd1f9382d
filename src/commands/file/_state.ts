// Copy-state words of the `file` commands (pure): the has_file × wants_file table of
// alpenhorn's ArchiveFileCopy.state (alpenhorn/db/archive.py), the group-state words, and the
// word list `file state` prints.

import type { HasFile, WantsFile } from "../../index/rows.ts";
import { copyStateWord } from "../_shared/copy-state.ts";

export { copyStateWord };

/** StorageGroup.state_on_node codes as `file show --groups` and `file list --details` print them. */
export function groupStateWord(state: HasFile): string {
  return { Y: "Present", M: "Suspect", X: "Corrupt", N: "Absent" }[state] ?? "Unknown";
}

/** What `file state` prints for a copy row (or its absence). */
export function fileStateWords(copy: { has_file: HasFile; wants_file: WantsFile; ready: number | boolean } | undefined): string {
  if (!copy) return "Absent";
  let state = copyStateWord(copy.has_file, copy.wants_file);
  // The has_file word is reported first; cleaning state follows as extra words.
  if (state === "Released") state = copy.has_file === "Y" ? "Healthy" : copy.has_file === "M" ? "Suspect" : "Corrupt";
  else if (state === "Removable") state = "Healthy";
  else if (state === "Removed") state = "Absent";
  if (copy.has_file !== "N") {
    if (copy.wants_file === "N") state += " Released";
    else if (copy.wants_file === "M") state += " Removable";
    if (Number(copy.ready)) state += " Ready";
  }
  return state;
}

/** The --corrupt/--healthy/--missing/--suspect flags of `file find` and `file list`. */
export interface StateFlags {
  corrupt: boolean;
  healthy: boolean;
  missing: boolean;
  suspect: boolean;
}

