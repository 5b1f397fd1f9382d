// `alpenhorn node deactivate NODE`: mark a node inactive so no daemon updates it
// (alpenhorn/cli/node/deactivate.py).

import { updateNode } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveNode } from "../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "deactivate", description: "Deactivate a node." },
  help: `Deactivate a node.

This deactivates the node named NODE, removing it from the list of nodes being actively updated.`,
  options: {},
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    const name = a.node;
    const message = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, name);
      if (!Number(node.active)) return `No change: node "${name}" already inactive.`;
      await updateNode(tx, node.id, { active: 0 });
      return `Storage node "${name}" deactivated.`;
    });
    ctx.out.echo(message);
  },
});
