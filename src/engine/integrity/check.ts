// Integrity checks (alpenhorn/io/default/check.py: check_async at 632dd41): the node update
// queues one `Check file …` task per suspect copy; the node's I/O class looks at the file
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

/** Node update step a): queue a check of every suspect, still wanted copy on the node. */
export async function queueChecks(node: NodeTarget): Promise<void> {
  const { ctx, fifo } = node;
  if (!fifo || !node.io) return;
  // Verdicts of checks that finished are written first: their copies are no longer suspect.
  await ctx.recorder.flush();
  for (const copy of await copiesToCheck(ctx.db, node.row.id)) {
    const path = `${copy.acq_name}/${copy.file_name}`;
    ctx.log.info(`Checking copy "${path}" on node ${node.name}.`);
    node.markIOHappened();
    new Task({ queue: ctx.queue, key: fifo, name: `Check file ${path} on ${node.name}`, log: ctx.log, body: () => checkCopy(node, copy) });
  }
}

async function* checkCopy(node: NodeTarget, copy: CopyToCheck): AsyncGenerator<number, void, void> {
  const { ctx, io } = node;
  if (!io) return;
  const path = `${copy.acq_name}/${copy.file_name}`;
  ctx.metrics.inc("verification_checks", { node: node.name });
  let outcome = await io.check(path, { size: copy.size_b === null ? null : Number(copy.size_b), md5: copy.md5sum }, { id: Number(copy.id), fileId: Number(copy.file_id) });
  // A class staging the file first (LustreHSM restoring from tape) has this task wait, deferred.
  while (outcome.result === "wait") {
    yield outcome.seconds;
    outcome = await outcome.resume();
  }
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
