// `alpenhorn file show FILE [-a/--all] [--groups] [--nodes] [--transfers] [--json]`: a file's
// record, optionally with its state per group, its copies per node and its transfer requests.
// Each section is read once into rows; the text and `--json` render the same rows.

import { prettyBytes, prettyTime } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { listRequestsOfFile } from "../../index/queries/requests.ts";
import { groupStateOfFile, listCopiesOfFile, listGroupsWithCopies } from "../../index/queries/copies.ts";
import type { Db } from "../../index/driver/types.ts";
import { defineCommand } from "../_shared/define.ts";
import { bytesOrNull, isoUtc, jsonOption, md5OrNull, writeJson } from "../_shared/json-output.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveFile } from "../_shared/resolve.ts";
import { copyStateWord, groupStateWord } from "./_state.ts";

/** A file's state in each group holding a copy row of it (the node is null when none holds it). */
async function groupRows(db: Db, fileId: number) {
  const rows: Array<{ group: string; state: string; node: string | null }> = [];
  for (const g of await listGroupsWithCopies(db, fileId)) {
    const { state, node } = await groupStateOfFile(db, g.id, fileId);
    rows.push({ group: g.name, state: groupStateWord(state), node: node ? node.name : null });
  }
  return rows;
}

async function nodeRows(db: Db, fileId: number) {
  return (await listCopiesOfFile(db, fileId)).map((c) => ({
    node: c.node_name,
    state: copyStateWord(c.has_file, c.wants_file),
    // A size is only meaningful for a copy that is (maybe) there.
    size: c.has_file === "Y" || c.has_file === "M" ? c.size_b : null,
  }));
}

async function transferRows(db: Db, fileId: number) {
  return (await listRequestsOfFile(db, fileId)).map((r) => ({
    source_node: r.node_from_name,
    dest_group: r.group_to_name,
    status: Number(r.completed) ? "Complete" : Number(r.cancelled) ? "Cancelled" : "Pending",
    timestamp: r.timestamp,
    transfer_started: r.transfer_started,
    transfer_completed: r.transfer_completed,
  }));
}

export default defineCommand({
  meta: { name: "show", description: "Show details of a File." },
  help: `Show details of a File.

Show details of the Archive File FILE, which should be specified as "<acq_name>/<file_name>".`,
  options: {
    all: COMMON.showAll,
    groups: { names: ["--groups"], kind: "flag", help: "show file status in Storage Groups" },
    nodes: { names: ["--nodes"], kind: "flag", help: "show file status on Storage Nodes" },
    transfers: { names: ["--transfers"], kind: "flag", help: "show file transfer requests" },
    json: jsonOption("the details"),
  },
  args: [{ name: "FILE" }],
  async run(ctx, a) {
    const all = a.all;
    const db = ctx.db;
    const echo = (line?: string) => ctx.out.echo(line);
    const file = await resolveFile(db, a.file);
    const showGroups = all || a.groups;
    const showNodes = all || a.nodes;
    const showTransfers = all || a.transfers;

    if (a.json) {
      const doc: Record<string, unknown> = {
        name: file.name,
        acq: file.acq_name,
        path: `${file.acq_name}/${file.name}`,
        size_b: bytesOrNull(file.size_b),
        md5sum: md5OrNull(file.md5sum),
        registered: isoUtc(file.registered),
      };
      if (showGroups) doc.groups = await groupRows(db, file.id);
      if (showNodes) doc.nodes = (await nodeRows(db, file.id)).map((c) => ({ node: c.node, state: c.state, size_on_node_b: bytesOrNull(c.size) }));
      if (showTransfers)
        doc.transfers = (await transferRows(db, file.id)).map((t) => ({
          ...t,
          timestamp: isoUtc(t.timestamp),
          transfer_started: isoUtc(t.transfer_started),
          transfer_completed: isoUtc(t.transfer_completed),
        }));
      return writeJson(ctx, doc);
    }

    echo("       Name: " + file.name);
    echo("Acquisition: " + file.acq_name);
    echo("       Path: " + file.acq_name + "/" + file.name);
    echo();
    echo("       Size: " + (file.size_b === null ? "unknown" : prettyBytes(file.size_b)));
    echo("   MD5 Hash: " + (file.md5sum === null ? "-" : file.md5sum.toLowerCase()));
    echo(" Registered: " + prettyTime(file.registered));

    if (showGroups) {
      echo("\nGroup status\n");
      const rows = (await groupRows(db, file.id)).map((g) => [g.group, g.state, g.node ?? "-"]);
      echo(rows.length ? tabulate(rows, ["Group", "State", "Node"]) : "No extant copies.");
    }

    if (showNodes) {
      echo("\nNode status:\n");
      const rows = (await nodeRows(db, file.id)).map((c) => [c.node, c.state, prettyBytes(c.size)]);
      echo(rows.length ? tabulate(rows, ["Node", "State", "Size on Node"]) : "No extant copies.");
    }

    if (showTransfers) {
      echo("\nTransfer requests:\n");
      const rows = (await transferRows(db, file.id)).map((t) => [
        t.source_node,
        t.dest_group,
        t.status,
        prettyTime(t.timestamp),
        prettyTime(t.transfer_started),
        prettyTime(t.transfer_completed),
      ]);
      echo(
        rows.length
          ? tabulate(rows, ["Source Node", "Dest. Group", "Status", "Request Time", "Start Time", "Completion Time"])
          : "No transfers",
      );
    }
  },
});
