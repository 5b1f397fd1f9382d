// The task of a batch of local pulls from one source node into one destination node
// (`AFCR#{id} (+N more): {source} -> {destination}`): the requests are read and checked again
// together (anything cancelled, completed or changed since they were queued drops out here,
// with the lines pullTask logs), the destination's room checked once, the files moved by the
// destination I/O's pullBatch, and the outcomes booked together (finish.ts). alpenhorn runs one
// task per request (alpenhorn/io/default/pull.py: pull_async at 632dd41); a sync of thousands of
// small files spends its time in that per-file bookkeeping, which a batch pays once.

import { groupStateOf } from "../../index/queries/copies.ts";
import { pullFacts } from "../../index/queries/pull-facts.ts";
import type { PullRequest } from "../../index/queries/pulls.ts";
import type { NodeRemote, PullJob } from "../extension-api.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { actOnVerdict, checkPullDest, judgeRequest, pathOf, sourceReady, sourceRemote, type PullGroup } from "./check.ts";
import { finishPulls } from "./finish.ts";
import { pullTimeout } from "./task.ts";

/** Requests per batch task. */
export const PULL_BATCH = 1000;
/** Batches only for more pulls than this from one source to one node in one update. */
export const BATCH_ABOVE = 100;

/** The name of a batch's task: alpenhorn's `AFCR#{id}: …` for one request. */
export function batchTaskName(reqs: readonly PullRequest[], source: string, dest: string): string {
  const more = reqs.length > 1 ? ` (+${reqs.length - 1} more)` : "";
  return `AFCR#${reqs[0]!.id}${more}: ${source} -> ${dest}`;
}

export async function pullBatchTask(node: NodeTarget, reqs: readonly PullRequest[], group: PullGroup): Promise<void> {
  const { ctx, io } = node;
  if (!io?.pullBatch) return;
  const facts = await pullFacts(ctx.db, group.id, reqs.map((r) => Number(r.id)));
  for (const req of reqs) {
    const why = facts.settled.get(Number(req.id));
    if (why) ctx.log.info(`Skipping request for ${pathOf(req)}: request #${req.id} was ${why === "completed" ? "completed" : "cancelled"} meanwhile.`);
  }
  if (facts.pending.length === 0 || !(await checkPullDest(ctx, node))) return;
  const jobs: Array<{ req: PullRequest; job: PullJob }> = [];
  let remote: NodeRemote | undefined;
  for (const req of facts.pending) {
    const copies = facts.groupCopies.get(Number(req.file_id)) ?? [];
    const source = facts.sources.get(Number(req.node_from_id));
    const verdict = judgeRequest(groupStateOf(copies).state, source, req.source_state);
    if (!verdict.go) {
      await actOnVerdict(ctx, req, group, verdict, source?.name ?? String(req.node_from_id));
      continue;
    }
    // Queued as a local pull; a source moved to another host since waits for the next update.
    if (verdict.source.host !== ctx.host) continue;
    // The batch has one source node: one NodeRemote for all its requests.
    remote ??= sourceRemote(ctx, verdict.source);
    if (!(await sourceReady(ctx, req, verdict.source, remote))) continue;
    const size = Number(req.size_b ?? 0);
    jobs.push({
      req,
      job: {
        rel: pathOf(req),
        size,
        md5: req.md5sum,
        source: remote.node,
        sourcePath: remote.filePath(req.acq_name, req.file_name),
        local: true,
        sourceAddr: null,
        // A copy the index knows corrupt is replaced; any other file found there is checked instead.
        overwrite: copies.some((c) => c.node_id === Number(node.row.id) && c.has_file === "X"),
        timeout: pullTimeout(node, size),
      },
    });
  }
  if (jobs.length === 0) return;
  const source = facts.sources.get(Number(jobs[0]!.req.node_from_id))!;
  const start = Date.now();
  const outcomes = await io.pullBatch(jobs.map((j) => j.job));
  await finishPulls(
    node,
    group,
    source,
    jobs.map((j, i) => ({ req: j.req, outcome: outcomes[i]! })),
    start,
  );
}
