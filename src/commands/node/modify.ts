// `alpenhorn node modify NAME`: change a node's metadata; options not given are left alone
// (alpenhorn/cli/node/modify.py). Activation and renaming have commands of their own.

import { UsageError } from "../../common/errors.ts";
import { updateNode, type NodeUpdates } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../_shared/io-config.ts";
import { updateOrRemove } from "../_shared/metadata.ts";
import { resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { checkLimits, NODE_OPTIONS, storageTypeFrom } from "./_metadata-options.ts";

export default defineCommand({
  meta: { name: "modify", description: "Modify a Storage Node." },
  help: `Modify a Storage Node.

This modifies metadata for the Storage Node named NAME, updating field specified in the options.

Other node metadata is modified in other ways:

* To activate a node, use: node activate
* To deactivate a node, use: node deactivate
* To change the name of a node, use: node rename

A note on the distinction between HOST and ADDR: the host specifies which alpenhorn server instance is responsible for managing the node.  the address (and username) are used by remote servers when pulling files off this node.`,
  options: {
    address: NODE_OPTIONS.address,
    archive: NODE_OPTIONS.archive,
    autoImport: { names: ["--auto-import"], off: ["--no-auto-import"], kind: "flag", help: "Turn on/off auto-import for the node." },
    autoVerify: NODE_OPTIONS.autoVerify,
    ioClass: NODE_OPTIONS.ioClass,
    field: NODE_OPTIONS.field,
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "Move node to Storage Group GROUP, which must already exist" },
    host: NODE_OPTIONS.host,
    ioConfig: IO_CONFIG_OPTION,
    ioVar: IO_VAR_OPTION,
    maxTotal: NODE_OPTIONS.maxTotal,
    noMaxTotal: { names: ["--no-max-total"], kind: "flag", help: "Remove any existing max-total limit" },
    minAvail: NODE_OPTIONS.minAvail,
    notes: NODE_OPTIONS.notes,
    root: NODE_OPTIONS.root,
    transport: NODE_OPTIONS.transport,
    username: NODE_OPTIONS.username,
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const { maxTotal, noMaxTotal, autoVerify, minAvail, autoImport } = a;
    if (maxTotal !== undefined && noMaxTotal) throw new UsageError("cannot use both --max-total and --no-max-total");
    checkLimits(maxTotal, autoVerify, minAvail);
    const storageType = storageTypeFrom(a.archive, a.field, a.transport, null);

    const changed = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, a.name);
      // Python truthiness: `--group=` counts as not given.
      const group = a.group ? await resolveGroup(tx, a.group) : undefined;
      const config = composeIoConfig(a.ioConfig, a.ioVar, node.io_config);

      const updates: NodeUpdates = {};
      updateOrRemove(updates, "address", a.address, node.address);
      updateOrRemove(updates, "host", a.host, node.host);
      updateOrRemove(updates, "io_class", a.ioClass, node.io_class);
      updateOrRemove(updates, "notes", a.notes, node.notes);
      updateOrRemove(updates, "root", a.root, node.root);
      updateOrRemove(updates, "username", a.username, node.username);
      if (noMaxTotal) {
        if (node.max_total_gb !== null) updates.max_total_gb = null;
      } else if (maxTotal !== undefined && maxTotal !== node.max_total_gb) updates.max_total_gb = maxTotal;
      if (autoImport !== undefined && autoImport !== Boolean(Number(node.auto_import))) updates.auto_import = autoImport ? 1 : 0;
      if (autoVerify !== undefined && autoVerify !== node.auto_verify) updates.auto_verify = autoVerify;
      if (group && group.id !== node.group_id) updates.group_id = group.id;
      // A stored config in another JSON spelling is rewritten in Python's, as upstream does.
      const text = serialiseIoConfig(config);
      if (text !== node.io_config) updates.io_config = text;
      if (minAvail !== undefined && minAvail !== node.min_avail_gb) updates.min_avail_gb = minAvail;
      if (storageType !== null && storageType !== node.storage_type) updates.storage_type = storageType;

      await updateNode(tx, node.id, updates);
      return Object.keys(updates).length > 0;
    });
    ctx.out.echo(changed ? "Node updated." : "No change.");
  },
});
