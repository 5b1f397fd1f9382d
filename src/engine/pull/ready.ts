// Node update step d) (alpenhorn/daemon/update.py: UpdateableNode.update at 632dd41): the
// source side of pending pulls out of this node. A healthy copy that this node's NodeRemote
// calls not ready (a LustreHSM file released to tape) is handed to the I/O class's readyPull
// hook, which stages it (Default files are always ready and have no hook); any other state is
// logged, and the request is left to the destination's checks, which cancel it or wait.

import { pendingPullsOutOf } from "../../index/queries/pulls.ts";
import { indexOps } from "../io/index-ops.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { remoteOf } from "./remote-of.ts";

const REASON = { N: "not present", M: "needs check", X: "corrupt" } as const;

export async function readyOutboundPulls(node: NodeTarget): Promise<void> {
  const { ctx, io } = node;
  const remote = io?.readyPull ? remoteOf(node.row, indexOps(ctx.db)) : null;
  for (const req of await pendingPullsOutOf(ctx.db, node.row.id, !remote)) {
    if (req.has_file === "Y") {
      if (remote && io?.readyPull && !(await remote.pullReady(req.acq_name, req.file_name))) {
        node.markIOHappened();
        await io.readyPull({ rel: `${req.acq_name}/${req.file_name}`, fileId: Number(req.file_id) });
      }
      continue;
    }
    ctx.log.info(`Ignoring ready request for ${req.acq_name}/${req.file_name} on node ${node.name}: ${REASON[req.has_file]}.`);
  }
}
