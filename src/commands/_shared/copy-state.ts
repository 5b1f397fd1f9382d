// The human word for a copy's state (has_file × wants_file, as alpenhorn's
// ArchiveFileCopy.state in alpenhorn/db/archive.py words it), shared by every
// command that lists copies. Group-state wordings differ per command and stay with them.

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

/** ArchiveFileCopy.state: the word for a copy row; any other combination is `Corrupt`. */
export function copyStateWord(has: HasFile | string, wants: WantsFile | string): string {
  return COPY_STATES[`${has}${wants}`] ?? "Corrupt";
}
