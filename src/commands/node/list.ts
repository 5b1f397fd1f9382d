// `alpenhorn node list [--json]`: storage nodes with group, role, class, host, state, root and notes,
// optionally limited by activity, group or host (alpenhorn/cli/node/list.py).

import { CliError } from "../../common/errors.ts";
import { tabulate } from "../../common/table.ts";
import { layoutOf } from "../../index/layout/detect.ts";
import { getHostByName } from "../../index/queries/hosts.ts";
import { listNodes } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";
import { resolveGroup } from "../_shared/resolve.ts";
import { NODE_FILTERS } from "./_metadata-options.ts";

const ROLES: Record<string, string> = { A: "archive", F: "-", T: "transport" };
/** `--json`'s role: the table's word, null for a field node (its `-`) or an unknown code. */
const ROLE_WORDS: Record<string, string> = { A: "archive", T: "transport" };

export default defineCommand({
  meta: { name: "list", description: "List Storage Nodes." },
  help: "List Storage Nodes.",
  options: {
    active: { names: ["--active"], off: ["--inactive"], kind: "flag", help: "list only active/inactive nodes." },
    group: NODE_FILTERS.group,
    host: NODE_FILTERS.host,
    json: jsonOption("the list"),
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
    const main = layout.archive === "flag";
    if (a.json) {
      // The table's Role column (632dd41's layout) or Archive column (upstream main's).
      const roleField = (n: (typeof nodes)[number]) => (main ? { archive: n.storage_type === "A" } : { role: ROLE_WORDS[n.storage_type] ?? null });
      const list = nodes.map((n) => ({
        name: n.name,
        group: n.group_name,
        ...roleField(n),
        io_class: textOrNull(n.io_class),
        host: textOrNull(n.host),
        active: Boolean(Number(n.active)),
        root: textOrNull(n.root),
        notes: textOrNull(n.notes),
      }));
      return writeJson(ctx, list);
    }
    if (nodes.length === 0) {
      ctx.out.echo("no nodes");
      return;
    }
    // I/O Class is shown raw here (NULL → empty), unlike `group show`.
    // Upstream main's layout: an Archive column (Yes/No) instead of Role, and `-` for no host.
    const role = (n: (typeof nodes)[number]) => (main ? (n.storage_type === "A" ? "Yes" : "No") : (ROLES[n.storage_type] ?? "???"));
    const hostOf = (n: (typeof nodes)[number]) => (layout.hosts === "records" ? (n.host ?? "-") : n.host);
    const rows = nodes.map((n) => [n.name, n.group_name, role(n), n.io_class, hostOf(n), Number(n.active) ? "Yes" : "No", n.root, n.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "Group", main ? "Archive" : "Role", "I/O Class", "Host", "Active", "Root", "Notes"]));
  },
});
