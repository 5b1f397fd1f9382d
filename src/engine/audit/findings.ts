// The audit's result types, shared by the run, the report and the history (types only).

import type { HasFile } from "../../index/rows.ts";
import type { Tally, WalkCounts } from "./classify.ts";
import type { UnknownDir } from "./walker.ts";

export type FindingClass = "missing" | "orphan" | "mismatch" | "corrupt";
export const FINDING_CLASSES: readonly FindingClass[] = ["missing", "orphan", "mismatch", "corrupt"];

export interface Finding {
  readonly class: FindingClass;
  /** Relative to the node root. */
  readonly path: string;
  /** On disk (absent for missing). */
  readonly disk_size: number | null;
  readonly disk_mtime: string | null;
  /** In the index (archivefile.size_b). */
  readonly index_size: number | null;
  /** The copy row as read after the listing (absent when no row exists). */
  readonly has_file: HasFile | null;
  readonly last_update: string | null;
  readonly copy_id: number | null;
  readonly file_id: number | null;
  /** For corrupt: the MD5 read now and the index's. */
  readonly md5?: string;
  readonly index_md5?: string | null;
  /** Consecutive runs that saw this finding unchanged (this run included). */
  sightings: number;
  /** What --fix / --register-new did: "marked-suspect", "import-requested", "changed-since" or null. */
  action: string | null;
}

export interface AuditOutcome {
  readonly findings: Finding[];
  readonly unknown: UnknownDir[];
  readonly excluded: Array<{ path: string; why: string }>;
  readonly counts: WalkCounts;
  readonly classes: Record<FindingClass, Tally>;
  /** Candidates dropped because the index row or the file changed during the audit. */
  readonly changedDuring: number;
  readonly expectedPresent: number;
  readonly zeroListing: boolean;
  readonly retries: number;
  readonly verified: { files: number; bytes: number } | null;
  readonly t0: Date;
  readonly t1: Date;
  /** When the "after" read of the index began (null when no candidate needed one). */
  readonly indexAfterRead: Date | null;
  readonly walkSeconds: number;
  readonly warnings: string[];
  /** 0 consistent, 1 inconsistencies, 3 incomplete or stopped by a guard. */
  readonly status: 0 | 1 | 3;
  history: { new: number; persisting: number; resolved: number; previousRun: number | null } | null;
  actions: { attempted: number; applied: number; skippedChanged: number; awaitingConfirmation: number };
}
