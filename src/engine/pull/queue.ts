// The group update's pulls (alpenhorn/daemon/update.py: UpdateableGroup.update and
// update_pull, and alpenhorn/io/default/node.py: DefaultNodeIO.pull at 632dd41): for each file
// with pending requests into the group, its first request only is checked in the main loop,
// given a destination member, checked for room, reserved and queued as the task
// `AFCR#{id}: {source} -> {destination}` on the destination node's FIFO (where the tidy-up,
// which runs exclusive there, can never meet a pull in flight).

import { pendingPullsInto } from "../../index/queries/pulls.ts";
import type { DaemonContext } from "../context.ts";
import type { GroupIO, GroupMember } from "../extension-api.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { cancelRequest, checkPullDest, checkRequest, pathOf, type PullGroup } from "./check.ts";
import { releaseBytes, reserveBytes } from "./reserve.ts";
import { remoteOf } from "./remote-of.ts";
import { pullTask } from "./task.ts";

/** The destination member for a file: the group I/O's choice, or its first member. */
async function destination(io: GroupIO, rel: string, size: number): Promise<GroupMember | null> {
  if (io.pullDestination) return io.pullDestination(rel, size);
  return io.getMembers()[0] ?? null;
}

export async function queuePulls(ctx: DaemonContext, group: PullGroup, io: GroupIO, localNode: (id: number) => NodeTarget | undefined): Promise<void> {
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
    const member = await destination(io, pathOf(req), Number(req.size_b ?? 0));
    const node = member ? localNode(member.node.id) : undefined;
    if (!node || !node.io || !node.fifo) continue;
    if (!(await checkPullDest(ctx, node))) continue;
    const size = Number(req.size_b ?? 0);
    if (!(await reserveBytes(node.name, node.io, size))) {
      ctx.log.warning(`Skipping request for ${pathOf(req)}: insufficient space on node ${node.name}.`);
      continue;
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
        return pullTask(node, req, group);
      },
    });
  }
}
