// `alpenhorn file find [--acq ACQ]... [--corrupt] [--group GROUP]... [--healthy] [--missing]
// [--node NODE]... [--suspect] [--json]`: list file copies by state and location.

import { tabulate } from "../../common/table.ts";
import { findCopies } from "../../index/queries/copies-bulk.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, writeJson } from "../_shared/json-output.ts";
import { COMMON } from "../_shared/options.ts";
import { normalisePath, resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { copyStateWord } from "./_state.ts";

export default defineCommand({
  meta: { name: "find", description: "Find Files on Nodes." },
  help: `Find Files on Nodes.

Without options, lists every healthy File on every Node in the Data Index. Options can be used to change and limit the list.`,
  options: {
    acq: COMMON.acq,
    corrupt: { names: ["--corrupt"], kind: "flag", help: "Find corrupt files." },
    group: { names: ["--group"], kind: "value", multiple: true, metavar: "GROUP", help: "May be specified multiple times.  Limit search to GROUP(s)." },
    healthy: { names: ["--healthy"], kind: "flag", help: "Find healthy files." },
    missing: { names: ["--missing"], kind: "flag", help: "Find missing files." },
    node: { names: ["--node"], kind: "value", multiple: true, metavar: "NODE", help: "May be specified multiple times.  Limit search to NODE(s)." },
    suspect: { names: ["--suspect"], kind: "flag", help: "Find suspect files." },
    json: jsonOption("the list"),
  },
  args: [],
  async run(ctx, a) {
    const db = ctx.db;
    const nodeIds: number[] = [];
    for (const n of a.node) nodeIds.push((await resolveNode(db, n)).id);
    const groupIds: number[] = [];
    for (const g of a.group) groupIds.push((await resolveGroup(db, g)).id);
    const acqIds: number[] = [];
    for (const q of a.acq) acqIds.push((await resolveAcq(db, q)).id);

    const copies = await findCopies(db, { corrupt: a.corrupt, healthy: a.healthy, missing: a.missing, suspect: a.suspect }, acqIds, nodeIds, groupIds);
    // alpenhorn sorts (PurePath, node, state) tuples: paths compare component by component.
    const rows = copies
      .map((c) => ({ parts: normalisePath(`${c.acq_name}/${c.file_name}`).split("/"), node: c.node_name, state: copyStateWord(c.has_file, c.wants_file) }))
      .sort((x, y) => compareParts(x.parts, y.parts) || compareCodePoints(x.node, y.node) || compareCodePoints(x.state, y.state))
      .map((r) => [r.parts.join("/"), r.node, r.state]);

    if (a.json) return writeJson(ctx, rows.map(([path, node, state]) => ({ path, node, state })));
    ctx.out.echo(rows.length ? tabulate(rows, ["File", "Node", "State"]) : "No match.");
  },
});

function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareCodePoints(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}

/** Python string order (by code point), which UTF-16 comparison gets wrong above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}
