// `alpenhorn node create NAME` on upstream main's layout (its alpenhorn/cli/node/create.py):
// `--host` names a storagehost row, `--archive/--no-archive` sets the role; no log-in options.

import { CliError, UsageError } from "../../../common/errors.ts";
import { insertGroup } from "../../../index/queries/groups.ts";
import { getGroupByName, getNodeByName } from "../../../index/queries/lookup.ts";
import { insertNode } from "../../../index/queries/nodes.ts";
import { requestNodeInit } from "../../../index/queries/requests.ts";
import { defineCommand } from "../../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../../_shared/io-config.ts";
import { nameConflictAs } from "../../_shared/metadata.ts";
import { resolveGroup, resolveHost } from "../../_shared/resolve.ts";
import { checkLimits, NODE_OPTIONS } from "../_metadata-options.ts";
import { MAIN_NODE_OPTIONS, roleCode } from "./_options.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new Storage Node." },
  help: `Create a new Storage Node.

The Storage Node will be called NAME, which must not already exist.

All node must be part of a Storage Group.  Specify an existing Storage Group with --group, or else create a single-node group called NAME for this node with --create-group.`,
  options: {
    activate: { names: ["--activate"], kind: "flag", help: "Activate the node immediately upon creation." },
    archive: MAIN_NODE_OPTIONS.archive,
    autoImport: { names: ["--auto-import"], kind: "flag", help: "Turn on auto-import for the node. [default: off]" },
    autoVerify: {
      ...NODE_OPTIONS.autoVerify,
      default: 0,
      help: "If COUNT is non-zero, turn on auto-verify for the node node, with COUNT as the maximum verified copies per iteration.  [default: 0]",
    },
    ioClass: NODE_OPTIONS.ioClass,
    createGroup: {
      names: ["--create-group"],
      kind: "flag",
      help: "Create a new Storage Group for this node.  The group will have the same name as the node (NAME) and use the Default group I/O class, which only allows one node in it.  Incompatible with --group.",
    },
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "Add node to Storage Group GROUP, which must already exist.  Incompatible with --create-group" },
    host: MAIN_NODE_OPTIONS.host,
    init: { names: ["--init"], kind: "flag", help: 'Initialise the new node (see "node init --help")' },
    ioConfig: IO_CONFIG_OPTION,
    ioVar: IO_VAR_OPTION,
    maxTotal: NODE_OPTIONS.maxTotal,
    minAvail: { ...NODE_OPTIONS.minAvail, default: 0, help: `${NODE_OPTIONS.minAvail.help}  [default: 0]` },
    notes: NODE_OPTIONS.notes,
    root: NODE_OPTIONS.root,
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const { name, createGroup, group: groupName } = a;
    // Python truthiness: `--group=` counts as not given.
    if (createGroup && groupName) throw new UsageError("cannot use both --create-group and --group");
    if (!createGroup && !groupName) throw new UsageError("missing --create-group or --group");
    checkLimits(a.maxTotal, a.autoVerify, a.minAvail);
    const config = composeIoConfig(a.ioConfig, a.ioVar, null);

    await ctx.db.transaction(async (tx) => {
      const nodeExists = `node "${name}" already exists.`;
      const groupExists = `group "${name}" already exists.`;
      if (await getNodeByName(tx, name)) throw new CliError(nodeExists);
      let groupId: number;
      if (createGroup) {
        if (await getGroupByName(tx, name)) throw new CliError(groupExists);
        groupId = await nameConflictAs(groupExists, () => insertGroup(tx, { name, io_class: null, notes: null, io_config: null }));
      } else groupId = (await resolveGroup(tx, groupName!)).id;
      // An empty --host is no host, as upstream tests it for truth.
      const host = a.host ? (await resolveHost(tx, a.host)).name : null;

      const nodeId = await nameConflictAs(nodeExists, () => insertNode(tx, {
        name,
        root: a.root ?? null,
        host,
        username: null,
        address: null,
        io_class: a.ioClass ?? null,
        group_id: groupId,
        active: a.activate,
        auto_import: a.autoImport,
        auto_verify: a.autoVerify,
        storage_type: roleCode(a.archive ?? false),
        max_total_gb: a.maxTotal ?? null,
        min_avail_gb: a.minAvail,
        notes: a.notes ?? null,
        io_config: serialiseIoConfig(config),
      }));
      if (a.init) await requestNodeInit(tx, nodeId);
    });
    if (createGroup) ctx.out.echo(`Created storage group "${name}".`);
    ctx.out.echo(`Created storage node "${name}".`);
  },
});
