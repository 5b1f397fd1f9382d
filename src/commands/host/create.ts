// `alpenhorn host create NAME`: add a storage host (upstream main's alpenhorn/cli/host/create.py).

import { CliError } from "../../common/errors.ts";
import { getHostByName, insertHost } from "../../index/queries/hosts.ts";
import { defineCommand } from "../_shared/define.ts";
import { nameConflictAs } from "../_shared/metadata.ts";
import { HOST_OPTIONS } from "./_options.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new Storage Host." },
  help: `Create a new Storage Host.

The Storage Host will be called NAME, which must not already exist.  This is a _logical_ value used to match against a daemon's "host" value.  It need not be related to the hosts actual hostname.`,
  options: { address: HOST_OPTIONS.address, notes: HOST_OPTIONS.notes, username: HOST_OPTIONS.username },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const name = a.name;
    await ctx.db.transaction(async (tx) => {
      const exists = `host "${name}" already exists.`;
      if (await getHostByName(tx, name)) throw new CliError(exists);
      await nameConflictAs(exists, () => insertHost(tx, { name, username: a.username ?? null, address: a.address ?? null, notes: a.notes ?? null }));
    });
    ctx.out.echo(`Created storage host "${name}".`);
  },
});
