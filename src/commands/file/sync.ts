// `alpenhorn file sync FILE [--cancel] [--force] [--from SOURCE_NODE] [--to DEST_GROUP]`: request
// a transfer of one file from a node into a group, or cancel its pending transfer requests.

import { UsageError } from "../../common/errors.ts";
import { cancelPendingRequests, insertCopyRequest } from "../../index/queries/requests.ts";
import { getCopy, groupStateOfFile } from "../../index/queries/copies.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveFile, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

export default defineCommand({
  meta: { name: "sync", description: "Create or cancel a File transfer." },
  help: `Create or cancel a File transfer.

This command allows you to either create a new request to transfer a file from a Node to a Group, or else lets you cancel existing pending transfer requests for FILE. The FILE should be specified as "<acq_name>/<filename>".

Without "--cancel", this command creates a request for the daemon to transfer FILE from the Node SOURCE_NODE into the destination Group DEST_GROUP; both "--from" and "--to" are required and the File must not already be present in the destination Group. By default, the request is only created if the file exists on the source; use "--force" to skip this check.

With "--cancel", pending transfer requests for FILE are cancelled, optionally limited with "--from" and "--to".`,
  options: {
    cancel: { names: ["--cancel"], kind: "flag", help: "Cancel existing transfer requests." },
    force: {
      names: ["--force"],
      kind: "flag",
      help: "Create the transfer request even if the source Node does not have a copy of the file.  Ignored if used with --cancel.",
    },
    from: { names: ["--from"], kind: "value", metavar: "SOURCE_NODE", help: "Source Node for the transfer request.  Required if not cancelling." },
    to: { names: ["--to"], kind: "value", metavar: "DEST_GROUP", help: "Destination Group for the transfer request.  Required if not cancelling." },
    ...WAIT_OPTIONS,
  },
  args: [{ name: "FILE" }],
  async run(ctx, a) {
    const { file: path, from, to } = a;
    const wait = waitPlan(a);

    if (a.cancel) {
      const count = await ctx.db.transaction(async (tx) => {
        const file = await resolveFile(tx, path);
        const node = from ? await resolveNode(tx, from) : null;
        const group = to ? await resolveGroup(tx, to) : null;
        return cancelPendingRequests(tx, file.id, node ? node.id : null, group ? group.id : null);
      });
      ctx.out.echo(count === 1 ? "Cancelled 1 request." : count ? `Cancelled ${count} requests.` : "No requests to cancel.");
      return;
    }

    if (!from) throw new UsageError("missing --from");
    if (!to) throw new UsageError("missing --to");

    const filed = await ctx.db.transaction(async (tx): Promise<number | undefined> => {
      const file = await resolveFile(tx, path);
      const src = await resolveNode(tx, from);
      const dest = await resolveGroup(tx, to);

      const { state, node } = await groupStateOfFile(tx, dest.id, file.id);
      if (state === "Y") {
        ctx.out.echo(`Not done: ${path} already present on Node "${node!.name}" in destination Group "${to}".`);
        return;
      }
      const srcCopy = await getCopy(tx, file.id, src.id);
      if ((srcCopy?.has_file ?? "N") !== "Y") {
        if (!a.force) {
          ctx.out.echo("Not done: File missing from source.");
          return;
        }
        ctx.out.echo("File missing from source: forcing request.");
      }
      // No check for an existing pending request: alpenhorn allows duplicates.
      const id = await insertCopyRequest(tx, file.id, src.id, dest.id);
      ctx.out.echo("Request submitted.");
      return id;
    });
    if (filed !== undefined) await waitForFiled(ctx, wait, { kind: "transfers", ids: [filed] });
  },
});
