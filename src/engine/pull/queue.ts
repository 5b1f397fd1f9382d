// The group update's pulls (alpenhorn/daemon/update.py: UpdateableGroup.update and
// update_pull, alpenhorn/io/default/group.py and transport.py: pull, and
// alpenhorn/io/default/node.py: DefaultNodeIO.pull at 632dd41): for each file with pending
// requests into the group, its first request only is checked in the main loop (on facts read
// for all of them in three statements), then either searched for first (groups with
// doPullSearch: search.ts, on the group's FIFO) or handed at once to a destination member,
// checked for room, reserved and queued on that node's FIFO (where the tidy-up, which runs
// exclusive there, can never meet a pull in flight): a remote or copied pull as the task
// `AFCR#{id}: {source} -> {destination}`, and so are local pulls the destination I/O can batch
// (hard links) unless more than BATCH_ABOVE come from one source: those go in batches of
// PULL_BATCH (batch.ts).

import { groupStateOf } from "../../index/queries/copies.ts";
import { pullFacts } from "../../index/queries/pull-facts.ts";
import type { PullRequest } from "../../index/queries/pulls.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { GroupIO, GroupMember, NodeRemote } from "../extension-api.ts";
import { nodeInfo } from "../io/node-info.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { BATCH_ABOVE, batchTaskName, PULL_BATCH, pullBatchTask } from "./batch.ts";
import { actOnVerdict, cancelRequest, checkPullDest, judgeRequest, pathOf, sourceReady, sourceRemote, type PullGroup } from "./check.ts";
import { fitsBytes, releaseBytes, reserveBytes, reserveFrom } from "./reserve.ts";
import { queueSearch } from "./search.ts";
import { pullTask } from "./task.ts";

type LocalNode = (id: number) => NodeTarget | undefined;

/** The destination member for a file: the group I/O's choice, or its first member. */
async function destination(ctx: DaemonContext, io: GroupIO, req: PullRequest, source: StorageNodeRow, localNode: LocalNode): Promise<GroupMember | null> {
  if (!io.pullDestination) return io.getMembers()[0] ?? null;
  const size = Number(req.size_b ?? 0);
  return io.pullDestination(pathOf(req), {
    rel: pathOf(req),
    size,
    source: nodeInfo(source),
    local: source.host === ctx.host,
    destinationOk: async (m, message, level) => {
      const node = localNode(m.node.id);
      return node ? checkPullDest(ctx, node, { message, level }) : false;
    },
    fits: (m) => fitsBytes(m.node.name, m.io, size),
  });
}

/**
 * What one group update learns once per destination (its room: pulls queued now do not change
 * it, the reservations account for them; and its free space) and the local pulls it gathers
 * for batches, per source and destination.
 */
class UpdatePass {
  private readonly destOk = new Map<number, boolean>();
  private readonly avail = new Map<number, number | null>();
  readonly batches = new Map<string, { node: NodeTarget; source: StorageNodeRow; reqs: PullRequest[] }>();

  async roomOn(ctx: DaemonContext, node: NodeTarget): Promise<boolean> {
    const id = Number(node.row.id);
    if (!this.destOk.has(id)) this.destOk.set(id, await checkPullDest(ctx, node));
    return this.destOk.get(id)!;
  }
  async reserve(node: NodeTarget, size: number): Promise<boolean> {
    const id = Number(node.row.id);
    if (!this.avail.has(id)) this.avail.set(id, await node.io!.bytesAvail(true).catch(() => null));
    return reserveFrom(node.name, this.avail.get(id)!, size);
  }
}

/** `groupFifo`: the group's own FIFO, where a pre-pull search runs (groups with doPullSearch). */
export async function queuePulls(ctx: DaemonContext, group: PullGroup, io: GroupIO, localNode: LocalNode, groupFifo?: FifoKey | null): Promise<void> {
  const facts = await pullFacts(ctx.db, group.id);
  const seen = new Set<number>();
  const pass = new UpdatePass();
  const remotes = new Map<number, NodeRemote>();
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
    // One NodeRemote per source node for the whole update, not one per request.
    let remote = remotes.get(Number(src.id));
    if (!remote) remotes.set(Number(src.id), (remote = sourceRemote(ctx, src)));
    // A remote source must let this host pull from it (alpenhorn/daemon/update.py: update_pull).
    if (src.host !== ctx.host && !remote.remotePullOk(ctx.host)) {
      await cancelRequest(ctx, req, group, src.name, "non-local");
      continue;
    }
    if (!(await sourceReady(ctx, req, src, remote))) continue;
    if (io.doPullSearch && groupFifo) queueSearch(ctx, group, io, req, groupFifo, () => dispatchPull(ctx, group, io, req, src, localNode, true));
    else await dispatchPull(ctx, group, io, req, src, localNode, false, pass);
  }
  for (const { node, source, reqs } of pass.batches.values()) {
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

/**
 * Hand a checked request to a member (alpenhorn: GroupIO.pull, then DefaultNodeIO.pull): room
 * checked and reserved, the pull task queued on the member's FIFO (or, during a group update
 * `pass`, a hard link gathered for a batch). `didSearch`: a pre-pull search found nothing
 * unregistered in the group, so a file at the target may be replaced.
 */
async function dispatchPull(ctx: DaemonContext, group: PullGroup, io: GroupIO, req: PullRequest, source: StorageNodeRow, localNode: LocalNode, didSearch: boolean, pass?: UpdatePass): Promise<void> {
  const member = await destination(ctx, io, req, source, localNode);
  const node = member ? localNode(member.node.id) : undefined;
  if (!node || !node.io || !node.fifo) return;
  if (!(await (pass ? pass.roomOn(ctx, node) : checkPullDest(ctx, node)))) return;
  const size = Number(req.size_b ?? 0);
  if (!(await (pass ? pass.reserve(node, size) : reserveBytes(node.name, node.io, size)))) {
    ctx.log.warning(`Skipping request for ${pathOf(req)}: insufficient space on node ${node.name}.`);
    return;
  }
  node.markIOHappened();
  // Hard links (same archive kind, io/default/pull.ts: chooseMethod) go in batches; copies of
  // big files and remote transfers keep a task each.
  if (pass && source.host === ctx.host && node.io.pullBatch && (source.storage_type === "A") === (node.row.storage_type === "A")) {
    const key = `${node.row.id}:${source.id}`;
    let b = pass.batches.get(key);
    if (!b) pass.batches.set(key, (b = { node, source, reqs: [] }));
    b.reqs.push(req);
    return;
  }
  enqueue(ctx, node, `AFCR#${req.id}: ${source.name} -> ${node.name}`, size, () => pullTask(node, req, group, didSearch));
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
