// `alpenhorn node create NAME`: add a storage node, optionally with its own new group and an
// initialisation request (spec §3.6).

import { CliError, UsageError } from "../../common/errors.ts";
import { insertGroup } from "../../index/queries/groups.ts";
import { getGroupByName, getNodeByName } from "../../index/queries/lookup.ts";
import { insertNode } from "../../index/queries/nodes.ts";
import { requestNodeInit } from "../../index/queries/requests.ts";
import { defineCommand } from "../_shared/define.ts";
import { composeIoConfig, IO_CONFIG_OPTION, IO_VAR_OPTION, serialiseIoConfig } from "../_shared/io-config.ts";
import { nameConflictAs } from "../_shared/metadata.ts";
import { resolveGroup } from "../_shared/resolve.ts";
import { checkLimits, NODE_OPTIONS, storageTypeFrom } from "./_metadata-options.ts";

export default defineCommand({
  meta: { name: "create", description: "Create a new Storage Node." },
  help: `Create a new Storage Node.

The Storage Node will be called NAME, which must not already exist.

All node must be part of a Storage Group.  Specify an existing Storage Group with --group, or else create a single-node group called NAME for this node with --create-group.

When the node is created, it must be assigned a role.  Use --archive to specify an archive node, or --transport for transport nodes.  Using neither of these flags makes the node a field node, which is the default.  The --field flag can be used to explicitly indicate this, but that is not required.

A note on the distinction between HOST and ADDR: the host specifies which alpenhorn server instance is responsible for managing the node.  the address (and username) are used by remote servers when pulling files off this node.`,
  options: {
    address: NODE_OPTIONS.address,
    activate: { names: ["--activate"], kind: "flag", help: "Activate the node immediately upon creation." },
    archive: NODE_OPTIONS.archive,
    auto_import: { names: ["--auto-import"], kind: "flag", help: "Turn on auto-import for the node. [default: off]" },
    auto_verify: {
      ...NODE_OPTIONS.auto_verify,
      default: 0,
      help: "If COUNT is non-zero, turn on auto-verify for the node node, with COUNT as the maximum verified copies per iteration.  [default: 0]",
    },
    io_class: NODE_OPTIONS.io_class,
    create_group: {
      names: ["--create-group"],
      kind: "flag",
      help: "Create a new Storage Group for this node.  The group will have the same name as the node (NAME) and use the Default group I/O class, which only allows one node in it.  Incompatible with --group.",
    },
    field: {
      ...NODE_OPTIONS.field,
      help: "Make node a field node (i.e. neither an archive node nor a transport node).  This is the default.  Incompatible with --archive or --transport.",
    },
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "Add node to Storage Group GROUP, which must already exist.  Incompatible with --create-group" },
    host: NODE_OPTIONS.host,
    init: { names: ["--init"], kind: "flag", help: 'Initialise the new node (see "node init --help")' },
    io_config: IO_CONFIG_OPTION,
    io_var: IO_VAR_OPTION,
    max_total: NODE_OPTIONS.max_total,
    min_avail: { ...NODE_OPTIONS.min_avail, default: 0, help: `${NODE_OPTIONS.min_avail.help}  [default: 0]` },
    notes: NODE_OPTIONS.notes,
    root: NODE_OPTIONS.root,
    transport: NODE_OPTIONS.transport,
    username: NODE_OPTIONS.username,
  },
  args: [{ name: "NAME" }],
  async run(ctx, a) {
    const name = a.name as string;
    const createGroup = a.create_group as boolean;
    const groupName = a.group as string | undefined;
    // Python truthiness: `--group=` counts as not given.
    if (createGroup && groupName) throw new UsageError("cannot use both --create-group and --group");
    if (!createGroup && !groupName) throw new UsageError("missing --create-group or --group");
    checkLimits(a.max_total as number | undefined, a.auto_verify as number, a.min_avail as number);
    const config = composeIoConfig(a.io_config as string | undefined, a.io_var as string[], null);
    const storageType = storageTypeFrom(a.archive as boolean, a.field as boolean, a.transport as boolean, "F")!;
    const str = (key: string) => (a[key] as string | undefined) ?? null;

    await ctx.db.transaction(async (tx) => {
      const nodeExists = `node "${name}" already exists.`;
      const groupExists = `group "${name}" already exists.`;
      if (await getNodeByName(tx, name)) throw new CliError(nodeExists);
      let groupId: number;
      if (createGroup) {
        if (await getGroupByName(tx, name)) throw new CliError(groupExists);
        groupId = await nameConflictAs(groupExists, () => insertGroup(tx, { name, io_class: null, notes: null, io_config: null }));
      } else groupId = (await resolveGroup(tx, groupName!)).id;

      const nodeId = await nameConflictAs(nodeExists, () => insertNode(tx, {
        name,
        root: str("root"),
        host: str("host"),
        username: str("username"),
        address: str("address"),
        io_class: str("io_class"),
        group_id: groupId,
        active: a.activate as boolean,
        auto_import: a.auto_import as boolean,
        auto_verify: a.auto_verify as number,
        storage_type: storageType,
        max_total_gb: (a.max_total as number | undefined) ?? null,
        min_avail_gb: a.min_avail as number,
        notes: str("notes"),
        io_config: serialiseIoConfig(config),
      }));
      if (a.init as boolean) await requestNodeInit(tx, nodeId);
    });
    if (createGroup) ctx.out.echo(`Created storage group "${name}".`);
    ctx.out.echo(`Created storage node "${name}".`);
  },
});
