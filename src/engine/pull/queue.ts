// The group update's pulls (alpenhorn/daemon/update.py: UpdateableGroup.update and
// update_pull, and alpenhorn/io/default/node.py: DefaultNodeIO.pull at 632dd41): for each file
// with pending requests into the group, its first request only is checked in the main loop
// (on facts read for all of them in three statements), given a destination member, checked for
// room, reserved and queued on the destination node's FIFO (where the tidy-up, which runs
// exclusive there, can never meet a pull in flight): a remote or copied pull as the task
// `AFCR#{id}: {source} -> {destination}`, and so are local pulls the destination I/O can batch
// (hard links) unless more than BATCH_ABOVE come from one source: those go in batches of
// PULL_BATCH (batch.ts).

import { groupStateOf } from "../../index/queries/copies.ts";
import { pullFacts } from "../../index/queries/pull-facts.ts";
import type { PullRequest } from "../../index/queries/pulls.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { GroupIO, GroupMember } from "../extension-api.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { BATCH_ABOVE, batchTaskName, PULL_BATCH, pullBatchTask } from "./batch.ts";
import { actOnVerdict, cancelRequest, checkPullDest, judgeRequest, pathOf, sourceReady, type PullGroup } from "./check.ts";
import { releaseBytes, reserveFrom } from "./reserve.ts";
import { remoteOf } from "./remote-of.ts";
import { pullTask } from "./task.ts";

/** The destination member for a file: the group I/O's choice, or its first member. */
async function destination(io: GroupIO, rel: string, size: number): Promise<GroupMember | null> {
  if (io.pullDestination) return io.pullDestination(rel, size);
  return io.getMembers()[0] ?? null;
}

/** Local pulls gathered from one source to one destination, queued in batches when many. */
interface Batch {
  readonly node: NodeTarget;
  readonly source: StorageNodeRow;
  readonly reqs: PullRequest[];
}

export async function queuePulls(ctx: DaemonContext, group: PullGroup, io: GroupIO, localNode: (id: number) => NodeTarget | undefined): Promise<void> {
  const facts = await pullFacts(ctx.db, group.id);
  const seen = new Set<number>();
  // Per destination, once per update: its room (pulls queued now do not change it; the
  // reservations account for them) and its free space.
  const destOk = new Map<number, boolean>();
  const avail = new Map<number, number | null>();
  const batches = new Map<string, Batch>();
  for (const req of facts.pending) {
    if (ctx.stop.stopping) return;
    // One request per file per update: two requests for one file never run at once from here.
    if (seen.has(Number(req.file_id))) continue;
    seen.add(Number(req.file_id));
    const source = facts.sources.get(Number(req.node_from_id));
    const verdict = judgeRequest(groupStateOf(facts.groupCopies.get(Number(req.file_id)) ?? []).state, source, req.source_state);
    if (!verdict.go) {
      await actOnVerdict(ctx, req, group, verdict, source?.name ?? String(req.node_from_id));
      continue;
    }
    const src = verdict.source;
    const local = src.host === ctx.host;
    // A remote source must let this host pull from it (alpenhorn/daemon/update.py: update_pull).
    if (!local && !remoteOf(src).remotePullOk(ctx.host)) {
      await cancelRequest(ctx, req, group, src.name, "non-local");
      continue;
    }
    if (!(await sourceReady(ctx, req, src))) continue;
    const member = await destination(io, pathOf(req), Number(req.size_b ?? 0));
    const node = member ? localNode(member.node.id) : undefined;
    if (!node || !node.io || !node.fifo) continue;
    const nodeId = Number(node.row.id);
    if (!destOk.has(nodeId)) destOk.set(nodeId, await checkPullDest(ctx, node));
    if (!destOk.get(nodeId)) continue;
    if (!avail.has(nodeId)) avail.set(nodeId, await node.io.bytesAvail(true).catch(() => null));
    const size = Number(req.size_b ?? 0);
    if (!reserveFrom(node.name, avail.get(nodeId)!, size)) {
      ctx.log.warning(`Skipping request for ${pathOf(req)}: insufficient space on node ${node.name}.`);
      continue;
    }
    node.markIOHappened();
    // Hard links (same archive kind, io/default/pull.ts: chooseMethod) go in batches; copies of
    // big files and remote transfers keep a task each.
    if (local && node.io.pullBatch && (src.storage_type === "A") === (node.row.storage_type === "A")) {
      const key = `${nodeId}:${src.id}`;
      let b = batches.get(key);
      if (!b) batches.set(key, (b = { node, source: src, reqs: [] }));
      b.reqs.push(req);
      continue;
    }
    enqueue(ctx, node, `AFCR#${req.id}: ${src.name} -> ${node.name}`, size, () => pullTask(node, req, group));
  }
  for (const { node, source, reqs } of batches.values()) {
    // A few pulls keep alpenhorn's task each (and its log lines); many go in batches.
    if (reqs.length <= BATCH_ABOVE) {
      for (const req of reqs) enqueue(ctx, node, `AFCR#${req.id}: ${source.name} -> ${node.name}`, Number(req.size_b ?? 0), () => pullTask(node, req, group));
      continue;
    }
    for (let i = 0; i < reqs.length; i += PULL_BATCH) {
      const part = reqs.slice(i, i + PULL_BATCH);
      const bytes = part.reduce((n, r) => n + Number(r.size_b ?? 0), 0);
      enqueue(ctx, node, batchTaskName(part, source.name, node.name), bytes, () => pullBatchTask(node, part, group));
    }
  }
}

/** A pull task on the destination's FIFO; its reservation of `bytes` goes when it ends, however it ends. */
function enqueue(ctx: DaemonContext, node: NodeTarget, name: string, bytes: number, body: () => Promise<void>): void {
  let released = false;
  const release = () => {
    if (!released) releaseBytes(node.name, bytes);
    released = true;
  };
  new Task({
    queue: ctx.queue,
    key: node.fifo!,
    name,
    log: ctx.log,
    onDropped: release,
    body: (task) => {
      task.onCleanup(release);
      return body();
    },
  });
}
