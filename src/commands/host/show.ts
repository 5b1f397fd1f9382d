// `alpenhorn host show HOST [--node-details] [--node-stats] [--json]`: a host's record and its nodes
// (upstream main's alpenhorn/cli/host/show.py).

import { tabulate } from "../../common/table.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { getNodeCounts } from "../../index/queries/stats.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";
import { resolveHost } from "../_shared/resolve.ts";
import { formatNodeStats, nodeStatsJson } from "../node/_stats.ts";

export default defineCommand({
  meta: { name: "show", description: "Show details of a storage host." },
  help: `Show details of a storage host.

Shows details of the storage host named HOST.`,
  options: {
    nodeDetails: { names: ["--node-details"], kind: "flag", help: "Show details of listed nodes." },
    nodeStats: { names: ["--node-stats"], kind: "flag", help: "Show usage stats of listed nodes." },
    json: jsonOption("the details"),
  },
  args: [{ name: "HOST" }],
  async run(ctx, a) {
    const echo = (line: string) => ctx.out.echo(line);
    const host = await resolveHost(ctx.db, a.host);
    if (a.json) {
      // Each node: `name`; `active` and `io_class` with --node-details; the stats with --node-stats.
      const nodes = await selectNodes(ctx.db, { host: host.name });
      const counts = a.nodeStats ? await getNodeCounts(ctx.db, nodes.map((n) => n.id), false) : undefined;
      return writeJson(ctx, {
        name: host.name,
        username: textOrNull(host.username),
        address: textOrNull(host.address),
        notes: textOrNull(host.notes),
        nodes: nodes.map((n) => ({
          name: n.name,
          ...(a.nodeDetails ? { active: Boolean(Number(n.active)), io_class: textOrNull(n.io_class) } : {}),
          ...(counts ? nodeStatsJson(n, counts.get(n.id)!, false) : {}),
        })),
      });
    }
    echo(`Storage Host: ${host.name}`);
    echo(`    Username: ${host.username ?? ""}`);
    echo(`     Address: ${host.address ?? ""}`);
    echo(`       Notes: ${host.notes ?? ""}`);
    echo("\nNodes:\n");
    const nodes = await selectNodes(ctx.db, { host: host.name });
    if (nodes.length === 0) {
      echo("  none");
      return;
    }
    const { nodeDetails: details, nodeStats: stats } = a;
    if (!details && !stats) {
      for (const n of nodes) echo(`  ${n.name}`);
      return;
    }
    const counts = stats ? await getNodeCounts(ctx.db, nodes.map((n) => n.id), false) : undefined;
    const headers = [...(details ? ["Name", "Active", "I/O Class"] : ["Name"]), ...(stats ? ["File Count", "Total Size", "% Full"] : [])];
    const rows = nodes.map((n) => {
      const s = counts ? formatNodeStats(n, counts.get(n.id)!) : undefined;
      return [
        n.name,
        ...(details ? [Number(n.active) ? "Yes" : "No", n.io_class ? n.io_class : "Default"] : []),
        ...(s ? [s.count, s.size, s.percent] : []),
      ];
    });
    echo(tabulate(rows, headers));
  },
});
