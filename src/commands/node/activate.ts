// `alpenhorn node activate NODE`: mark a node active, optionally fixing its host, root and
// remote-access fields first (alpenhorn/cli/node/activate.py).

import { updateNode, type NodeUpdates } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { updateOrRemove } from "../_shared/metadata.ts";
import { resolveNode } from "../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "activate", description: "Activate a node." },
  help: `Activate a node.

This activates the node named NODE, marking it for update by an alpenhorn server running on the node's host.

The node's host, address, root, and username may be changed before activation by using the appropriate option, if necessary.`,
  options: {
    address: { names: ["--address"], kind: "value", metavar: "ADDR", help: "Set the node address to ADDR before activation." },
    host: { names: ["--host"], kind: "value", metavar: "HOST", help: "Set the node host to HOST before activation." },
    root: { names: ["--root"], kind: "value", metavar: "ROOT", help: "Set the node root to ROOT before activation." },
    username: { names: ["--username"], kind: "value", metavar: "USER", help: "Set the node username to USER before activation." },
  },
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    const name = a.node;
    const message = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, name);
      // Already active: the field options are ignored too, as upstream does.
      if (Number(node.active)) return `No change: node "${name}" already active.`;
      const updates: NodeUpdates = { active: 1 };
      updateOrRemove(updates, "address", a.address, node.address);
      updateOrRemove(updates, "host", a.host, node.host);
      updateOrRemove(updates, "root", a.root, node.root);
      updateOrRemove(updates, "username", a.username, node.username);
      await updateNode(tx, node.id, updates);
      return `Storage node "${name}" activated.`;
    });
    ctx.out.echo(message);
  },
});
