// `alpenhorn group show GROUP [--json]`: a group's metadata, I/O config and member nodes, optionally
// with node details/stats, pending inbound transfers and auto-actions (alpenhorn/cli/group/show.py).

import { formatConfigBlock, prettyBytes } from "../../common/format.ts";
import { pyFormatFloat } from "../../common/pyfmt.ts";
import { tabulate } from "../../common/table.ts";
import { groupActions } from "../../index/queries/actions.ts";
import { listGroupNodes } from "../../index/queries/nodes.ts";
import { getNodeCounts, nodeUsage, pendingInboundTransfers, type NodeCounts } from "../../index/queries/stats.ts";
import type { StorageGroupRow, StorageNodeRow } from "../../index/rows.ts";
import { defineCommand } from "../_shared/define.ts";
import { actionNames, ioConfigJson, jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveGroup } from "../_shared/resolve.ts";
import { nodeStatsJson } from "../node/_stats.ts";
import type { Db } from "../../index/driver/types.ts";
import { layoutOf } from "../../index/layout/detect.ts";

/** Count, pretty size and `% Full` cells of a node, as alpenhorn's get_stats renders them. */
async function statsCells(db: Db, nodes: StorageNodeRow[]): Promise<Map<number, [number, string, string]>> {
  const usage = await nodeUsage(db, nodes.map((n) => n.id));
  const out = new Map<number, [number, string, string]>();
  for (const node of nodes) {
    const u = usage.get(node.id);
    const count = u?.count ?? 0;
    if (!u?.size) {
      out.set(node.id, [count, "-", "-"]);
      continue;
    }
    const max = node.max_total_gb === null ? 0 : Number(node.max_total_gb);
    const percent = max > 0 ? pyFormatFloat((100 * u.size) / 2 ** 30 / max, "5.2f") : "-";
    out.set(node.id, [count, prettyBytes(u.size), percent]);
  }
  return out;
}

/**
 * The `--json` document: the record and `nodes` (each with `name`; `host`, `active` and
 * `io_class` with --node-details; `files`, `bytes` and `percent_full` with --node-stats), then
 * `transfers` and `actions` when asked for, read by the same queries as the text.
 */
async function showJson(db: Db, group: StorageGroupRow, o: { details: boolean; stats: boolean; transfers: boolean; actions: boolean }) {
  const nodes = await listGroupNodes(db, group.id);
  const counts = o.stats ? await getNodeCounts(db, nodes.map((n) => n.id), false) : new Map<number, NodeCounts>();
  const doc: Record<string, unknown> = {
    name: group.name,
    notes: textOrNull(group.notes),
    io_class: textOrNull(group.io_class),
    io_config: ioConfigJson(group.io_config),
    nodes: nodes.map((n) => ({
      name: n.name,
      ...(o.details ? { host: textOrNull(n.host), active: Boolean(Number(n.active)), io_class: textOrNull(n.io_class) } : {}),
      ...(o.stats ? nodeStatsJson(n, counts.get(n.id)!, false) : {}),
    })),
  };
  if (o.transfers) doc.transfers = (await pendingInboundTransfers(db, group.id)).map((t) => ({ source_node: t.node_name, requests: t.count, bytes: t.size ?? 0 }));
  if (o.actions) doc.actions = (await groupActions(db, group.id)).flatMap((act) => actionNames(act).map((action) => ({ node: act.node_name, action })));
  return doc;
}

export default defineCommand({
  meta: { name: "show", description: "Show details of a storage group." },
  help: `Show details of a storage group.

Shows details of the storage group named GROUP.`,
  options: {
    actions: COMMON.actions,
    all: COMMON.showAll,
    nodeDetails: { names: ["--node-details"], kind: "flag", help: "Show details of listed nodes." },
    nodeStats: { names: ["--node-stats"], kind: "flag", help: "Show usage stats of listed nodes." },
    transfers: { names: ["--transfers"], kind: "flag", help: "Show pending inbound transfers." },
    json: jsonOption("the details"),
  },
  args: [{ name: "GROUP" }],
  async run(ctx, a) {
    const all = a.all;
    const details = all || a.nodeDetails;
    const stats = all || a.nodeStats;
    const transfers = all || a.transfers;
    const actions = all || a.actions;
    const db = ctx.db;
    const echo = (line: string) => ctx.out.echo(line);

    const group = await resolveGroup(db, a.group);
    if (a.json) return writeJson(ctx, await showJson(db, group, { details, stats, transfers, actions }));
    echo(`Storage Group: ${group.name}`);
    echo(`        Notes: ${group.notes ? group.notes : ""}`);
    echo(`    I/O Class: ${group.io_class ? group.io_class : "Default"}`);
    echo("\nI/O Config:\n");
    for (const line of formatConfigBlock(group.io_config)) echo(line);

    echo("\nNodes:\n");
    const nodes = await listGroupNodes(db, group.id);
    // Upstream main's layout shows `-` for a node without a host record.
    const noHost = (await layoutOf(db)).hosts === "records" ? "-" : null;
    if (nodes.length === 0) echo("  none");
    else if (details || stats) {
      const usage = stats ? await statsCells(db, nodes) : new Map<number, [number, string, string]>();
      const headers = [...(details ? ["Name", "Host", "Active", "I/O Class"] : ["Name"]), ...(stats ? ["File Count", "Total Size", "% Full"] : [])];
      const rows = nodes.map((n) => [
        n.name,
        ...(details ? [n.host ?? noHost, Number(n.active) ? "Yes" : "No", n.io_class ? n.io_class : "Default"] : []),
        ...(stats ? usage.get(n.id)! : []),
      ]);
      echo(tabulate(rows, headers));
    } else for (const n of nodes) echo(`  ${n.name}`);

    if (transfers) {
      echo("\nPending inbound transfers:\n");
      const rows = (await pendingInboundTransfers(db, group.id)).map((t) => [t.node_name, t.count, prettyBytes(t.size)]);
      echo(tabulate(rows, ["Source Node", "Request Count", "Total Size"]));
    }

    if (actions) {
      echo("\nAuto-actions:\n");
      const rows: string[][] = [];
      for (const act of await groupActions(db, group.id)) {
        if (act.autoclean) rows.push([act.node_name, "Auto-clean", "File added to this group"]);
        if (act.autosync) rows.push([act.node_name, "Auto-sync", "File added to that node"]);
      }
      echo(rows.length ? tabulate(rows, ["Node", "Action", "Trigger"]) : "  none");
    }
  },
});
