// The archive-copy rule and what it counts, as pure predicates shared by the daemon's deletion
// claim (src/index/queries/integrity.ts) and the operator tools (node risk, node drain, file
// explain), so that what the CLI predicts and what the daemon does are one definition.
// Kept in common/ because the claim, in the index layer, must use it too.

import type { Config } from "./config.ts";

/** `daemon.archive_copy_count` when not configured (alpenhorn's long-standing two copies). */
export const DEFAULT_ARCHIVE_COPY_COUNT = 2;

/** `daemon.archive_copy_count`: healthy archive copies that must remain besides a deleted one. */
export function archiveCopyCount(config: Config): number {
  return config.int("daemon.archive_copy_count", { default: DEFAULT_ARCHIVE_COPY_COUNT, min: 0 });
}

/**
 * A copy the rule counts: has_file 'Y'. Its wants_file does not matter (a released copy still
 * holds the bytes until its own deletion is claimed, which marks it suspect first), and neither
 * does whether its node is active.
 */
export function isHealthyCopy(copy: { readonly has_file: string }): boolean {
  return copy.has_file === HEALTHY_HAS_FILE;
}

/** The has_file value of a healthy copy, for set-wise queries that must count the same copies. */
export const HEALTHY_HAS_FILE = "Y";

/** An archive node: storage_type 'A'. Only copies on these count towards the rule. */
export function isArchiveNode(node: { readonly storage_type: string }): boolean {
  return node.storage_type === "A";
}

/** May a copy go, with `otherArchiveCopies` healthy archive copies of its file left elsewhere? */
export function archiveRuleAllowsDelete(otherArchiveCopies: number, required: number): boolean {
  return otherArchiveCopies >= required;
}

/**
 * Is a copy up for deletion? Released copies (wants_file 'N') always; removable ones ('M') only
 * while `discretionary` (its node is short of space, see underMinimumSpace).
 */
export function upForDeletion(copy: { readonly wants_file: string }, discretionary: boolean): boolean {
  return copy.wants_file === "N" || (discretionary && copy.wants_file === "M");
}

/**
 * A non-archive node below its `min_avail_gb` deletes removable copies too, until enough is
 * freed; archive nodes never do. An unknown free space is never short.
 */
export function underMinimumSpace(node: { readonly avail_gb: number | null; readonly min_avail_gb: number | null; readonly storage_type: string }): boolean {
  const avail = node.avail_gb === null ? null : Number(node.avail_gb);
  return avail !== null && avail < Number(node.min_avail_gb ?? 0) && !isArchiveNode(node);
}

/** The risk classes of `node risk`, in the order they are shown. */
export const RISK_CLASSES = ["only_here", "under_archived", "no_healthy_copy"] as const;
export type RiskClass = (typeof RISK_CLASSES)[number];

/**
 * The risk classes of one copy, from its state and its file's counts over all nodes (this copy
 * included): `healthyCopies` healthy copies anywhere, `archiveCopies` healthy ones on archive
 * nodes. A healthy copy is `only_here` when it is the only healthy copy, and `under_archived`
 * when the file has fewer healthy archive copies than `required`; a suspect or corrupt copy is
 * `no_healthy_copy` when no healthy copy exists. A missing copy ('N') is in no class.
 * src/index/queries/risk.ts counts the same classes set-wise; a test holds them together.
 */
export function riskClassesOf(hasFile: string, healthyCopies: number, archiveCopies: number, required: number): RiskClass[] {
  if (hasFile === HEALTHY_HAS_FILE) {
    const out: RiskClass[] = [];
    if (healthyCopies === 1) out.push("only_here");
    if (archiveCopies < required) out.push("under_archived");
    return out;
  }
  if ((hasFile === "M" || hasFile === "X") && healthyCopies === 0) return ["no_healthy_copy"];
  return [];
}
