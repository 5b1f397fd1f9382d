// `alpenhorn node list`: storage nodes with group, role, class, host, state, root and notes,
// optionally limited by activity, group or host (alpenhorn/cli/node/list.py).

import { tabulate } from "../../common/table.ts";
import { listNodes } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveGroup } from "../_shared/resolve.ts";
import { NODE_FILTERS } from "./_metadata-options.ts";

const ROLES: Record<string, string> = { A: "archive", F: "-", T: "transport" };

export default defineCommand({
  meta: { name: "list", description: "List Storage Nodes." },
  help: "List Storage Nodes.",
  options: {
    active: { names: ["--active"], off: ["--inactive"], kind: "flag", help: "list only active/inactive nodes." },
    group: NODE_FILTERS.group,
    host: NODE_FILTERS.host,
  },
  args: [],
  async run(ctx, a) {
    // Python truthiness: an empty --group/--host is no limit.
    const { group: groupName, host } = a;
    const group = groupName ? await resolveGroup(ctx.db, groupName) : undefined;
    const nodes = await listNodes(ctx.db, {
      active: a.active,
      groupId: group?.id,
      host: host ? host : undefined,
    });
    if (nodes.length === 0) {
      ctx.out.echo("no nodes");
      return;
    }
    // I/O Class is shown raw here (NULL → empty), unlike `group show`.
    const rows = nodes.map((n) => [n.name, n.group_name, ROLES[n.storage_type] ?? "???", n.io_class, n.host, Number(n.active) ? "Yes" : "No", n.root, n.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "Group", "Role", "I/O Class", "Host", "Active", "Root", "Notes"]));
  },
});
