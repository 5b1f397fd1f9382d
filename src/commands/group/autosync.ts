// `alpenhorn group autosync GROUP NODE [--remove]`: the autosync flag of the edge NODE → GROUP.

import { CliError } from "../../common/errors.ts";
import { setTransferFlag } from "../../index/queries/actions.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveGroup, resolveNode } from "../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "autosync", description: "Manage autosync sources for this group." },
  help: `Manage autosync sources for this group.

This allows you to add (the default) or remove (using --remove) the Storage Node named NODE as a an autosync souce for the Storage Group named GROUP.

If NODE is added as an autosync source for GROUP, then, whenever a file is added to NODE, it will be automatically synced into the Group GROUP, so long as the file isn't already present in the Group.`,
  options: {
    remove: { names: ["--remove"], kind: "flag", help: "Remove (instead of add) NODE as an autosync source." },
  },
  args: [{ name: "GROUP" }, { name: "NODE" }],
  async run(ctx, a) {
    const { group: groupName, node: nodeName } = a;
    const on = !a.remove;
    const message = await ctx.db.transaction(async (tx) => {
      const group = await resolveGroup(tx, groupName);
      const node = await resolveNode(tx, nodeName);
      if (on && node.group_id === group.id)
        throw new CliError(`can't enable autosync: Node "${nodeName}" is in group "${groupName}"`);

      if (!(await setTransferFlag(tx, node.id, group.id, "autosync", on))) return "No change";
      // Upstream's punctuation: no full stop on "started".
      return on ? `Auto-sync from "${node.name}" started` : `Auto-sync from "${node.name}" stopped.`;
    });
    ctx.out.echo(message);
  },
});
