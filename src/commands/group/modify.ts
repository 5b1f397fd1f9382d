// `alpenhorn group modify GROUP`: change a group's I/O class, I/O config and notes
// (alpenhorn/cli/group/modify.py).
// Unlike upstream, an option that is not given leaves its column alone (see README differences).

import { CliError } from "../../common/errors.ts";
import { updateGroup, type GroupUpdates } from "../../index/queries/groups.ts";
import { getGroupByName } from "../../index/queries/lookup.ts";
import { defineCommand } from "../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../_shared/io-config.ts";
import { updateOrRemove } from "../_shared/metadata.ts";
import { COMMON } from "../_shared/options.ts";

export default defineCommand({
  meta: { name: "modify", description: "Modify storage group metadata." },
  help: `Modify storage group metadata.

Modifies the metadata of the storage group named GROUP, which must already exist.

NOTE: to change the name of a storage group, use: alpenhorn group rename`,
  options: {
    ioClass: COMMON.ioClass,
    ioConfig: IO_CONFIG_OPTION,
    ioVar: IO_VAR_OPTION,
    notes: COMMON.notes,
  },
  args: [{ name: "GROUP" }],
  async run(ctx, a) {
    const name = a.group;
    const changed = await ctx.db.transaction(async (tx) => {
      const group = await getGroupByName(tx, name);
      if (!group) throw new CliError(`Storage group "${name}" does not exist.`);
      const config = composeIoConfig(a.ioConfig, a.ioVar, group.io_config);

      const updates: GroupUpdates = {};
      updateOrRemove(updates, "notes", a.notes, group.notes);
      updateOrRemove(updates, "io_class", a.ioClass, group.io_class);
      // Upstream stores the text "null" for an emptied config; we store NULL, as node modify does.
      const text = serialiseIoConfig(config);
      if (text !== group.io_config) updates.io_config = text;

      await updateGroup(tx, group.id, updates);
      return Object.keys(updates).length > 0;
    });
    ctx.out.echo(changed ? "Storage group updated." : "Nothing to do.");
  },
});
