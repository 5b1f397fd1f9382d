// `alpenhorn node list`: storage nodes with group, role, class, host, state, root and notes,
// optionally limited by activity, group or host (alpenhorn/cli/node/list.py).

import { CliError } from "../../common/errors.ts";
import { tabulate } from "../../common/table.ts";
import { layoutOf } from "../../index/layout/detect.ts";
import { getHostByName } from "../../index/queries/hosts.ts";
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
    const layout = await layoutOf(ctx.db);
    // On upstream main's layout --host names a host record, as its `node list` resolves it.
    if (host && layout.hosts === "records" && !(await getHostByName(ctx.db, host))) throw new CliError(`no such host: ${host}`);
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
    // Upstream main's layout: an Archive column (Yes/No) instead of Role, and `-` for no host.
    const main = layout.archive === "flag";
    const role = (n: (typeof nodes)[number]) => (main ? (n.storage_type === "A" ? "Yes" : "No") : (ROLES[n.storage_type] ?? "???"));
    const hostOf = (n: (typeof nodes)[number]) => (layout.hosts === "records" ? (n.host ?? "-") : n.host);
    const rows = nodes.map((n) => [n.name, n.group_name, role(n), n.io_class, hostOf(n), Number(n.active) ? "Yes" : "No", n.root, n.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "Group", main ? "Archive" : "Role", "I/O Class", "Host", "Active", "Root", "Notes"]));
  },
});
