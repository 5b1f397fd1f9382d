// `alpenhorn acq create NAME`: add a new, empty acquisition.

import { CliError, IndexError } from "../../common/errors.ts";
import { insertAcq } from "../../index/queries/acqs.ts";
import { getAcqByName } from "../../index/queries/lookup.ts";
import { defineCommand } from "../_shared/define.ts";
import { invalidImportPath } from "../../engine/fs/paths.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new Acquisition." },
  help: `Create a new Acquisition.

The Acquisition will be called NAME, which must not be the name of another existing Acquisition.`,
  options: {},
  args: [{ name: "NAME", required: true }],
  async run(ctx, a) {
    const name = a.name;
    const reason = invalidImportPath(name);
    if (reason) throw new CliError(`invalid name: ${reason}`);

    const exists = () => new CliError(`Acquisition "${name}" already exists.`);
    await ctx.db.transaction(async (tx) => {
      if (await getAcqByName(tx, name)) throw exists();
      try {
        await insertAcq(tx, name);
      } catch (err) {
        // A name equal under MySQL's _ci collation trips the unique index: the same refusal.
        if (err instanceof IndexError && err.kind === "conflict") throw exists();
        throw err;
      }
    });
    ctx.out.echo(`Created acquisition "${name}".`);
  },
});
