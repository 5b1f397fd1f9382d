// `alpenhorn host delete HOST [--check|--force] [--remove-nodes]`: delete a storage host,
// refused while nodes are on it unless --remove-nodes takes them off first (upstream main's
// alpenhorn/cli/host/delete.py, through the check → confirm → update flow).

import { ExitRequest } from "../../common/errors.ts";
import { deleteHost, detachNodesFromHost, nodeNamesOnHost } from "../../index/queries/hosts.ts";
import type { StorageHostRow } from "../../index/rows.ts";
import type { CommandContext } from "../_shared/context.ts";
import { checkThenUpdate, notBoth, type RunMode } from "../_shared/confirm.ts";
import { defineCommand, option } from "../_shared/define.ts";
import { resolveHost } from "../_shared/resolve.ts";

const plural = (n: number) => (n === 1 ? "node" : "nodes");

async function runOnce(ctx: CommandContext, host: StorageHostRow, removeNodes: boolean, mode: RunMode): Promise<void> {
  const { removed, nodes, deleted } = await ctx.db.transaction(async (tx) => {
    const removed = mode.update && removeNodes ? await detachNodesFromHost(tx, host.id) : 0;
    const nodes = await nodeNamesOnHost(tx, host.id);
    const deleted = mode.update && nodes.length === 0 ? await deleteHost(tx, host.id) : 0;
    return { removed, nodes, deleted };
  });
  if (nodes.length > 0 && (mode.update || !removeNodes)) {
    // Not an error for upstream: the message, and exit 0.
    ctx.out.echo(`Unable to delete host with nodes: "${nodes.join('", "')}"`);
    throw new ExitRequest(0);
  }
  if (mode.update) {
    if (removed) ctx.out.echo(`Removed ${removed} ${plural(removed)} from host "${host.name}".`);
    ctx.out.echo(deleted ? `Deleted host "${host.name}".` : `Host "${host.name}" not deleted.`);
    return;
  }
  if (nodes.length > 0) {
    ctx.out.echo(`Would remove ${nodes.length} ${plural(nodes.length)} from host "${host.name}":`);
    for (const n of nodes) ctx.out.echo(`  ${n}`);
  }
  ctx.out.echo(`Would delete Storage Host "${host.name}".`);
}

export default defineCommand({
  meta: { name: "delete", description: "Delete a Storage Host." },
  help: `Delete a Storage Host.

This will delete the host named HOST from the database.  Unless --remove-nodes is used, this will fail if the host currently contains nodes.`,
  options: {
    check: option({
      names: ["--check", "-c"],
      kind: "flag",
      help: "Only check (and print) what would be done, don't actually do anything.  Incompatible with --force",
    }),
    force: option({ names: ["--force"], kind: "flag", help: "Force update (skips confirmation).  Incompatible with --check" }),
    removeNodes: {
      names: ["--remove-nodes"],
      kind: "flag",
      help: "Remove any nodes from HOST before deletion.  Without this flag, nodes on HOST will block deletion.",
    },
  },
  args: [{ name: "HOST" }],
  async run(ctx, a) {
    notBoth(a.check, "check", a.force, "force");
    const host = await resolveHost(ctx.db, a.host);
    await checkThenUpdate(ctx, { check: a.check, force: a.force }, (mode) => runOnce(ctx, host, a.removeNodes, mode));
  },
});
