// `alpenhorn file verify FILE NODE`: ask the daemon to re-verify a file's copy on a node by
// marking it suspect.

import { CliError } from "../../common/errors.ts";
import { getCopy, updateCopy } from "../../index/queries/copies.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveFile, resolveNode } from "../_shared/resolve.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

export default defineCommand({
  meta: { name: "verify", description: "Request verification of a File." },
  help: `Request verification of a File.

This command requests that the copy of FILE on NODE be re-verified to check it for corruption. FILE should be specified as "<acq_name>/<file_name>".

If there is no copy of FILE on NODE, an error is returned.`,
  options: { ...WAIT_OPTIONS },
  args: [{ name: "FILE" }, { name: "NODE" }],
  async run(ctx, a) {
    const path = a.file;
    const wait = waitPlan(a);
    const { message, copyId } = await ctx.db.transaction(async (tx) => {
      const file = await resolveFile(tx, path);
      const node = await resolveNode(tx, a.node);
      const copy = await getCopy(tx, file.id, node.id);
      // Missing copies (N/Y) may be verified; removed ones may not.
      if (!copy || (copy.has_file === "N" && copy.wants_file !== "Y")) throw new CliError("File not present on node.");
      if (copy.has_file === "M") return { message: "File already scheduled for verification.", copyId: undefined };
      const adj = copy.has_file === "N" ? "missing " : copy.has_file === "X" ? "corrupt " : "";
      await updateCopy(tx, copy.id, { has_file: "M" });
      return { message: `Requesting verification of ${adj}file "${path}".`, copyId: copy.id };
    });
    ctx.out.echo(message);
    if (copyId !== undefined) await waitForFiled(ctx, wait, { kind: "checks", ids: [copyId] });
  },
});
