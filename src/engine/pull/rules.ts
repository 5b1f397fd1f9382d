// The pure decisions of a pull, on facts already read: whether a copy request may go ahead
// (alpenhorn/db/archive.py: ArchiveFileCopyRequest.check at 632dd41) and whether a destination
// node has room (alpenhorn/db/storage.py: StorageNode.check_pull_dest). The daemon's group
// update and pull tasks (check.ts, queue.ts) and `alpenhorn file explain` call these same
// functions, so the explanation cannot drift from what the daemon does.

import type { HasFile, StorageNodeRow } from "../../index/rows.ts";

/** What the checks of a request conclude, before any destination check. */
export type RequestVerdict =
  | { readonly go: true; readonly source: StorageNodeRow }
  | { readonly go: false; readonly why: "duplicate" | "group-needs-check" | "source-inactive" | "missing" | "source-needs-check" };

/**
 * alpenhorn's request checks, in its order, on facts already read: the file's state in the
 * group, the source node's row and the state of the source copy. Pure.
 */
export function judgeRequest(inGroup: HasFile, source: StorageNodeRow | undefined, sourceState: HasFile): RequestVerdict {
  if (inGroup === "Y") return { go: false, why: "duplicate" };
  if (inGroup === "M") return { go: false, why: "group-needs-check" };
  if (!source || !Number(source.active)) return { go: false, why: "source-inactive" };
  if (sourceState === "N" || sourceState === "X") return { go: false, why: "missing" };
  if (sourceState === "M") return { go: false, why: "source-needs-check" };
  return { go: true, source };
}

export const GIB = 2 ** 30;

/** Whether a destination has room for pulls, and the figures of a refusal. */
export type RoomVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: "min-free"; readonly availGb: number; readonly minGb: number }
  | { readonly ok: false; readonly why: "full"; readonly totalGb: number; readonly maxGb: number };

/** Does the room check need the node's total stored bytes (it has a positive max_total_gb)? */
export function roomNeedsTotal(node: Pick<StorageNodeRow, "max_total_gb">): boolean {
  return node.max_total_gb !== null && Number(node.max_total_gb) > 0;
}

/**
 * Room on a destination: free space at or above min_avail_gb (unknown free space passes), and
 * stored bytes below a positive max_total_gb. `totalBytes` is read only when roomNeedsTotal.
 */
export function judgeRoom(node: Pick<StorageNodeRow, "avail_gb" | "min_avail_gb" | "max_total_gb">, totalBytes: () => number): RoomVerdict {
  const avail = node.avail_gb === null ? null : Number(node.avail_gb);
  const min = Number(node.min_avail_gb ?? 0);
  if (avail !== null && avail < min) return { ok: false, why: "min-free", availGb: avail, minGb: min };
  if (roomNeedsTotal(node)) {
    const max = Number(node.max_total_gb);
    const total = totalBytes() / GIB;
    if (total >= max) return { ok: false, why: "full", totalGb: total, maxGb: max };
  }
  return { ok: true };
}

/** The daemon's wording of a refusal (after `{message}: `). */
export function roomRefusalText(v: RoomVerdict & { ok: false }): string {
  return v.why === "min-free"
    ? `hit minimum free space: (${v.availGb.toFixed(2)} GiB < ${v.minGb.toFixed(2)} GiB)`
    : `node full.  (${v.totalGb.toFixed(2)} GiB >= ${v.maxGb.toFixed(2)} GiB)`;
}
