// Auto-verify (alpenhorn/daemon/update.py: UpdateableNode.run_auto_verify and
// alpenhorn/daemon/querywalker.py at 632dd41): each idle update of a node with auto_verify = N
// takes the next N present copies of a walk that starts at a random copy and wraps around,
// and marks those not updated for more than daemon.auto_verify_min_days suspect; the next
// update checks them. Ages are computed in UTC (alpenhorn read its naive UTC times as local).

import { parseUtc, utcNow } from "../../common/time.ts";
import { markSuspect, randomWalkStart, walkCopies, type WalkedCopy } from "../../index/queries/integrity.ts";
import type { NodeTarget } from "../updateable/target.ts";

const DAY_MS = 86_400_000;

/** Copies old enough to verify again: last updated more than `minDays` ago (or never). */
export function dueForVerify(copies: readonly WalkedCopy[], now: Date, minDays: number): WalkedCopy[] {
  const seen = new Set<number>();
  return copies.filter((c) => {
    const id = Number(c.id);
    if (seen.has(id)) return false;
    seen.add(id);
    const at = parseUtc(c.last_update);
    return at === null || (now.getTime() - at.getTime()) / DAY_MS > minDays;
  });
}

/** The walk's position over one node's copies. */
export class AutoVerifyWalk {
  private cursor: number | null = null;

  /** The next `n` copies of the walk (wrapping, repeating when fewer exist); [] ends the walk. */
  async next(node: NodeTarget, n: number): Promise<WalkedCopy[]> {
    const db = node.ctx.db;
    if (this.cursor === null) {
      const start = await randomWalkStart(db, node.row.id);
      if (start === undefined) return [];
      this.cursor = start;
    }
    const rows = await walkCopies(db, node.row.id, this.cursor, n);
    while (rows.length < n) {
      const more = await walkCopies(db, node.row.id, 0, n - rows.length);
      if (more.length === 0) {
        // Nothing left to walk: start afresh next time.
        this.cursor = null;
        return [];
      }
      rows.push(...more);
    }
    this.cursor = Number(rows[rows.length - 1]!.id) + 1;
    return rows;
  }

  /** One auto-verify step of `node`. */
  async step(node: NodeTarget, n: number): Promise<void> {
    const { ctx } = node;
    const minDays = ctx.config.int("daemon.auto_verify_min_days", { default: 7, min: 0 });
    const due = dueForVerify(await this.next(node, n), new Date(), minDays);
    if (due.length === 0) return;
    for (const c of due) ctx.log.info(`Auto-verifing copy "${c.acq_name}/${c.file_name}" on node ${node.name}.`);
    await markSuspect(ctx.db, due.map((c) => Number(c.id)), utcNow());
  }
}
