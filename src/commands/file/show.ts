// `alpenhorn file show FILE [-a/--all] [--groups] [--nodes] [--transfers]`: a file's record,
// optionally with its state per group, its copies per node and its transfer requests.

import { prettyBytes, prettyTime } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { listRequestsOfFile } from "../../index/queries/requests.ts";
import { groupStateOfFile, listCopiesOfFile, listGroupsWithCopies } from "../../index/queries/copies.ts";
import { defineCommand } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveFile } from "../_shared/resolve.ts";
import { copyStateWord, groupStateWord } from "./_state.ts";

export default defineCommand({
  meta: { name: "show", description: "Show details of a File." },
  help: `Show details of a File.

Show details of the Archive File FILE, which should be specified as "<acq_name>/<file_name>".`,
  options: {
    all: COMMON.showAll,
    groups: { names: ["--groups"], kind: "flag", help: "show file status in Storage Groups" },
    nodes: { names: ["--nodes"], kind: "flag", help: "show file status on Storage Nodes" },
    transfers: { names: ["--transfers"], kind: "flag", help: "show file transfer requests" },
  },
  args: [{ name: "FILE" }],
  async run(ctx, a) {
    const all = a.all;
    const db = ctx.db;
    const echo = (line?: string) => ctx.out.echo(line);
    const file = await resolveFile(db, a.file);

    echo("       Name: " + file.name);
    echo("Acquisition: " + file.acq_name);
    echo("       Path: " + file.acq_name + "/" + file.name);
    echo();
    echo("       Size: " + (file.size_b === null ? "unknown" : prettyBytes(file.size_b)));
    echo("   MD5 Hash: " + (file.md5sum === null ? "-" : file.md5sum.toLowerCase()));
    echo(" Registered: " + prettyTime(file.registered));

    if (all || a.groups) {
      echo("\nGroup status\n");
      const rows: string[][] = [];
      for (const g of await listGroupsWithCopies(db, file.id)) {
        const { state, node } = await groupStateOfFile(db, g.id, file.id);
        rows.push([g.name, groupStateWord(state), node ? node.name : "-"]);
      }
      echo(rows.length ? tabulate(rows, ["Group", "State", "Node"]) : "No extant copies.");
    }

    if (all || a.nodes) {
      echo("\nNode status:\n");
      const rows = (await listCopiesOfFile(db, file.id)).map((c) => [
        c.node_name,
        copyStateWord(c.has_file, c.wants_file),
        // A size is only meaningful for a copy that is (maybe) there.
        c.has_file === "Y" || c.has_file === "M" ? prettyBytes(c.size_b) : "-",
      ]);
      echo(rows.length ? tabulate(rows, ["Node", "State", "Size on Node"]) : "No extant copies.");
    }

    if (all || a.transfers) {
      echo("\nTransfer requests:\n");
      const rows = (await listRequestsOfFile(db, file.id)).map((r) => [
        r.node_from_name,
        r.group_to_name,
        Number(r.completed) ? "Complete" : Number(r.cancelled) ? "Cancelled" : "Pending",
        prettyTime(r.timestamp),
        prettyTime(r.transfer_started),
        prettyTime(r.transfer_completed),
      ]);
      echo(
        rows.length
          ? tabulate(rows, ["Source Node", "Dest. Group", "Status", "Request Time", "Start Time", "Completion Time"])
          : "No transfers",
      );
    }
  },
});
