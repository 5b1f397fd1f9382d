// `alpenhorn group create NAME`: add a storage group (alpenhorn/cli/group/create.py).

import { CliError } from "../../common/errors.ts";
import { insertGroup } from "../../index/queries/groups.ts";
import { getGroupByName } from "../../index/queries/lookup.ts";
import { defineCommand } from "../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../_shared/io-config.ts";
import { nameConflictAs } from "../_shared/metadata.ts";
import { COMMON } from "../_shared/options.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new storage group." },
  help: `Create a new storage group.

The group will be called NAME, which must not already exist.`,
  options: {
    ioClass: { ...COMMON.ioClass, default: "Default", help: `${COMMON.ioClass.help}  [default: Default]` },
    ioConfig: IO_CONFIG_OPTION,
    ioVar: IO_VAR_OPTION,
    notes: COMMON.notes,
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const name = a.name;
    const config = composeIoConfig(a.ioConfig, a.ioVar, null);
    await ctx.db.transaction(async (tx) => {
      const exists = `Group "${name}" already exists.`;
      if (await getGroupByName(tx, name)) throw new CliError(exists);
      // Unlike modify, create stores `--notes=`/`--class=` as empty strings, as upstream does.
      await nameConflictAs(exists, () =>
        insertGroup(tx, {
          name,
          io_class: a.ioClass,
          notes: a.notes ?? null,
          io_config: serialiseIoConfig(config),
        }),
      );
    });
    ctx.out.echo(`Created storage group "${name}".`);
  },
});
