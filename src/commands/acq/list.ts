// `alpenhorn acq list [--node NODE | --group GROUP] [--json]`: acquisitions with their file counts.

import { UsageError } from "../../common/errors.ts";
import { tabulate } from "../../common/table.ts";
import { listAcqFileCounts } from "../../index/queries/acqs.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, writeJson } from "../_shared/json-output.ts";
import { resolveGroup, resolveNode } from "../_shared/resolve.ts";

export default defineCommand({
  meta: { name: "list", description: "List acquisitions." },
  help: "List acquisitions.",
  options: {
    group: {
      names: ["--group"],
      kind: "value",
      metavar: "GROUP",
      help: "Limit to acquisitions with files existing on Storage Group named GROUP.  In this case, only files in GROUP are counted.",
    },
    node: {
      names: ["--node"],
      kind: "value",
      metavar: "NODE",
      help: "Limit to acquisitions with files existing on Storage Node named NODE.  In this case, only files on NODE are counted.",
    },
    json: jsonOption("the list"),
  },
  args: [],
  async run(ctx, a) {
    const { group: groupName, node: nodeName } = a;
    // click passes empty strings through; alpenhorn tests them for truth, so `--node=` is "not given".
    if (nodeName && groupName) throw new UsageError("cannot use both --node and --group");

    let rows;
    if (groupName) {
      const group = await resolveGroup(ctx.db, groupName, (n) => `No such group: ${n}`);
      rows = await listAcqFileCounts(ctx.db, { groupId: group.id });
    } else if (nodeName) {
      const node = await resolveNode(ctx.db, nodeName, (n) => `No such node: ${n}`);
      rows = await listAcqFileCounts(ctx.db, { nodeId: node.id });
    } else rows = await listAcqFileCounts(ctx.db);

    if (a.json) writeJson(ctx, rows.map((r) => ({ name: r.name, files: r.count })));
    else if (rows.length === 0) ctx.out.echo("No acquisitions");
    else ctx.out.echo(tabulate(rows.map((r) => [r.name, r.count]), ["Name", "Files"]));
  },
});
