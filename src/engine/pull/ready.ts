// Node update step d) (alpenhorn/daemon/update.py: UpdateableNode.update at 632dd41): the
// source side of pending pulls out of this node. A healthy copy is readied for the pulling
// daemon (nothing to do for a Default node: its files are always ready; LustreHSM restores
// from tape here, in a later increment); any other state is logged, and the request is left
// to the destination's checks, which cancel it or wait.

import { pendingPullsOutOf } from "../../index/queries/pulls.ts";
import type { NodeTarget } from "../updateable/target.ts";

const REASON = { N: "not present", M: "needs check", X: "corrupt" } as const;

export async function readyOutboundPulls(node: NodeTarget): Promise<void> {
  const { ctx } = node;
  for (const req of await pendingPullsOutOf(ctx.db, node.row.id)) {
    if (req.has_file === "Y") continue;
    ctx.log.info(`Ignoring ready request for ${req.acq_name}/${req.file_name} on node ${node.name}: ${REASON[req.has_file]}.`);
  }
}
