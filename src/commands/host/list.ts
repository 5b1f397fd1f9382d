// `alpenhorn host list [--json]`: every storage host with its log-in details, node count and notes
// (upstream main's alpenhorn/cli/host/list.py).

import { tabulate } from "../../common/table.ts";
import { listHostsWithNodeCounts } from "../../index/queries/hosts.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";

export default defineCommand({
  meta: { name: "list", description: "List all storage hosts." },
  help: "List all storage hosts.",
  options: { json: jsonOption("the list") },
  args: [],
  async run(ctx, a) {
    const hosts = await listHostsWithNodeCounts(ctx.db);
    if (a.json) {
      const list = hosts.map((h) => ({ name: h.name, username: textOrNull(h.username), address: textOrNull(h.address), node_count: Number(h.node_count), notes: textOrNull(h.notes) }));
      return writeJson(ctx, list);
    }
    if (hosts.length === 0) {
      ctx.out.echo("No storage hosts found.");
      return;
    }
    const rows = hosts.map((h) => [h.name, h.username, h.address, h.node_count, h.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "Username", "Address", "Nodes", "Notes"]));
  },
});
