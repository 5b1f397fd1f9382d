// `alpenhorn host rename HOST NEW_NAME` (upstream main's alpenhorn/cli/host/rename.py; the
// "already exists" error names NEW_NAME, as our group and node rename do).

import { CliError } from "../../common/errors.ts";
import { getHostByName, updateHost } from "../../index/queries/hosts.ts";
import { defineCommand } from "../_shared/define.ts";
import { nameConflictAs } from "../_shared/metadata.ts";

export default defineCommand({
  meta: { name: "rename", description: "Rename a storage host." },
  help: `Rename a storage host.

The existing storage host named HOST will be renamed to NEW_NAME.  NEW_NAME must not already be the name of another host.`,
  options: {},
  args: [{ name: "HOST" }, { name: "NEW_NAME" }],
  async run(ctx, a) {
    const { host: name, newName } = a;
    if (name === newName) {
      ctx.out.echo("No change.");
      return;
    }
    await ctx.db.transaction(async (tx) => {
      const exists = `Storage host "${newName}" already exists.`;
      if (await getHostByName(tx, newName)) throw new CliError(exists);
      const host = await getHostByName(tx, name);
      if (!host) throw new CliError(`no such host: ${name}`);
      await nameConflictAs(exists, () => updateHost(tx, host.id, { name: newName }));
    });
    ctx.out.echo(`Storage host "${name}" renamed to "${newName}".`);
  },
});
