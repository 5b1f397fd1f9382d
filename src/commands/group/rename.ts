// `alpenhorn group rename GROUP NEW_NAME` (alpenhorn/cli/group/rename.py, with its messages
// naming the real new name; see README "Differences from alpenhorn").

import { CliError } from "../../common/errors.ts";
import { updateGroup } from "../../index/queries/groups.ts";
import { getGroupByName } from "../../index/queries/lookup.ts";
import { defineCommand } from "../_shared/define.ts";
import { nameConflictAs } from "../_shared/metadata.ts";

export default defineCommand({
  meta: { name: "rename", description: "Rename a storage group." },
  help: `Rename a storage group.

The existing storage group named GROUP will be renamed to NEW_NAME. NEW_NAME must not already be the name of another group.`,
  options: {},
  args: [{ name: "GROUP" }, { name: "NEW_NAME" }],
  async run(ctx, a) {
    const { group: name, newName } = a;
    if (name === newName) {
      ctx.out.echo("No change.");
      return;
    }
    await ctx.db.transaction(async (tx) => {
      // Upstream names GROUP here and prints the literal "new_name" below; we name the real one.
      const exists = `Storage group "${newName}" already exists.`;
      if (await getGroupByName(tx, newName)) throw new CliError(exists);
      const group = await getGroupByName(tx, name);
      if (!group) throw new CliError(`No such storage group: ${name}.`);
      await nameConflictAs(exists, () => updateGroup(tx, group.id, { name: newName }));
    });
    ctx.out.echo(`Storage group "${name}" renamed to "${newName}"`);
  },
});
