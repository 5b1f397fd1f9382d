// Booking a pull's outcome (alpenhorn/db/archive.py: ArchiveFileCopyRequest.finish and
// alpenhorn/io/default/check.py: force_check_filecopy at 632dd41). Success: the log line, then
// the copy row and the request's completion in one transaction, the metrics, the auto-actions.
// A mismatch or a failure that may be the source's fault marks the source copy suspect; the
// request stays pending and is retried after the source's check. Every write is retried on
// lock contention, so a finished pull is never lost to a busy index.

import { prettyBytes, prettyDeltaT } from "../../common/format.ts";
import { formatUtcMicros, utcNow } from "../../common/time.ts";
import { forceCheckCopy, markSourceSuspect, recordPulls, type FinishedPull, type PullRequest } from "../../index/queries/pulls.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { PullOutcome } from "../extension-api.ts";
import { triggerAutoactionsMany, type NewCopy } from "../import/autoactions.ts";
import { retryBusy } from "../retry.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { pathOf, type PullGroup } from "./check.ts";

/** Bookkeeping retries: about a minute of backoff before a pull's result is given up to the next update. */
const BOOK = { tries: 12, reconnect: true } as const;

const utcOf = (ms: number) => formatUtcMicros(BigInt(Math.round(ms * 1000)));

export async function finishPull(node: NodeTarget, req: PullRequest, group: PullGroup, source: StorageNodeRow, outcome: PullOutcome, startMs: number): Promise<void> {
  const { ctx } = node;
  const path = pathOf(req);
  const labels = { node_from: source.name, group_to: group.name };
  switch (outcome.result) {
    case "unsupported":
      ctx.log.warning(`Skipping request for ${path}: ${outcome.why}.`);
      return;
    case "present":
      ctx.log.warning(`Skipping pull request for ${path}: file already on disk on node ${node.name}.`);
      ctx.log.info(`Requesting check of ${path} on node ${node.name}.`);
      await retryBusy(() => forceCheckCopy(ctx.db, req.file_id, node.row.id, outcome.used, utcNow()), BOOK);
      return;
    case "failed":
      if (outcome.checkSrc) {
        ctx.log.error("Copy failed.  Marking source file suspect.");
        ctx.log.info(`Output: ${outcome.message}`);
        await retryBusy(() => markSourceSuspect(ctx.db, req.file_id, source.id, utcNow()), BOOK);
        ctx.metrics.inc("transfers", { ...labels, result: "check_src" });
      } else {
        ctx.log.error("Copy failed");
        ctx.log.info(`Output: ${outcome.message}`);
        ctx.metrics.inc("transfers", { ...labels, result: "failure" });
      }
      return;
    case "mismatch":
      // alpenhorn names the source by its row id here; we name it.
      ctx.log.error(`MD5 mismatch on node ${node.name}; Marking source file ${req.file_name} on node ${source.name} suspect.`);
      await retryBusy(() => markSourceSuspect(ctx.db, req.file_id, source.id, utcNow()), BOOK);
      ctx.metrics.inc("transfers", { ...labels, result: "integrity" });
      return;
    case "done":
      break;
  }
  await bookDone(node, group, source, [{ req, used: outcome.used, startMs, endMs: Date.now() }]);
}

interface Done {
  readonly req: PullRequest;
  readonly used: number;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * Book the outcomes of a batch of pulls from one source: each failure as finishPull does, the
 * successes together (their log lines, one transaction for their copy rows, requests and
 * auto-actions, the metrics). A file's time is its own when the I/O class measured it.
 */
export async function finishPulls(node: NodeTarget, group: PullGroup, source: StorageNodeRow, done: ReadonlyArray<{ req: PullRequest; outcome: PullOutcome }>, startMs: number): Promise<void> {
  const endMs = Date.now();
  const ok: Done[] = [];
  for (const { req, outcome } of done) {
    if (outcome.result !== "done") await finishPull(node, req, group, source, outcome, startMs);
    else {
      const seconds = outcome.seconds;
      ok.push({ req, used: outcome.used, startMs: seconds === undefined ? startMs : endMs - seconds * 1000, endMs });
    }
  }
  await bookDone(node, group, source, ok);
}

async function bookDone(node: NodeTarget, group: PullGroup, source: StorageNodeRow, done: readonly Done[]): Promise<void> {
  if (done.length === 0) return;
  const { ctx } = node;
  let bytes = 0;
  const records: FinishedPull[] = [];
  const copies: NewCopy[] = [];
  for (const { req, used, startMs, endMs } of done) {
    const path = pathOf(req);
    const seconds = (endMs - startMs) / 1000;
    const size = Number(req.size_b ?? 0);
    bytes += size;
    ctx.log.info(
      `Pull of ${path} complete. Transferred ${prettyBytes(size)} in ${prettyDeltaT(seconds)} [${prettyBytes(seconds > 0 ? size / seconds : size)}/s]`,
    );
    records.push({ requestId: req.id, fileId: req.file_id, nodeId: node.row.id, sizeB: used, started: utcOf(startMs), completed: utcOf(endMs) });
    copies.push({ fileId: Number(req.file_id), path });
  }
  // The copies, the completions and the auto-actions they trigger: all or nothing.
  await retryBusy(
    () =>
      ctx.db.transaction(async (tx) => {
        await recordPulls(tx, records);
        await triggerAutoactionsMany(tx, ctx.log, node.row, copies);
      }),
    BOOK,
  );
  const labels = { node_from: source.name, group_to: group.name };
  ctx.metrics.inc("requests_completed", { type: "copy", result: "success", node: source.name, group: group.name }, done.length);
  ctx.metrics.inc("transfers", { ...labels, result: "success" }, done.length);
  ctx.metrics.inc("pulled_bytes", labels, bytes);
}
