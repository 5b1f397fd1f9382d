// Deletion (alpenhorn/io/default/delete.py at 632dd41, with upstream's later in-task re-check
// and daemon.archive_copy_count, 89943e0): the node update selects released copies (and, under
// min_avail_gb on a non-archive node, removable ones until enough space is freed) and queues
// them in batches of ten. The first task of a run of batches claims their copies in one
// transaction that re-checks the archive-copy rule on locked rows (ClaimAhead); each task
// removes its claimed files, then records them removed.

import { archiveCopyCount, underMinimumSpace } from "../../common/archive-rule.ts";
import { prettyBytes } from "../../common/format.ts";
import { claimBatchForDelete, deleteCandidates, pendingSourceFileIds, releaseClaim, type Claim, type ClaimRules, type DeleteCandidate } from "../../index/queries/integrity.ts";
import type { HasFile } from "../../index/rows.ts";
import { retryBusy } from "../retry.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";

/** Copies per `Delete copies […]` task, as alpenhorn batches them. */
export const DELETE_BATCH = 10;
/** Copies per task when an update has more than BULK_ABOVE to delete (one round trip each). */
export const BULK_DELETE_BATCH = 100;
const BULK_ABOVE = 100;
const GIB = 2 ** 30;

/**
 * alpenhorn's selection, pure: removable (wants_file M) copies only while `needed` bytes remain
 * to be freed, never a copy a pending transfer reads from; batches of `batchSize` in order.
 */
export function selectDeletions(
  candidates: readonly DeleteCandidate[],
  transferSources: ReadonlySet<number>,
  needed: number,
  batchSize = DELETE_BATCH,
): { batches: DeleteCandidate[][]; transferPending: DeleteCandidate[] } {
  const batches: DeleteCandidate[][] = [];
  const transferPending: DeleteCandidate[] = [];
  let batch: DeleteCandidate[] = [];
  let left = needed;
  for (const c of candidates) {
    if (c.wants_file === "M" && left <= 0) continue;
    if (transferSources.has(Number(c.file_id))) {
      transferPending.push(c);
      continue;
    }
    if (left > 0) left -= Number(c.copy_size_b || c.size_b || 0);
    if (batch.length === batchSize) {
      batches.push(batch);
      batch = [];
    }
    batch.push(c);
  }
  if (batch.length > 0) batches.push(batch);
  return { batches, transferPending };
}

/** Node update step b): queue the deletions the node's copies call for. */
export async function queueDeletions(node: NodeTarget): Promise<void> {
  const { ctx, fifo, row } = node;
  if (!fifo || !node.io) return;
  const avail = row.avail_gb === null ? null : Number(row.avail_gb);
  const min = Number(row.min_avail_gb ?? 0);
  const underMin = underMinimumSpace(row);
  const needed = underMin && avail !== null ? Math.floor((min - avail) * GIB) : 0;
  if (underMin) ctx.log.info(`Hit minimum available space on ${node.name} -- will attempt to free ${prettyBytes(needed)}.`);
  // Deletions that finished are written first: their copies are no longer candidates.
  await ctx.recorder.flush();
  const candidates = await deleteCandidates(ctx.db, row.id, underMin);
  if (candidates.length === 0) return;
  const sources = await pendingSourceFileIds(ctx.db, row.id);
  const { batches, transferPending } = selectDeletions(candidates, sources, needed, candidates.length > BULK_ABOVE ? BULK_DELETE_BATCH : DELETE_BATCH);
  for (const c of transferPending) ctx.log.info(`Skipping delete of ${c.acq_name}/${c.file_name} on node ${node.name}: transfer pending`);
  const rules: ClaimRules = { archiveCopies: archiveCopiesRequired(node), discretionary: underMin };
  let claims: ClaimAhead | undefined;
  let inClaim = 0;
  for (const [i, batch] of batches.entries()) {
    if (!claims || inClaim >= CLAIM_AHEAD) {
      // The next batches up to CLAIM_AHEAD copies are claimed together.
      let n = 0;
      let j = i;
      while (j < batches.length && n < CLAIM_AHEAD) n += batches[j++]!.length;
      claims = new ClaimAhead(node, batches.slice(i, j).flat(), rules);
      inClaim = 0;
    }
    inClaim += batch.length;
    const group = claims;
    node.markIOHappened();
    new Task({
      queue: ctx.queue,
      key: fifo,
      name: `Delete copies [${batch.map((c) => c.id).join(", ")}] from ${node.name}`,
      log: ctx.log,
      body: () => deleteBatch(node, batch, group),
    });
  }
}

/** Copies (in whole batches) claimed together, by whichever of their tasks runs first. */
const CLAIM_AHEAD = 1000;

/**
 * The claims of the copies of several batches, made in one transaction when the first of their
 * tasks runs (not when they are queued: the archive-copy rule is checked as late as it can be,
 * as upstream's in-task re-check does), so that ten thousand deletions cost ten commits, not a
 * thousand. A claimed copy (has_file 'M', wants_file unchanged) whose task never runs
 * (the node stopped) is selected and claimed again by a later update.
 */
class ClaimAhead {
  private claims?: Promise<Map<number, Claim>>;
  constructor(
    private readonly node: NodeTarget,
    private readonly copies: readonly DeleteCandidate[],
    private readonly rules: ClaimRules,
  ) {}

  of(): Promise<Map<number, Claim>> {
    this.claims ??= retryBusy(() =>
      this.node.ctx.db.transaction(async (tx) => {
        const ids = this.copies.map((c) => Number(c.id));
        const claims = await claimBatchForDelete(tx, ids, this.rules);
        return new Map(ids.map((id, i) => [id, claims[i]!]));
      }),
    );
    return this.claims;
  }
}

/** `daemon.archive_copy_count`: healthy archive copies that must remain besides the deleted one. */
export function archiveCopiesRequired(node: NodeTarget): number {
  return archiveCopyCount(node.ctx.config);
}

async function deleteBatch(node: NodeTarget, batch: readonly DeleteCandidate[], ahead: ClaimAhead): Promise<void> {
  const { ctx, io } = node;
  if (!io) return;
  const claimed: Array<{ copy: DeleteCandidate; previous: HasFile }> = [];
  const claims = await ahead.of();
  for (const copy of batch) {
    const claim = claims.get(Number(copy.id))!;
    const path = `${copy.acq_name}/${copy.file_name}`;
    if (claim.claimed) claimed.push({ copy, previous: claim.previous });
    else if (claim.reason === "too-few") ctx.log.warning(`Too few archive copies (${claim.archiveCopies}) to delete ${path} on ${node.name}.`);
    else if (claim.reason === "transfer-pending") ctx.log.info(`Skipping delete of ${path} on node ${node.name}: transfer pending`);
  }
  if (claimed.length === 0) return;
  const { files, dirs } = await io.remove(claimed.map((c) => `${c.copy.acq_name}/${c.copy.file_name}`));
  for (const [i, { copy, previous }] of claimed.entries()) {
    const path = `${copy.acq_name}/${copy.file_name}`;
    const fact = files[i]!;
    if (fact === "removed" || fact === "missing") {
      if (fact === "removed") {
        ctx.metrics.inc("deleted_files", { node: node.name });
        if (copy.size_b) ctx.metrics.inc("deleted_bytes", { node: node.name }, Number(copy.size_b));
        ctx.log.info(`Removed file copy ${path} on ${node.name}`);
      } else ctx.log.info(`File copy ${path} missing on ${node.name} during delete`);
      ctx.recorder.deleted(Number(copy.id));
      continue;
    }
    // Not removed: give the copy its state back, so it is neither lost nor left claimed.
    if (fact === "outside") ctx.log.warning(`Error deleting ${path}: not inside node root ${node.row.root}`);
    else ctx.log.warning(`Error deleting ${path}: ${fact.error}`);
    await releaseClaim(ctx.db, Number(copy.id), previous);
  }
  for (const d of dirs) {
    if ("removed" in d) ctx.log.info(`Removed directory ${d.dir} on ${node.name}`);
    else ctx.log.warning(`Error deleting directory ${d.dir} on ${node.name}: ${d.error}`);
  }
}
