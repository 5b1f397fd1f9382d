// `alpenhorn file clean FILE [--archive-ok] [-x/--cancel] [--node NODE] [-n/--now]`: mark a
// file's copy for discretionary or immediate removal, or cancel that, by setting wants_file.

import { UsageError } from "../../common/errors.ts";
import { setCopiesWants } from "../../index/queries/copies.ts";
import type { WantsFile } from "../../index/rows.ts";
import { defineCommand } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveFile, resolveNode } from "../_shared/resolve.ts";
import { getCopy } from "../../index/queries/copies.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

export default defineCommand({
  meta: { name: "clean", description: "Remove a File from a Node." },
  help: `Remove a File from a Node.

This command will schedule the File called FILE for cleaning, or cancel an existing cleaning, if the --cancel flag is used. FILE should be specified as "<acq_name>/<filename>".

Normally, files are cleaned by *marking* them for discretionary removal: the daemon may remove them to stay above the minimum free space set for NODE. With "--now", files are instead *released* for immediate removal. Either way, files will not be removed unless they are available on at least two (other) archive nodes.

By default, alpenhorn will refuse to clean files from an archive node. This restriction may be overridden with the "--archive-ok" flag.

When using --cancel, both kinds of cleaning are cancelled. When cancelling, --node may be omitted, in which case all pending cleaning requests are cancelled for FILE.`,
  options: {
    archiveOk: COMMON.archiveOk,
    cancel: COMMON.cancel,
    node: { names: ["--node"], kind: "value", metavar: "NODE", help: "Update the file on Node NODE." },
    now: COMMON.now,
    ...WAIT_OPTIONS,
  },
  args: [{ name: "FILE" }],
  async run(ctx, a) {
    const { file: path, node: nodeName, cancel, now } = a;
    if (!cancel && !nodeName) throw new UsageError("missing --cancel or --node");
    if (cancel && now) throw new UsageError("cannot use both --cancel and --now");
    const wait = waitPlan(a);

    const wants: WantsFile = cancel ? "Y" : now ? "N" : "M";

    const result = await ctx.db.transaction(async (tx) => {
      let node = null;
      if (nodeName) {
        node = await resolveNode(tx, nodeName);
        if (node.storage_type === "A" && !cancel) {
          if (!a.archiveOk) return { refused: `Not done: Node "${node.name}" is an archive node.` };
          ctx.out.echo(`Node "${node.name}" is an archive node: forcing clean.`);
        }
      }
      const file = await resolveFile(tx, path);
      // Every copy row (of the node, if given), whatever its state: alpenhorn's behaviour.
      const count = await setCopiesWants(tx, file.id, node ? node.id : null, wants);
      // Cancelling files nothing for the daemon; a mark or release is its copy on the node.
      const copy = !cancel && node && count ? await getCopy(tx, file.id, node.id) : undefined;
      return { count, nodeName: node?.name, copyId: copy?.id };
    });

    if ("refused" in result) {
      ctx.out.echo(result.refused);
      return;
    }
    const { count, nodeName: name } = result;
    if (!count) ctx.out.echo("No change.");
    else if (cancel) {
      if (name !== undefined) ctx.out.echo(`Cancelled cleaning for "${path}" on Node "${name}".`);
      else ctx.out.echo(`Cancelled ${count} cleaning ${count === 1 ? "request" : "requests"} for "${path}".`);
    } else if (now) ctx.out.echo(`Released "${path}" for immediate removal on Node "${name}".`);
    else ctx.out.echo(`Marked "${path}" for discretionary cleaning on Node "${name}".`);
    if (result.copyId !== undefined) await waitForFiled(ctx, wait, { kind: "deletions", ids: [result.copyId] });
  },
});
