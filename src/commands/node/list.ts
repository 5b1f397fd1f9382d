// `alpenhorn node list`: storage nodes with group, role, class, host, state, root and notes,
// optionally limited by activity, group or host (spec §3.6).

import { tabulate } from "../../common/table.ts";
import { listNodes } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveGroup } from "../_shared/resolve.ts";

const ROLES: Record<string, string> = { A: "archive", F: "-", T: "transport" };

export default defineCommand({
  meta: { name: "list", description: "List Storage Nodes." },
  help: "List Storage Nodes.",
  options: {
    active: { names: ["--active"], off: ["--inactive"], kind: "flag", help: "list only active/inactive nodes." },
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "List only nodes in Storage Group GROUP." },
    host: { names: ["--host"], kind: "value", metavar: "HOST", help: "List only nodes on HOST." },
  },
  args: [],
  async run(ctx, a) {
    // Python truthiness: an empty --group/--host is no limit.
    const groupName = a.group as string | undefined;
    const host = a.host as string | undefined;
    const group = groupName ? await resolveGroup(ctx.db, groupName) : undefined;
    const nodes = await listNodes(ctx.db, {
      active: a.active as boolean | undefined,
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
