// `alpenhorn group list`: every storage group with its I/O class and notes
// (alpenhorn/cli/group/list.py).

import { tabulate } from "../../common/table.ts";
import { listGroups } from "../../index/queries/groups.ts";
import { defineCommand } from "../_shared/define.ts";

export default defineCommand({
  meta: { name: "list", description: "List all storage groups." },
  help: "List all storage groups.",
  options: {},
  args: [],
  async run(ctx) {
    const groups = await listGroups(ctx.db);
    if (groups.length === 0) {
      ctx.out.echo("No storage groups found.");
      return;
    }
    const rows = groups.map((g) => [g.name, g.io_class ?? "Default", g.notes]);
    ctx.out.echo(tabulate(rows, ["Name", "I/O Class", "Notes"]));
  },
});
