// `alpenhorn acq files ACQ [--node NODE | --group GROUP] [--show-removed] [--json]`: the files of
// an acquisition, optionally with their state on a node or in a group. Each listing is built
// once as records; the table and `--json` are two renderings of them.

import { UsageError } from "../../common/errors.ts";
import { prettyBytes } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { listAcqCopiesInGroup, listAcqCopiesOnNode, type AcqCopyRow } from "../../index/queries/copies-bulk.ts";
import { listFilesInAcq } from "../../index/queries/files.ts";
import type { Db } from "../../index/driver/types.ts";
import { defineCommand } from "../_shared/define.ts";
import { bytesOrNull, jsonOption, md5OrNull, writeJson } from "../_shared/json-output.ts";
import { resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { copyStateWord, groupState, groupStateWord } from "./_states.ts";

/** One listed file: its table cells and its `--json` object, built from the same row. */
interface Listing {
  headers: string[];
  rows: unknown[][];
  records: Array<Record<string, unknown>>;
}

async function nodeTable(db: Db, acqId: number, nodeName: string, showRemoved: boolean): Promise<Listing> {
  const node = await resolveNode(db, nodeName, (n) => `No such Storage Node: ${n}`);
  const out: Listing = { headers: ["Name", "Size", "Node State", "Size on Node", "MD5"], rows: [], records: [] };
  for (const c of await listAcqCopiesOnNode(db, acqId, node.id)) {
    const state = copyStateWord(c.has_file, c.wants_file);
    if (!showRemoved && state === "Removed") continue;
    out.rows.push([c.name, prettyBytes(c.file_size_b), state, prettyBytes(c.copy_size_b), c.md5sum]);
    out.records.push({ name: c.name, size_b: bytesOrNull(c.file_size_b), state, size_on_node_b: bytesOrNull(c.copy_size_b), md5sum: md5OrNull(c.md5sum) });
  }
  return out;
}

async function groupTable(db: Db, acqId: number, groupName: string, showRemoved: boolean): Promise<Listing> {
  const group = await resolveGroup(db, groupName, (n) => `No such Storage Group: ${n}`);
  // One row per file with any copy row in the group, in file order.
  const byFile = new Map<number, AcqCopyRow[]>();
  for (const c of await listAcqCopiesInGroup(db, acqId, group.id)) {
    const list = byFile.get(c.file_id);
    if (list) list.push(c);
    else byFile.set(c.file_id, [c]);
  }
  const out: Listing = { headers: ["Name", "Size", "Group State", "Node", "MD5"], rows: [], records: [] };
  for (const fileId of [...byFile.keys()].sort((x, y) => x - y)) {
    const copies = byFile.get(fileId)!;
    const { state, copy } = groupState(copies);
    if (!showRemoved && state === "N") continue;
    const f = copies[0]!;
    out.rows.push([f.name, prettyBytes(f.file_size_b), groupStateWord(state), copy ? copy.node_name : "-", f.md5sum]);
    out.records.push({ name: f.name, size_b: bytesOrNull(f.file_size_b), state: groupStateWord(state), node: copy ? copy.node_name : null, md5sum: md5OrNull(f.md5sum) });
  }
  return out;
}

async function acqTable(db: Db, acqId: number): Promise<Listing> {
  const files = await listFilesInAcq(db, acqId);
  return {
    headers: ["Name", "Size", "MD5"],
    rows: files.map((f) => [f.name, prettyBytes(f.size_b), f.md5sum]),
    records: files.map((f) => ({ name: f.name, size_b: bytesOrNull(f.size_b), md5sum: md5OrNull(f.md5sum) })),
  };
}

export default defineCommand({
  meta: { name: "files", description: "List files in an Acquisition." },
  help: `List files in an Acquisition.

Lists files in the Acquisition named ACQ.`,
  options: {
    group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "List files in Storage Group GROUP." },
    node: { names: ["--node"], kind: "value", metavar: "NODE", help: "List files on Storage Node NODE." },
    showRemoved: {
      names: ["--show-removed"],
      kind: "flag",
      help: "If used with --node or --group, also list files that have been removed from the node/group.",
    },
    json: jsonOption("the list"),
  },
  args: [{ name: "ACQ", required: true }],
  async run(ctx, a) {
    const { group: groupName, node: nodeName, showRemoved } = a;
    if (nodeName && groupName) throw new UsageError("cannot use both --node and --group");

    const acq = await resolveAcq(ctx.db, a.acq, (n) => `No such Acquisition: ${n}`);
    let table: Listing;
    if (nodeName) table = await nodeTable(ctx.db, acq.id, nodeName, showRemoved);
    else if (groupName) table = await groupTable(ctx.db, acq.id, groupName, showRemoved);
    else table = await acqTable(ctx.db, acq.id);

    if (a.json) writeJson(ctx, table.records);
    else if (table.rows.length === 0) ctx.out.echo("No files.");
    else ctx.out.echo(tabulate(table.rows, table.headers));
  },
});
