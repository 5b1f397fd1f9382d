// `alpenhorn node modify NAME` on upstream main's layout (its alpenhorn/cli/node/modify.py):
// `--host` names a storagehost row (`--host=` clears it), `--archive/--no-archive` is
// tri-state; options not given are left alone.

import { UsageError } from "../../../common/errors.ts";
import { updateNode, type NodeUpdates } from "../../../index/queries/nodes.ts";
import { defineCommand } from "../../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../../_shared/io-config.ts";
import { updateOrRemove } from "../../_shared/metadata.ts";
import { resolveGroup, resolveHost, resolveNode } from "../../_shared/resolve.ts";
import { checkLimits, NODE_OPTIONS } from "../_metadata-options.ts";
import { MAIN_NODE_OPTIONS, roleCode } from "./_options.ts";

export default defineCommand({
  meta: { name: "modify", description: "Modify a Storage Node." },
  help: `Modify a Storage Node.

This modifies metadata for the Storage Node named NAME, updating fields specified in the options.

Other node metadata is modified in other ways:

* To activate a node, use: node activate
* To deactivate a node, use: node deactivate
* To change the name of a node, use: node rename`,
  options: {
    archive: MAIN_NODE_OPTIONS.archive,
    autoImport: { names: ["--auto-import"], off: ["--no-auto-import"], kind: "flag", help: "Turn on/off auto-import for the node." },
    autoVerify: NODE_OPTIONS.autoVerify,
    ioClass: NODE_OPTIONS.ioClass,
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "Move node to Storage Group GROUP, which must already exist" },
    host: MAIN_NODE_OPTIONS.host,
    ioConfig: IO_CONFIG_OPTION,
    ioVar: IO_VAR_OPTION,
    maxTotal: NODE_OPTIONS.maxTotal,
    noMaxTotal: { names: ["--no-max-total"], kind: "flag", help: "Remove any existing max-total limit" },
    minAvail: NODE_OPTIONS.minAvail,
    notes: NODE_OPTIONS.notes,
    root: NODE_OPTIONS.root,
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const { maxTotal, noMaxTotal, autoVerify, minAvail, autoImport, archive } = a;
    if (maxTotal !== undefined && noMaxTotal) throw new UsageError("cannot use both --max-total and --no-max-total");
    checkLimits(maxTotal, autoVerify, minAvail);

    const changed = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, a.name);
      if (a.host) await resolveHost(tx, a.host);
      // Python truthiness: `--group=` counts as not given.
      const group = a.group ? await resolveGroup(tx, a.group) : undefined;
      const config = composeIoConfig(a.ioConfig, a.ioVar, node.io_config);

      const updates: NodeUpdates = {};
      updateOrRemove(updates, "io_class", a.ioClass, node.io_class);
      updateOrRemove(updates, "notes", a.notes, node.notes);
      updateOrRemove(updates, "root", a.root, node.root);
      updateOrRemove(updates, "host", a.host, node.host);
      if (noMaxTotal) {
        if (node.max_total_gb !== null) updates.max_total_gb = null;
      } else if (maxTotal !== undefined && maxTotal !== node.max_total_gb) updates.max_total_gb = maxTotal;
      if (archive !== undefined && archive !== (node.storage_type === "A")) updates.storage_type = roleCode(archive);
      if (autoImport !== undefined && autoImport !== Boolean(Number(node.auto_import))) updates.auto_import = autoImport ? 1 : 0;
      if (autoVerify !== undefined && autoVerify !== node.auto_verify) updates.auto_verify = autoVerify;
      if (group && group.id !== node.group_id) updates.group_id = group.id;
      const text = serialiseIoConfig(config);
      if (text !== node.io_config) updates.io_config = text;
      if (minAvail !== undefined && minAvail !== node.min_avail_gb) updates.min_avail_gb = minAvail;

      await updateNode(tx, node.id, updates);
      return Object.keys(updates).length > 0;
    });
    ctx.out.echo(changed ? "Node updated." : "No change.");
  },
});
