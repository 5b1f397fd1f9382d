// Integrity checks (alpenhorn/io/default/check.py: check_async at 632dd41): the node update
// queues one `Check file …` task per suspect copy (small ones in batches); the node's I/O class looks at the file
// (size first, then MD5), and the verdict is recorded field-wise (has_file, size_b on success,
// last_update), never over a removal or release that happened meanwhile. A file that changed
// while it was read, or a storage that did not answer, leaves the copy suspect for later.

import { copiesToCheck, type CopyToCheck } from "../../index/queries/integrity.ts";
import type { HasFile } from "../../index/rows.ts";
import type { CheckOutcome } from "../extension-api.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import type { Verdict } from "./recorder.ts";

/** The log line and index state of a check's outcome; null: leave the copy suspect. */
export function judge(copy: CopyToCheck, node: string, outcome: CheckOutcome): { level: "info" | "error"; line: string; has: HasFile; sizeB?: number } | null {
  const path = `${copy.acq_name}/${copy.file_name}`;
  const on = `File ${path} on node ${node}`;
  switch (outcome.result) {
    case "missing":
      return { level: "error", line: `${on} is missing!`, has: "N" };
    case "size":
      return { level: "error", line: `${on} is corrupt! Size: ${outcome.size}; expected: ${copy.size_b}`, has: "X" };
    case "md5":
      return { level: "error", line: `${on} is corrupt! MD5: ${outcome.md5 ?? "None"}; expected: ${copy.md5sum ?? "None"}`, has: "X" };
    case "not-file":
      return { level: "error", line: `${on} is corrupt! Not a regular file.`, has: "X" };
    case "ok":
      return { level: "info", line: `${on} is A-OK!`, has: "Y", sizeB: outcome.used };
    case "retry":
    case "wait":
      return null;
  }
}

/** Copies of at most this many bytes are checked in batches when the I/O class can. */
export const SMALL_CHECK_BYTES = 4 << 20;
/** Copies per batch, and bytes to read per batch, at most. */
export const CHECK_BATCH = 1000;
/**
 * Batches only when an update has more small copies to check than this: below it, alpenhorn's
 * task per copy (and its log lines) costs little.
 */
export const BATCH_ABOVE = 100;
const CHECK_BATCH_BYTES = 256 << 20;

/**
 * Node update step a): queue a check of every suspect, still wanted copy on the node, as
 * alpenhorn's task `Check file {path} on {node}` each; small files, when there are more than
 * BATCH_ABOVE of them and the node's I/O class checks in batches, as `Check file {path} (+N
 * more) on {node}` (one task and one fs-thread round trip for many: their verdicts are per file
 * all the same).
 */
export async function queueChecks(node: NodeTarget): Promise<void> {
  const { ctx, fifo, io } = node;
  if (!fifo || !io) return;
  // Verdicts of checks that finished are written first: their copies are no longer suspect.
  await ctx.recorder.flush();
  const copies = await copiesToCheck(ctx.db, node.row.id);
  const small = (c: CopyToCheck) => c.size_b !== null && Number(c.size_b) <= SMALL_CHECK_BYTES;
  const batching = io.checkBatch !== undefined && copies.filter(small).length > BATCH_ABOVE;
  let batch: CopyToCheck[] = [];
  let bytes = 0;
  const queueBatch = () => {
    const copies = batch;
    batch = [];
    bytes = 0;
    const more = copies.length > 1 ? ` (+${copies.length - 1} more)` : "";
    new Task({ queue: ctx.queue, key: fifo, name: `Check file ${pathOf(copies[0]!)}${more} on ${node.name}`, log: ctx.log, body: () => checkCopies(node, copies) });
  };
  for (const copy of copies) {
    const path = pathOf(copy);
    ctx.log.info(`Checking copy "${path}" on node ${node.name}.`);
    node.markIOHappened();
    if (batching && small(copy)) {
      batch.push(copy);
      bytes += Number(copy.size_b);
      if (batch.length >= CHECK_BATCH || bytes >= CHECK_BATCH_BYTES) queueBatch();
      continue;
    }
    new Task({ queue: ctx.queue, key: fifo, name: `Check file ${path} on ${node.name}`, log: ctx.log, body: () => checkCopy(node, copy) });
  }
  if (batch.length > 0) queueBatch();
}

const pathOf = (copy: CopyToCheck) => `${copy.acq_name}/${copy.file_name}`;
const expectedOf = (copy: CopyToCheck) => ({ size: copy.size_b === null ? null : Number(copy.size_b), md5: copy.md5sum });

async function* checkCopy(node: NodeTarget, copy: CopyToCheck): AsyncGenerator<number, void, void> {
  const { ctx, io } = node;
  if (!io) return;
  ctx.metrics.inc("verification_checks", { node: node.name });
  let outcome = await io.check(pathOf(copy), expectedOf(copy), { id: Number(copy.id), fileId: Number(copy.file_id) });
  // A class staging the file first (LustreHSM restoring from tape) has this task wait, deferred.
  while (outcome.result === "wait") {
    yield outcome.seconds;
    outcome = await outcome.resume();
  }
  record(node, copy, outcome);
}

/** A batch of small copies, by the class's checkBatch (which never waits). */
async function checkCopies(node: NodeTarget, copies: readonly CopyToCheck[]): Promise<void> {
  const { ctx, io } = node;
  if (!io?.checkBatch) return;
  ctx.metrics.inc("verification_checks", { node: node.name }, copies.length);
  const outcomes = await io.checkBatch(copies.map((c) => ({ rel: pathOf(c), expected: expectedOf(c) })));
  for (const [i, copy] of copies.entries()) record(node, copy, outcomes[i]!);
}

/** Log a check's outcome and hand its verdict to the recorder. */
function record(node: NodeTarget, copy: CopyToCheck, outcome: CheckOutcome): void {
  const { ctx } = node;
  const path = pathOf(copy);
  const verdict = judge(copy, node.name, outcome);
  if (verdict === null) {
    ctx.log.info(`Check of ${path} on node ${node.name} left for later: ${(outcome as { why: string }).why}.`);
    return;
  }
  if (verdict.level === "error") ctx.log.error(verdict.line);
  else ctx.log.info(verdict.line);
  ctx.log.info(`Updating file copy #${copy.id} for file ${path} on node ${node.name}.`);
  const v: Verdict = { copyId: Number(copy.id), hasFile: verdict.has, sizeB: verdict.sizeB };
  ctx.recorder.verdict(v);
}
