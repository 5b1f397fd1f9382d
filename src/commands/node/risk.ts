// `alpenhorn node risk [NODE]... [--json] [--list CLASS]`: per node, the files whose safety
// rests on it, in the classes of riskClassesOf (src/common/archive-rule.ts), counted by the
// daemon's own definitions of a healthy copy, an archive node and daemon.archive_copy_count.
// Reads the index only: the tallies in one statement (src/index/queries/risk.ts), the lists
// page by page, printed as they are read.

import { archiveCopyCount, isArchiveNode, RISK_CLASSES, riskClassesOf, type RiskClass } from "../../common/archive-rule.ts";
import { UsageError } from "../../common/errors.ts";
import { prettyBytes } from "../../common/format.ts";
import { tabulate, type Align } from "../../common/table.ts";
import type { Db } from "../../index/driver/types.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { fileCopyCounts, nodeCopiesPage, riskByNode, type RiskRule } from "../../index/queries/risk.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { CommandContext } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { writeJson } from "../_shared/json-output.ts";
import { resolveNode } from "../_shared/resolve.ts";

/** Copies of a node read per page of `--list`. */
const LIST_PAGE = 5000;

/** The rule's inputs, from the node table and the configuration. */
export async function riskRule(ctx: CommandContext, allNodes?: readonly StorageNodeRow[]): Promise<RiskRule> {
  const nodes = allNodes ?? (await selectNodes(ctx.db));
  return { archiveNodeIds: nodes.filter(isArchiveNode).map((n) => Number(n.id)), required: archiveCopyCount(ctx.config) };
}

/** Print the paths of one class on a node, one a line, a page at a time. */
async function listClass(ctx: CommandContext, db: Db, node: StorageNodeRow, cls: RiskClass, rule: RiskRule): Promise<void> {
  let after = 0;
  for (;;) {
    const page = await nodeCopiesPage(db, Number(node.id), after, LIST_PAGE);
    if (page.length === 0) return;
    const counts = await fileCopyCounts(db, [...new Set(page.map((c) => c.file_id))], rule);
    const lines: string[] = [];
    for (const c of page) {
      const n = counts.get(c.file_id) ?? { healthy: 0, archived: 0 };
      if (riskClassesOf(c.has_file, n.healthy, n.archived, rule.required).includes(cls)) lines.push(c.path);
    }
    if (lines.length) ctx.out.echo(lines.join("\n"));
    after = page[page.length - 1]!.id;
  }
}

export default defineCommand({
  meta: { name: "risk", description: "Show files at risk on Storage Nodes." },
  help: `Show files at risk on Storage Nodes.

For each NODE (by default, every active node), counts the files, and their total size, whose safety depends on it:

* only_here: the copy on NODE is the only healthy copy of the file anywhere;

* under_archived: NODE has a healthy copy of the file, and the file has fewer healthy copies on archive nodes, in all, than the daemon requires before it deletes a copy (the "daemon.archive_copy_count" setting, by default 2);

* no_healthy_copy: the copy on NODE is suspect or corrupt, and no node has a healthy copy of the file.

A file may be in both of the first two classes.  Healthy copies are counted on every node, active or not, as the daemon counts them.

With --json, prints a list of objects, one per node, of the form {"node": NAME, "only_here": {"files": COUNT, "bytes": SIZE}, "under_archived": {...}, "no_healthy_copy": {...}}.

With --list, prints instead the paths of the files in class CLASS, one per line (for several nodes, the files of each node in turn).

Nothing is changed.`,
  options: {
    json: { names: ["--json"], kind: "flag", help: "Print the counts as JSON." },
    list: { names: ["--list"], kind: "value", metavar: "CLASS", help: "List the files of class CLASS (only_here, under_archived, or no_healthy_copy)." },
  },
  args: [{ name: "NODE", variadic: true }],
  async run(ctx, a) {
    const cls = a.list;
    if (cls !== undefined && !(RISK_CLASSES as readonly string[]).includes(cls))
      throw new UsageError(`Invalid value for '--list': '${cls}' is not one of ${RISK_CLASSES.map((c) => `'${c}'`).join(", ")}.`);
    if (cls !== undefined && a.json) throw new UsageError("cannot use both --list and --json");
    const db = ctx.db;
    const all = await selectNodes(db);
    const nodes: StorageNodeRow[] = [];
    if (a.node.length === 0) nodes.push(...all.filter((n) => Number(n.active)));
    else for (const name of a.node) nodes.push(await resolveNode(db, name));
    const rule = await riskRule(ctx, all);

    if (cls !== undefined) {
      for (const node of nodes) await listClass(ctx, db, node, cls as RiskClass, rule);
      return;
    }
    const risk = await riskByNode(db, nodes.map((n) => Number(n.id)), rule);
    if (a.json) {
      const list = nodes.map((n) => ({ node: n.name, ...risk.get(Number(n.id))! }));
      writeJson(ctx, list);
      return;
    }
    if (nodes.length === 0) {
      ctx.out.echo("No active nodes.");
      return;
    }
    const rows = nodes.map((n) => {
      const r = risk.get(Number(n.id))!;
      return [n.name, ...RISK_CLASSES.flatMap((c) => [r[c].files, prettyBytes(r[c].bytes)])];
    });
    const headers = ["Node", "Only Here", "Size", "Under-archived", "Size", "No Healthy Copy", "Size"];
    const colAlign: Align[] = ["left", "right", "right", "right", "right", "right", "right"];
    ctx.out.echo(tabulate(rows, headers, { colAlign }));
  },
});
