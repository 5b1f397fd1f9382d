// `alpenhorn node activate NODE` on upstream main's layout (its alpenhorn/cli/node/activate.py):
// `--host` names a storagehost row; no log-in options (they are the host's).

import { updateNode, type NodeUpdates } from "../../../index/queries/nodes.ts";
import { defineCommand } from "../../_shared/define.ts";
import { updateOrRemove } from "../../_shared/metadata.ts";
import { resolveHost, resolveNode } from "../../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "activate", description: "Activate a node." },
  help: `Activate a node.

This activates the node named NODE, marking it for update by an alpenhorn server running on the node's host.

The node's host and root may be changed before activation by using the appropriate option, if necessary.`,
  options: {
    host: { names: ["--host"], kind: "value", metavar: "HOST", help: "Set the node host to HOST before activation." },
    root: { names: ["--root"], kind: "value", metavar: "ROOT", help: "Set the node root to ROOT before activation." },
  },
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    const name = a.node;
    const message = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, name);
      if (a.host) await resolveHost(tx, a.host);
      // Already active: the other options are ignored too, as upstream does.
      if (Number(node.active)) return `No change: node "${name}" already active.`;
      const updates: NodeUpdates = { active: 1 };
      updateOrRemove(updates, "host", a.host, node.host);
      updateOrRemove(updates, "root", a.root, node.root);
      await updateNode(tx, node.id, updates);
      return `Storage node "${name}" activated.`;
    });
    ctx.out.echo(message);
  },
});
