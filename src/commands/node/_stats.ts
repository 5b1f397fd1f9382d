// Display form of node usage statistics, shared by `node stats` and `node show --stats`
// (alpenhorn's get_stats post-processing).

import { formatFixed, prettyBytes } from "../../common/format.ts";
import type { NodeCounts } from "../../index/queries/stats.ts";
import type { StorageNodeRow } from "../../index/rows.ts";

export interface NodeStatsText {
  count: number;
  /** Pretty total size, `-` when zero or unknown. */
  size: string;
  /** `%5.2f` of the fill percentage, `-` without a size or a positive max_total_gb. */
  percent: string;
  /** Counts, or `-` when zero. */
  corrupt: number | string;
  suspect: number | string;
  missing: number | string;
}

const dashIfZero = (n: number): number | string => (n ? n : "-");

export function formatNodeStats(node: StorageNodeRow, c: NodeCounts): NodeStatsText {
  const bytes = c.size === null ? 0 : Number(c.size);
  let size = "-";
  let percent = "-";
  if (bytes) {
    size = prettyBytes(c.size);
    const max = node.max_total_gb === null ? null : Number(node.max_total_gb);
    if (max && max > 0) percent = formatFixed((100 * bytes) / 2 ** 30 / max, 2).padStart(5, " ");
  }
  return { count: c.count, size, percent, corrupt: dashIfZero(c.corrupt), suspect: dashIfZero(c.suspect), missing: dashIfZero(c.missing) };
}

export interface NodeStatsJson {
  files: number;
  /** Σ registered sizes of the counted copies; 0 where the table prints `-` for none. */
  bytes: number;
  /** Fill percentage of max_total_gb, unrounded (0 when empty); null without a positive max_total_gb. */
  percent_full: number | null;
  corrupt_files?: number;
  suspect_files?: number;
  missing_files?: number;
}

/**
 * `--json` form of the same counts: numbers where the table prints `-` for zero, null only
 * where a value does not exist (no size limit). The three extra counts with `extra`.
 */
export function nodeStatsJson(node: StorageNodeRow, c: NodeCounts, extra: boolean): NodeStatsJson {
  const bytes = c.size === null ? 0 : Number(c.size);
  const max = node.max_total_gb === null ? 0 : Number(node.max_total_gb);
  const out: NodeStatsJson = { files: c.count, bytes, percent_full: max > 0 ? (100 * bytes) / 2 ** 30 / max : null };
  if (extra) Object.assign(out, { corrupt_files: c.corrupt, suspect_files: c.suspect, missing_files: c.missing });
  return out;
}
