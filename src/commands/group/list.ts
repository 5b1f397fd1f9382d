// `alpenhorn group list [--json]`: every storage group with its I/O class and notes
// (alpenhorn/cli/group/list.py).

import { tabulate } from "../../common/table.ts";
import { listGroups } from "../../index/queries/groups.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, textOrNull, writeJson } from "../_shared/json-output.ts";

export default defineCommand({
  meta: { name: "list", description: "List all storage groups." },
  help: "List all storage groups.",
  options: { json: jsonOption("the list") },
  args: [],
  async run(ctx, a) {
    const groups = await listGroups(ctx.db);
    // io_class null: the default class (the table's "Default").
    if (a.json) return writeJson(ctx, groups.map((g) => ({ name: g.name, io_class: textOrNull(g.io_class), notes: textOrNull(g.notes) })));
    if (groups.length === 0) {
      ctx.out.echo("No storage groups found.");
      return;
    }
    const rows = groups.map((g) => [g.name, g.io_class ?? "Default", g.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "I/O Class", "Notes"]));
  },
});
