// `alpenhorn node init NODE`: ask the daemon to initialise a node (an AFIR for ALPENHORN_NODE).

import { insertImportRequest, NODE_INIT_PATH } from "../../index/queries/requests.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveNode } from "../_shared/resolve.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

export default defineCommand({
  meta: { name: "init", description: "Initialise a known Storage Node." },
  help: `Initialise a known Storage Node.

This requests the daemon initialise the Node named NODE.  NODE must already exist in the data index.  NODE must be active for the daemon to act on this request.

What initialisation means can vary by node I/O class, but typically it means creating the top-level "ALPENHORN_NODE" file.

Note: to create a new node, use "node create".  Node initialsation can also happen at node creation time by using the "--init" flag with "node create".`,
  options: { ...WAIT_OPTIONS },
  args: [{ name: "NODE", required: true }],
  async run(ctx, a) {
    const name = a.node;
    const wait = waitPlan(a);
    // No check for a pending request, nor for an inactive node: the daemon sorts that out.
    const id = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, name);
      return insertImportRequest(tx, node.id, NODE_INIT_PATH, { recurse: false, register: false });
    });
    ctx.out.echo(`Requested initialisation of Node "${name}".`);
    await waitForFiled(ctx, wait, { kind: "imports", ids: [id] });
  },
});
