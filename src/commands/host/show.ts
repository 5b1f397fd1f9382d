// `alpenhorn host show HOST [--node-details] [--node-stats]`: a host's record and its nodes
// (upstream main's alpenhorn/cli/host/show.py).

import { tabulate } from "../../common/table.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { getNodeCounts } from "../../index/queries/stats.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveHost } from "../_shared/resolve.ts";
import { formatNodeStats } from "../node/_stats.ts";

export default defineCommand({
  meta: { name: "show", description: "Show details of a storage host." },
  help: `Show details of a storage host.

Shows details of the storage host named HOST.`,
  options: {
    nodeDetails: { names: ["--node-details"], kind: "flag", help: "Show details of listed nodes." },
    nodeStats: { names: ["--node-stats"], kind: "flag", help: "Show usage stats of listed nodes." },
  },
  args: [{ name: "HOST" }],
  async run(ctx, a) {
    const echo = (line: string) => ctx.out.echo(line);
    const host = await resolveHost(ctx.db, a.host);
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
