// `alpenhorn node show NAME [--actions] [-a/--all] [--imports] [--stats] [--transfers] [--json]`:
// a node's record, I/O config and optional stats, pending requests and auto-actions.

import { formatConfigBlock, prettyBytes, prettyTime } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { layoutOf } from "../../index/layout/detect.ts";
import { listPendingImportRequests, NODE_INIT_PATH } from "../../index/queries/requests.ts";
import { getGroupById } from "../../index/queries/lookup.ts";
import { listNodeActions } from "../../index/queries/actions.ts";
import { getNodeCounts, listPendingOutbound } from "../../index/queries/stats.ts";
import type { Db } from "../../index/driver/types.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { Output } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { actionNames, gibToBytes, ioConfigJson, isoUtc, jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveNode } from "../_shared/resolve.ts";
import { formatNodeStats, nodeStatsJson } from "./_stats.ts";

/** A GiB column as pretty bytes (truncated to whole bytes), or `-` unless positive. */
function prettyGb(gb: number | null): string {
  const v = gb === null ? 0 : Number(gb);
  return v && v > 0 ? prettyBytes(v * 2 ** 30) : "-";
}

/**
 * A request time as Python's str(datetime): `YYYY-MM-DD HH:MM:SS[.ffffff]`, the fraction
 * dropped when zero; text that is not a datetime is shown as stored; NULL stays empty.
 */
function requestTime(t: string | null): string | null {
  if (t === null || t === undefined) return null;
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(String(t));
  if (!m) return String(t);
  const frac = (m[2] ?? "").padEnd(6, "0");
  return /^0*$/.test(frac) ? m[1]! : `${m[1]}.${frac}`;
}

async function printRecord(db: Db, out: Output, node: StorageNodeRow): Promise<void> {
  const group = await getGroupById(db, node.group_id);
  const layout = await layoutOf(db);
  const type = node.storage_type === "A" ? "Archive" : node.storage_type === "T" ? "Transport" : "-";
  const autoVerify = Number(node.auto_verify);
  out.echo(`   Storage Node: ${node.name}`);
  out.echo(`  Storage Group: ${group?.name ?? ""}`);
  out.echo(`         Active: ${Number(node.active) ? "Yes" : "No"}`);
  // Upstream main's layout: Archive Yes/No, and the host is one record.
  if (layout.archive === "flag") out.echo(`        Archive: ${node.storage_type === "A" ? "Yes" : "No"}`);
  else out.echo(`           Type: ${type}`);
  out.echo(`          Notes: ${node.notes || ""}`);
  out.echo(`      I/O Class: ${node.io_class || "Default"}`);
  out.echo();
  if (layout.hosts === "records") out.echo(`   Storage Host: ${node.host ?? ""}`);
  else {
    out.echo(`    Daemon Host: ${node.host || ""}`);
    out.echo(` Log-in Address: ${node.address || ""}`);
    out.echo(`Log-in Username: ${node.username || ""}`);
  }
  out.echo(`Filesystem Root: ${node.root || ""}`);
  out.echo();
  out.echo(`    Auto-Import: ${Number(node.auto_import) ? "On" : "Off"}`);
  out.echo(`    Auto-Verify: ${autoVerify ? `On (Size: ${autoVerify})` : "Off"}`);
  out.echo(`      Max Total: ${prettyGb(node.max_total_gb)}`);
  out.echo(`      Available: ${prettyGb(node.avail_gb)}`);
  out.echo(`  Min Available: ${prettyGb(node.min_avail_gb)}`);
  out.echo(`   Last Checked: ${prettyTime(node.avail_gb_last_checked)}`);
  out.echo("\nI/O Config:\n");
  for (const line of formatConfigBlock(node.io_config)) out.echo(line);
}

async function printStats(db: Db, out: Output, node: StorageNodeRow): Promise<void> {
  const s = formatNodeStats(node, (await getNodeCounts(db, [node.id], false)).get(node.id)!);
  out.echo("\nStats:\n");
  out.echo(`    Total Files: ${s.count}`);
  out.echo(`     Total Size: ${s.size}`);
  out.echo(`          Usage: ${s.percent.trimStart()}%`);
}

/** A node's pending import requests, node init requests first (as both the text and JSON list them). */
async function pendingImports(db: Db, node: StorageNodeRow) {
  const reqs = await listPendingImportRequests(db, node.id);
  const isInit = (r: (typeof reqs)[number]) => r.path === NODE_INIT_PATH;
  return [...reqs.filter(isInit), ...reqs.filter((r) => !isInit(r))].map((r) => ({ init: isInit(r), row: r }));
}

async function printImports(db: Db, out: Output, node: StorageNodeRow): Promise<void> {
  out.echo("\nPending import requests:\n");
  const rows = (await pendingImports(db, node)).map(({ init, row: r }) =>
    init ? ["[Node Init]", "-", "-", requestTime(r.timestamp)] : [r.path, Number(r.recurse) ? "Yes" : "No", Number(r.register) ? "Yes" : "No", requestTime(r.timestamp)],
  );
  out.echo(tabulate(rows, ["Path", "Scan", "Register New", "Request Time"]));
}

async function printTransfers(db: Db, out: Output, node: StorageNodeRow): Promise<void> {
  out.echo("\nPending outbound transfers:\n");
  const rows = (await listPendingOutbound(db, node.id)).map((t) => [t.group_name, t.count, prettyBytes(t.size)]);
  out.echo(tabulate(rows, ["Dest. Group", "Request Count", "Total Size"]));
}

async function printActions(db: Db, out: Output, node: StorageNodeRow): Promise<void> {
  out.echo("\nAuto-actions:\n");
  const rows: string[][] = [];
  for (const a of await listNodeActions(db, node.id)) {
    if (a.autoclean) rows.push([a.group_name, "Auto-clean", "File added to that group"]);
    if (a.autosync) rows.push([a.group_name, "Auto-sync", "File added to this node"]);
  }
  out.echo(rows.length ? tabulate(rows, ["Group", "Action", "Trigger"]) : "  none");
}

interface ShowSections {
  stats: boolean;
  imports: boolean;
  transfers: boolean;
  actions: boolean;
}

/**
 * The `--json` document: the record's fields as the text shows them, by layout (632dd41:
 * `role`, `address`, `username`; upstream main: `archive`), then `stats`, `imports`,
 * `transfers` and `actions` when asked for.
 */
async function showJson(db: Db, node: StorageNodeRow, o: ShowSections): Promise<Record<string, unknown>> {
  const group = await getGroupById(db, node.group_id);
  const layout = await layoutOf(db);
  const doc: Record<string, unknown> = {
    name: node.name,
    group: group?.name ?? null,
    active: Boolean(Number(node.active)),
    ...(layout.archive === "flag"
      ? { archive: node.storage_type === "A" }
      : { role: node.storage_type === "A" ? "archive" : node.storage_type === "T" ? "transport" : null }),
    notes: textOrNull(node.notes),
    io_class: textOrNull(node.io_class),
    host: textOrNull(node.host),
    ...(layout.hosts === "records" ? {} : { address: textOrNull(node.address), username: textOrNull(node.username) }),
    root: textOrNull(node.root),
    auto_import: Boolean(Number(node.auto_import)),
    auto_verify: Number(node.auto_verify),
    // A max_total_gb that is not positive is no limit (the text's `-`).
    max_total_b: Number(node.max_total_gb ?? 0) > 0 ? gibToBytes(node.max_total_gb) : null,
    avail_b: gibToBytes(node.avail_gb),
    min_avail_b: gibToBytes(node.min_avail_gb),
    last_checked: isoUtc(node.avail_gb_last_checked),
    io_config: ioConfigJson(node.io_config),
  };
  if (o.stats) doc.stats = nodeStatsJson(node, (await getNodeCounts(db, [node.id], false)).get(node.id)!, false);
  if (o.imports) {
    // A node init request has no path, scan or register flag (the text's `-`).
    doc.imports = (await pendingImports(db, node)).map(({ init, row: r }) =>
      init
        ? { node_init: true, path: null, scan: null, register_new: null, timestamp: isoUtc(r.timestamp) }
        : { node_init: false, path: r.path, scan: Boolean(Number(r.recurse)), register_new: Boolean(Number(r.register)), timestamp: isoUtc(r.timestamp) },
    );
  }
  if (o.transfers) doc.transfers = (await listPendingOutbound(db, node.id)).map((t) => ({ dest_group: t.group_name, requests: t.count, bytes: Number(t.size ?? 0) }));
  if (o.actions) doc.actions = (await listNodeActions(db, node.id)).flatMap((a) => actionNames(a).map((action) => ({ group: a.group_name, action })));
  return doc;
}

export default defineCommand({
  meta: { name: "show", description: "Show details of a Storage Node." },
  help: `Show details of a Storage Node.

Shows details of the Storage Node named NODE.`,
  options: {
    actions: COMMON.actions,
    all: { names: ["-a", "--all"], kind: "flag", help: "Show all additional data." },
    imports: { names: ["--imports"], kind: "flag", help: "Show pending import requests for the node." },
    stats: { names: ["--stats"], kind: "flag", help: "Show usage stats of the node." },
    transfers: { names: ["--transfers"], kind: "flag", help: "Show pending transfers out from the node." },
    json: jsonOption("the details"),
  },
  args: [{ name: "NAME", required: true }],
  async run(ctx, a) {
    const all = a.all;
    const node = await resolveNode(ctx.db, a.name);
    if (a.json) return writeJson(ctx, await showJson(ctx.db, node, { stats: all || a.stats, imports: all || a.imports, transfers: all || a.transfers, actions: all || a.actions }));
    await printRecord(ctx.db, ctx.out, node);
    if (all || a.stats) await printStats(ctx.db, ctx.out, node);
    if (all || a.imports) await printImports(ctx.db, ctx.out, node);
    if (all || a.transfers) await printTransfers(ctx.db, ctx.out, node);
    if (all || a.actions) await printActions(ctx.db, ctx.out, node);
  },
});
