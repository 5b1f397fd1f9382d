// `alpenhorn acq files ACQ [--node NODE | --group GROUP] [--show-removed]`: the files of an
// acquisition, optionally with their state on a node or in a group.

import { UsageError } from "../../common/errors.ts";
import { prettyBytes } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { listAcqCopiesInGroup, listAcqCopiesOnNode, type AcqCopyRow } from "../../index/queries/copies-bulk.ts";
import { listFilesInAcq } from "../../index/queries/files.ts";
import type { Db } from "../../index/driver/types.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { copyStateWord, groupState, groupStateWord } from "./_states.ts";

async function nodeTable(db: Db, acqId: number, nodeName: string, showRemoved: boolean) {
  const node = await resolveNode(db, nodeName, (n) => `No such Storage Node: ${n}`);
  const rows: unknown[][] = [];
  for (const c of await listAcqCopiesOnNode(db, acqId, node.id)) {
    const state = copyStateWord(c.has_file, c.wants_file);
    if (showRemoved || state !== "Removed") rows.push([c.name, prettyBytes(c.file_size_b), state, prettyBytes(c.copy_size_b), c.md5sum]);
  }
  return { rows, headers: ["Name", "Size", "Node State", "Size on Node", "MD5"] };
}

async function groupTable(db: Db, acqId: number, groupName: string, showRemoved: boolean) {
  const group = await resolveGroup(db, groupName, (n) => `No such Storage Group: ${n}`);
  // One row per file with any copy row in the group, in file order.
  const byFile = new Map<number, AcqCopyRow[]>();
  for (const c of await listAcqCopiesInGroup(db, acqId, group.id)) {
    const list = byFile.get(c.file_id);
    if (list) list.push(c);
    else byFile.set(c.file_id, [c]);
  }
  const rows: unknown[][] = [];
  for (const fileId of [...byFile.keys()].sort((x, y) => x - y)) {
    const copies = byFile.get(fileId)!;
    const { state, copy } = groupState(copies);
    if (!showRemoved && state === "N") continue;
    const f = copies[0]!;
    rows.push([f.name, prettyBytes(f.file_size_b), groupStateWord(state), copy ? copy.node_name : "-", f.md5sum]);
  }
  return { rows, headers: ["Name", "Size", "Group State", "Node", "MD5"] };
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
  },
  args: [{ name: "ACQ", required: true }],
  async run(ctx, a) {
    const { group: groupName, node: nodeName, showRemoved } = a;
    if (nodeName && groupName) throw new UsageError("cannot use both --node and --group");

    const acq = await resolveAcq(ctx.db, a.acq, (n) => `No such Acquisition: ${n}`);
    let table: { rows: unknown[][]; headers: string[] };
    if (nodeName) table = await nodeTable(ctx.db, acq.id, nodeName, showRemoved);
    else if (groupName) table = await groupTable(ctx.db, acq.id, groupName, showRemoved);
    else
      table = {
        rows: (await listFilesInAcq(ctx.db, acq.id)).map((f) => [f.name, prettyBytes(f.size_b), f.md5sum]),
        headers: ["Name", "Size", "MD5"],
      };

    if (table.rows.length === 0) ctx.out.echo("No files.");
    else ctx.out.echo(tabulate(table.rows, table.headers));
  },
});
