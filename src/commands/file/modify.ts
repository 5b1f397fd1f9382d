// `alpenhorn file modify FILE [--md5 HASH] [--no-reverify] [--size SIZE]`: correct a file's
// recorded MD5 hash and/or size, then have its copies re-verified.

import { CliError, UsageError } from "../../common/errors.ts";
import { markCopiesSuspect } from "../../index/queries/copies.ts";
import { updateFile } from "../../index/queries/files.ts";
import { defineCommand } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveFile } from "../_shared/resolve.ts";
import { validateMd5 } from "./_validate.ts";

export default defineCommand({
  meta: { name: "modify", description: "Change File details." },
  help: `Change File details.

This command can be used to change the MD5 hash and/or recorded size of the File given by the path FILE in the data index. FILE should be specified as "acq-name/filename".

By default, after updating a File record, all extant copies of the File will be marked as needing reverification. This is to ensure that all copies of the File marked as healthy have the correct new MD5/size.

You can skip this re-verification step if necessary by using the --no-reverify flag.`,
  options: {
    md5: COMMON.md5,
    noReverify: { names: ["--no-reverify"], kind: "flag", help: "Don't reverify File copies on Nodes" },
    size: COMMON.fileSize,
  },
  args: [{ name: "FILE" }],
  async run(ctx, a) {
    const { md5, size } = a;
    if (md5 === undefined && size === undefined) throw new UsageError("at least of --md5 or --size must be used.");
    if (size !== undefined && size < 0) throw new CliError("negative file size.");
    validateMd5(md5);

    const message = await ctx.db.transaction(async (tx) => {
      const file = await resolveFile(tx, a.file);
      const updates: { md5sum?: string; size_b?: number } = {};
      // Case-sensitive: a hash differing only in case is stored as given.
      if (md5 !== undefined && md5 !== file.md5sum) updates.md5sum = md5;
      // alpenhorn also "changed" the size to NULL when --size was not given; we leave it alone.
      if (size !== undefined && (file.size_b === null || Number(file.size_b) !== size)) updates.size_b = size;
      if (Object.keys(updates).length === 0) return "No change.";

      await updateFile(tx, file.id, updates);
      if (a.noReverify) return "File updated.  Re-verification skipped.";
      const count = await markCopiesSuspect(tx, file.id);
      if (!count) return "File updated.  No additional copies need re-verification.";
      return `File updated.  ${count} ${count === 1 ? "copy" : "copies"} will be re-verified.`;
    });
    ctx.out.echo(message);
  },
});
