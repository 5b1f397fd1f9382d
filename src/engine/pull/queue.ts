// The group update's pulls (alpenhorn/daemon/update.py: UpdateableGroup.update and
// update_pull, and alpenhorn/io/default/node.py: DefaultNodeIO.pull at 632dd41): for each file
// with pending requests into the group, its first request only is checked in the main loop,
// given a destination member, checked for room, reserved and queued as the task
// `AFCR#{id}: {source} -> {destination}` on the destination node's FIFO (where the tidy-up,
// which runs exclusive there, can never meet a pull in flight).

import { pendingPullsInto, type PullRequest } from "../../index/queries/pulls.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { GroupIO, GroupMember } from "../extension-api.ts";
import { nodeInfo } from "../io/node-info.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { cancelRequest, checkPullDest, checkRequest, pathOf, type PullGroup } from "./check.ts";
import { fitsBytes, releaseBytes, reserveBytes } from "./reserve.ts";
import { remoteOf } from "./remote-of.ts";
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

/** `groupFifo`: the group's own FIFO, where a pre-pull search runs (groups with doPullSearch). */
export async function queuePulls(ctx: DaemonContext, group: PullGroup, io: GroupIO, localNode: LocalNode, groupFifo?: FifoKey | null): Promise<void> {
  const seen = new Set<number>();
  for (const req of await pendingPullsInto(ctx.db, group.id)) {
    if (ctx.stop.stopping) return;
    // One request per file per update: two requests for one file never run at once from here.
    if (seen.has(Number(req.file_id))) continue;
    seen.add(Number(req.file_id));
    const source = await checkRequest(ctx, req, group);
    if (!source) continue;
    // A remote source must let this host pull from it (alpenhorn/daemon/update.py: update_pull).
    if (source.host !== ctx.host && !remoteOf(source).remotePullOk(ctx.host)) {
      await cancelRequest(ctx, req, group, source.name, "non-local");
      continue;
    }
    if (io.doPullSearch && groupFifo) queueSearch(ctx, group, io, req, groupFifo, () => dispatchPull(ctx, group, io, req, source, localNode, true));
    else await dispatchPull(ctx, group, io, req, source, localNode, false);
  }
}

/**
 * Hand a checked request to a member (alpenhorn: GroupIO.pull, then DefaultNodeIO.pull): room
 * checked and reserved, the pull task queued on the member's FIFO. `didSearch`: a pre-pull
 * search found nothing unregistered in the group, so a file at the target may be replaced.
 */
async function dispatchPull(ctx: DaemonContext, group: PullGroup, io: GroupIO, req: PullRequest, source: StorageNodeRow, localNode: LocalNode, didSearch: boolean): Promise<void> {
  const member = await destination(ctx, io, req, source, localNode);
  const node = member ? localNode(member.node.id) : undefined;
  if (!node || !node.io || !node.fifo) return;
  if (!(await checkPullDest(ctx, node))) return;
  const size = Number(req.size_b ?? 0);
  if (!(await reserveBytes(node.name, node.io, size))) {
    ctx.log.warning(`Skipping request for ${pathOf(req)}: insufficient space on node ${node.name}.`);
    return;
  }
  node.markIOHappened();
  let released = false;
  const release = () => {
    if (!released) releaseBytes(node.name, size);
    released = true;
  };
  new Task({
    queue: ctx.queue,
    key: node.fifo,
    name: `AFCR#${req.id}: ${source.name} -> ${node.name}`,
    log: ctx.log,
    onDropped: release,
    body: (task) => {
      // The reservation goes when the task ends, however it ends.
      task.onCleanup(release);
      return pullTask(node, req, group, didSearch);
    },
  });
}
