// `alpenhorn host modify HOST`: change a host's log-in details or notes; options not given are
// left alone, an empty value clears (upstream main's alpenhorn/cli/host/modify.py).

import { updateHost, type HostUpdates } from "../../index/queries/hosts.ts";
import { defineCommand } from "../_shared/define.ts";
import { updateOrRemove } from "../_shared/metadata.ts";
import { resolveHost } from "../_shared/resolve.ts";
import { HOST_OPTIONS } from "./_options.ts";

export default defineCommand({
  meta: { name: "modify", description: "Modify a Storage Host." },
  help: `Modify a Storage Host.

This modifies metadata for the Storage Host named HOST, updating field specified in the options.

NB: to rename a host, use the "host rename" command.`,
  options: { address: HOST_OPTIONS.address, notes: HOST_OPTIONS.notes, username: HOST_OPTIONS.username },
  args: [{ name: "HOST" }],
  async run(ctx, a) {
    const changed = await ctx.db.transaction(async (tx) => {
      const host = await resolveHost(tx, a.host);
      const updates: HostUpdates = {};
      updateOrRemove(updates, "address", a.address, host.address);
      updateOrRemove(updates, "notes", a.notes, host.notes);
      updateOrRemove(updates, "username", a.username, host.username);
      await updateHost(tx, host.id, updates);
      return Object.keys(updates).length > 0;
    });
    ctx.out.echo(changed ? "Host updated." : "No change.");
  },
});
