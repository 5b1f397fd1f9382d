// `alpenhorn node stats [--active/--inactive] [--group GROUP] [--host HOST] [--extra-stats] [--json]`:
// file count, total size and fill level per node.

import { tabulate, type Align } from "../../common/table.ts";
import { getNodeCounts } from "../../index/queries/stats.ts";
import { selectNodes, type NodeFilter } from "../../index/queries/nodes.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, writeJson } from "../_shared/json-output.ts";
import { resolveGroup } from "../_shared/resolve.ts";
import { NODE_FILTERS } from "./_metadata-options.ts";
import { formatNodeStats, nodeStatsJson } from "./_stats.ts";

export default defineCommand({
  meta: { name: "stats", description: "Show Storage Node stats." },
  help: `Show Storage Node stats.

Options can be used to restrict which nodes are selected for display.

For each selected node, shows total number of files, total size, and percentage full (if the node has a well defined total size).

If --extra-stats are requested, also shows counts of corrupt, missing, and suspect files.`,
  options: {
    active: { names: ["--active"], off: ["--inactive"], kind: "flag", help: "List only active/inactive nodes." },
    group: NODE_FILTERS.group,
    host: NODE_FILTERS.host,
    extraStats: { names: ["--extra-stats"], kind: "flag", help: "Show extra stats." },
    json: jsonOption("the stats"),
  },
  args: [],
  async run(ctx, a) {
    const filter: NodeFilter = {};
    if (a.active !== undefined) filter.active = a.active;
    // alpenhorn tests these for truth: an empty --group/--host is no restriction.
    if (a.group) filter.groupId = (await resolveGroup(ctx.db, a.group)).id;
    if (a.host) filter.host = a.host;
    const extra = a.extraStats;

    const nodes = await selectNodes(ctx.db, filter);
    if (a.json) {
      const counts = await getNodeCounts(ctx.db, nodes.map((n) => n.id), extra);
      return writeJson(ctx, nodes.map((n) => ({ name: n.name, ...nodeStatsJson(n, counts.get(n.id)!, extra) })));
    }
    if (nodes.length === 0) {
      ctx.out.echo("no nodes");
      return;
    }
    const counts = await getNodeCounts(ctx.db, nodes.map((n) => n.id), extra);
    const rows = nodes.map((n) => {
      const s = formatNodeStats(n, counts.get(n.id)!);
      const row: unknown[] = [n.name, s.count, s.size, s.percent];
      if (extra) row.push(s.corrupt, s.suspect, s.missing);
      return row;
    });
    const headers = ["Name", "File Count", "Total Size", "% Full"];
    const colAlign: Align[] = ["left", "right", "right", "right"];
    if (extra) {
      headers.push("Corrupt Files", "Suspect Files", "Missing Files");
      colAlign.push("right", "right", "right");
    }
    ctx.out.echo(tabulate(rows, headers, { colAlign, floatFmt: ".2f" }));
  },
});
