// The pre-pull search (alpenhorn/io/default/group.py: pull_search and group_search_async, and
// alpenhorn/io/default/check.py: force_check_filecopy, at 632dd41), for groups whose I/O sets
// doPullSearch (Transport): before a pull into the group, a task on the group's FIFO looks on
// every member for a file the index does not know there. A disk that comes back holding such
// a file gets it checked instead of pulled over; the request waits for the check, after which
// the group update cancels it as a duplicate or pulls again.

import { utcNow } from "../../common/time.ts";
import { groupStateOfFile } from "../../index/queries/copies.ts";
import { cancelPull, copyStateOn, forceCheckCopy, type PullRequest } from "../../index/queries/pulls.ts";
import type { DaemonContext } from "../context.ts";
import type { GroupIO } from "../extension-api.ts";
import { retryBusy } from "../retry.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { Task } from "../scheduler/task.ts";
import { pathOf, type PullGroup } from "./check.ts";

/** Queue the search for `req` on the group's FIFO; `dispatch` hands the request on when nothing is found. */
export function queueSearch(ctx: DaemonContext, group: PullGroup, io: GroupIO, req: PullRequest, fifo: FifoKey, dispatch: () => Promise<void>): void {
  new Task({
    queue: ctx.queue,
    key: fifo,
    name: `Pre-pull search for ${pathOf(req)} in ${group.name}`,
    log: ctx.log,
    body: async () => {
      await searchGroup(ctx, group, io, req, dispatch);
    },
  });
}

/** The search itself: true when it handed the request to `dispatch`. */
export async function searchGroup(ctx: DaemonContext, group: PullGroup, io: GroupIO, req: PullRequest, dispatch: () => Promise<void>): Promise<boolean> {
  const path = pathOf(req);
  // The group may have gained the file while this task was queued.
  const state = (await groupStateOfFile(ctx.db, group.id, req.file_id)).state;
  if (state === "Y" || state === "M") {
    ctx.log.info(`Cancelling pull request for ${path}: file already in group ${group.name}.`);
    await retryBusy(() => cancelPull(ctx.db, req.id));
    return false;
  }
  let found = false;
  // Every member, not just the first hit: and a copy known corrupt (X) hides nothing, as
  // another member may hold a good one.
  for (const m of io.getMembers()) {
    if (!(await m.io.exists(path))) continue;
    if ((await copyStateOn(ctx.db, req.file_id, m.node.id)) !== "N") continue;
    ctx.log.info(`Requesting check of ${path} on node ${m.node.name}.`);
    const used = (await m.io.stat(path).catch(() => null))?.used ?? null;
    await retryBusy(() => forceCheckCopy(ctx.db, req.file_id, m.node.id, used, utcNow()));
    found = true;
  }
  if (found) {
    ctx.log.warning(`Skipping pull request for ${path}: file already on disk in group ${group.name}.`);
    return false;
  }
  await dispatch();
  return true;
}
