// `alpenhorn node autoclean NODE GROUP [--remove]`: the autoclean flag of the edge NODE → GROUP.

import { CliError } from "../../common/errors.ts";
import { setTransferFlag } from "../../index/queries/actions.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveGroup, resolveNode } from "../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "autoclean", description: "Manage autoclean triggers for this node." },
  help: `Manage autoclean triggers for this node.

This allows you to add (the default) or remove (using --remove) the Storage Group named GROUP as a an autoclean trigger for the Storage Node named NODE.

If GROUP is added as an autoclean trigger for NODE, then, whenever a file is added to GROUP, it will be automatically released for deletion on NODE.`,
  options: {
    remove: { names: ["--remove"], kind: "flag", help: "Remove (instead of add) GROUP as an autoclean trigger." },
  },
  args: [{ name: "NODE" }, { name: "GROUP" }],
  async run(ctx, a) {
    const { node: nodeName, group: groupName } = a;
    const on = !a.remove;
    const message = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, nodeName);
      const group = await resolveGroup(tx, groupName);
      if (on && node.group_id === group.id)
        throw new CliError(`can't enable autoclean: Node "${nodeName}" is in group "${groupName}"`);

      if (!(await setTransferFlag(tx, node.id, group.id, "autoclean", on))) return "No change";
      // Upstream's punctuation: no full stop on "added".
      return on ? `Auto-clean trigger: Group "${group.name}" added` : `Auto-clean trigger: Group "${group.name}" removed.`;
    });
    ctx.out.echo(message);
  },
});
