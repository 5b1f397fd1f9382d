// `alpenhorn acq show ACQ [--show-groups] [--show-nodes] [--json]`: totals of an acquisition and
// where its files are (has_file='Y' copies per node and/or group).

import { prettyBytes } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { getAcqTotals, listAcqGroupTotals, listAcqNodeTotals, type NodeTotal } from "../../index/queries/acqs.ts";
import type { Db } from "../../index/driver/types.ts";
import type { Output } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, writeJson } from "../_shared/json-output.ts";
import { resolveAcq } from "../_shared/resolve.ts";

const NO_DATA = "No nodes with data";

function codepointCompare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

async function nodeBreakdown(db: Db, out: Output, acqId: number): Promise<void> {
  out.echo("\nNode breakdown:\n");
  // Python's sorted() over node names: code-point order, whatever the database collation.
  const nodes = (await listAcqNodeTotals(db, acqId)).sort((x, y) => codepointCompare(x.node_name, y.node_name));
  if (nodes.length === 0) out.echo(NO_DATA);
  else out.echo(tabulate(nodes.map((n) => [n.node_name, n.count, prettyBytes(n.size)]), ["Node", "Count", "Size"]));
}

async function groupBreakdown(db: Db, out: Output, acqId: number, withNodes: boolean): Promise<void> {
  const header = withNodes ? "Group/Node" : "Group";
  out.echo(`\n${header} breakdown:\n`);
  const nodesByGroup = new Map<number, NodeTotal[]>();
  if (withNodes) {
    for (const n of await listAcqNodeTotals(db, acqId)) {
      const list = nodesByGroup.get(n.group_id);
      if (list) list.push(n);
      else nodesByGroup.set(n.group_id, [n]);
    }
  }
  const rows: unknown[][] = [];
  for (const g of await listAcqGroupTotals(db, acqId)) {
    if (!g.count) continue;
    rows.push([g.group_name, g.count, prettyBytes(g.size)]);
    const nodes = nodesByGroup.get(g.group_id) ?? [];
    for (const n of nodes) rows.push([`-- ${n.node_name}`, n.count, prettyBytes(n.size)]);
    // The separator row holds empty strings, which (tabulate 0.8.9) makes Count a text column.
    if (nodes.length > 0) rows.push(["", "", ""]);
  }
  if (rows.length === 0) out.echo(NO_DATA);
  else out.echo(tabulate(rows, [header, "Count", "Size"]));
}

/** A count and summed size as `--json` gives them: files without a recorded size add 0 bytes. */
const amount = (t: { count: number; size: number | string | null }) => ({ files: t.count, bytes: Number(t.size ?? 0) });

/**
 * The `--json` document: the totals, then `groups` (with --show-groups; each with its `nodes`
 * when --show-nodes is given too) or `nodes` (with --show-nodes alone), in the table's order.
 */
async function showJson(db: Db, acq: { id: number; name: string }, showGroups: boolean, showNodes: boolean): Promise<Record<string, unknown>> {
  const doc: Record<string, unknown> = { name: acq.name, ...amount(await getAcqTotals(db, acq.id)) };
  const nodeTotals = showNodes ? await listAcqNodeTotals(db, acq.id) : [];
  if (showGroups) {
    doc.groups = (await listAcqGroupTotals(db, acq.id))
      .filter((g) => g.count)
      .map((g) => ({
        name: g.group_name,
        ...amount(g),
        ...(showNodes ? { nodes: nodeTotals.filter((n) => n.group_id === g.group_id).map((n) => ({ name: n.node_name, ...amount(n) })) } : {}),
      }));
  } else if (showNodes) {
    doc.nodes = nodeTotals.sort((x, y) => codepointCompare(x.node_name, y.node_name)).map((n) => ({ name: n.node_name, ...amount(n) }));
  }
  return doc;
}

export default defineCommand({
  meta: { name: "show", description: "Show details of an Acquisition." },
  help: `Show details of an Acquisition.

Shows details of the Acquisition named ACQ.`,
  options: {
    showGroups: { names: ["--show-groups"], kind: "flag", help: "Show Storage Groups containing ACQ." },
    showNodes: { names: ["--show-nodes"], kind: "flag", help: "Show Storage Nodes containing ACQ." },
    json: jsonOption("the details"),
  },
  args: [{ name: "ACQ", required: true }],
  async run(ctx, a) {
    const acq = await resolveAcq(ctx.db, a.acq, (n) => `No such Acquisition: ${n}`);
    if (a.json) return writeJson(ctx, await showJson(ctx.db, acq, a.showGroups, a.showNodes));
    const totals = await getAcqTotals(ctx.db, acq.id);
    ctx.out.echo(`Acquisition: ${acq.name}`);
    ctx.out.echo(` File Count: ${totals.count}`);
    // alpenhorn crashes on an acquisition without files; we report it as empty (0 B).
    ctx.out.echo(` Total Size: ${totals.count === 0 ? "0 B" : prettyBytes(totals.size)}`);

    if (a.showGroups) await groupBreakdown(ctx.db, ctx.out, acq.id, a.showNodes);
    else if (a.showNodes) await nodeBreakdown(ctx.db, ctx.out, acq.id);
  },
});
