// `alpenhorn status [--json]`: the operator's one screen, read from the index only: which
// hosts' daemons are alive, pending work, space limits, suspect and corrupt copies, and how
// many files hang on a single healthy copy.

import { selectNodes } from "../index/queries/nodes.ts";
import { riskByNode } from "../index/queries/risk.ts";
import { copyTallies, pendingImportsPerNode, pendingTransfersPerRoute, statusNodes } from "../index/queries/status.ts";
import { riskRule } from "./node/risk.ts";
import type { CommandContext } from "./_shared/context.ts";
import { defineCommand } from "./_shared/define.ts";
import { writeJson } from "./_shared/json-output.ts";
import { buildStatus, statusText } from "./_shared/status-report.ts";

/**
 * `node risk`'s `only_here` class summed over every node: the files whose only healthy copy is
 * on one node (each counted once, at that node), with their bytes. Same query and rule as
 * `node risk`, so the two never disagree.
 */
async function onlyHereTotal(ctx: CommandContext): Promise<{ files: number; bytes: number }> {
  const nodes = await selectNodes(ctx.db);
  const risk = await riskByNode(ctx.db, nodes.map((n) => Number(n.id)), await riskRule(ctx, nodes));
  let files = 0;
  let bytes = 0;
  for (const r of risk.values()) {
    files += r.only_here.files;
    bytes += r.only_here.bytes;
  }
  return { files, bytes };
}

export default defineCommand({
  meta: { name: "status", description: "Show the state of the whole archive." },
  help: `Show the state of the whole archive.

For each host: whether its daemon is alive (it has recorded the free space of one of its active nodes within the last three update intervals, daemon.update_interval, plus ten seconds) and its nodes.  Then: pending import requests per node, pending transfers per source node and destination group, copies waiting to be cleaned per node, nodes below their minimum free space or over their maximum size, suspect and corrupt copies per node, and the number of files with a single healthy copy.

Everything is read from the data index; no daemon is contacted.`,
  options: {
    json: { names: ["--json"], kind: "flag", help: "Print the status as one JSON object instead." },
  },
  args: [],
  async run(ctx, a) {
    const db = ctx.db;
    const facts = {
      nodes: await statusNodes(db),
      tallies: await copyTallies(db),
      imports: await pendingImportsPerNode(db),
      transfers: await pendingTransfersPerRoute(db),
      risk: await onlyHereTotal(ctx),
    };
    const interval = ctx.config.int("daemon.update_interval", { default: 60, min: 0 });
    const report = buildStatus(facts, Date.now(), interval);
    if (a.json) writeJson(ctx, report);
    else for (const line of statusText(report)) ctx.out.echo(line);
  },
});
