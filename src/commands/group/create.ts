// `alpenhorn group create NAME`: add a storage group (spec §3.5).

import { CliError } from "../../common/errors.ts";
import { insertGroup } from "../../index/queries/groups.ts";
import { getGroupByName } from "../../index/queries/lookup.ts";
import { defineCommand } from "../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../_shared/io-config.ts";
import { nameConflictAs } from "../_shared/metadata.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new storage group." },
  help: `Create a new storage group.

The group will be called NAME, which must not already exist.`,
  options: {
    io_class: { names: ["-i", "--class"], kind: "value", metavar: "IO_CLASS", default: "Default", help: "Set I/O class to IO_CLASS.  [default: Default]" },
    io_config: IO_CONFIG_OPTION,
    io_var: IO_VAR_OPTION,
    notes: { names: ["--notes"], kind: "value", metavar: "COMMENT", help: "Set notes to COMMENT." },
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const name = a.name as string;
    const config = composeIoConfig(a.io_config as string | undefined, a.io_var as string[], null);
    await ctx.db.transaction(async (tx) => {
      const exists = `Group "${name}" already exists.`;
      if (await getGroupByName(tx, name)) throw new CliError(exists);
      // Unlike modify, create stores `--notes=`/`--class=` as empty strings, as upstream does.
      await nameConflictAs(exists, () =>
        insertGroup(tx, {
          name,
          io_class: a.io_class as string,
          notes: (a.notes as string | undefined) ?? null,
          io_config: serialiseIoConfig(config),
        }),
      );
    });
    ctx.out.echo(`Created storage group "${name}".`);
  },
});
