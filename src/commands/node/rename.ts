// `alpenhorn node rename NODE NEW_NAME` (alpenhorn/cli/node/rename.py, with its messages
// naming the real new name; see README "Differences from alpenhorn").

import { CliError } from "../../common/errors.ts";
import { getNodeByName } from "../../index/queries/lookup.ts";
import { updateNode } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { nameConflictAs } from "../_shared/metadata.ts";

export default defineCommand({
  meta: { name: "rename", description: "Rename a storage node." },
  help: `Rename a storage node.

The existing storage node named NODE will be renamed to NEW_NAME. NEW_NAME must not already be the name of another node.`,
  options: {},
  args: [{ name: "NODE" }, { name: "NEW_NAME" }],
  async run(ctx, a) {
    const { node: name, newName } = a;
    if (name === newName) {
      ctx.out.echo("No change.");
      return;
    }
    await ctx.db.transaction(async (tx) => {
      // Upstream names NODE here and prints the literal "new_name" below; we name the real one.
      const exists = `Storage node "${newName}" already exists.`;
      if (await getNodeByName(tx, newName)) throw new CliError(exists);
      const node = await getNodeByName(tx, name);
      if (!node) throw new CliError(`no such node: ${name}`);
      await nameConflictAs(exists, () => updateNode(tx, node.id, { name: newName }));
    });
    ctx.out.echo(`Storage node "${name}" renamed to "${newName}".`);
  },
});
