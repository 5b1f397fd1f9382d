// `alpenhorn file list [options] [--json]`: list files, limited by acquisition, by presence on or
// absence from nodes and groups, by copy state, or by syncability from a node to a group.

import { UsageError } from "../../common/errors.ts";
import { prettyBytes, prettyTime } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { groupStateOfFile } from "../../index/queries/copies.ts";
import { copiesOnNode } from "../../index/queries/copies-bulk.ts";
import { filePathChunksOnNode, fileIdsInGroups, nodeHasCopy, fileIdsOnNodes, listFilesOrdered, type ListedFile } from "../../index/queries/files.ts";
import type { Db } from "../../index/driver/types.ts";
import type { StorageGroupRow, StorageNodeRow } from "../../index/rows.ts";
import { defineCommand } from "../_shared/define.ts";
import { bytesOrNull, isoUtc, JsonArrayWriter, jsonOption, md5OrNull, writeJson } from "../_shared/json-output.ts";
import { COMMON } from "../_shared/options.ts";
import { resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { copyStateWord, groupStateWord, type StateFlags } from "./_state.ts";

const stateHelp = (name: string) =>
  `Limit to ${name} files.  Must be accompanied by at least one --node or --group to provide a place to probe file state.`;

export default defineCommand({
  meta: { name: "list", description: "List Files." },
  help: `List Files.

Without options, lists all Files registered to the Data Index. The list may be limited by acquisition (--acq), by location (--node, --group: files present there; --absent-node, --absent-group: files absent from there), by file state (--corrupt, --healthy, --missing, --suspect, which need a --node or --group to probe), or by syncability (--from=SRC --to=DEST: files healthy on SRC and absent from DEST).

Normally only one of the location constraints need be satisfied for a file to be listed; with --all, every location constraint must be satisfied. You cannot limit both by file state and syncability.`,
  options: {
    absentGroup: { names: ["--absent-group"], kind: "value", multiple: true, metavar: "GROUP", help: "Limit to files absent from GROUP.  May be specified multiple times." },
    absentNode: { names: ["--absent-node"], kind: "value", multiple: true, metavar: "NODE", help: "Limit to files absent from NODE.  May be specified multiple times." },
    acq: COMMON.acq,
    all: {
      names: ["--all", "-a"],
      kind: "flag",
      help: "Limit to files that statisfy all --absent-group, --absent-node, --node, and --group constraints (instead of just one).",
    },
    corrupt: { names: ["--corrupt"], kind: "flag", help: stateHelp("corrupt") },
    details: { names: ["--details"], kind: "flag", help: "Show details for listed files." },
    from: { names: ["--from"], kind: "value", metavar: "SRC", help: "Must be specified with --to=DEST: limit to files that can be synced from Node SRC to Group DEST" },
    group: { names: ["--group"], kind: "value", multiple: true, metavar: "GROUP", help: "Limit to files present in GROUP.  May be specified multiple times." },
    healthy: { names: ["--healthy"], kind: "flag", help: stateHelp("healthy") },
    json: jsonOption("the list"),
    missing: { names: ["--missing"], kind: "flag", help: stateHelp("missing") },
    node: { names: ["--node"], kind: "value", multiple: true, metavar: "NODE", help: "Limit to files present on NODE.  May be specified multiple times." },
    suspect: { names: ["--suspect"], kind: "flag", help: stateHelp("suspect") },
    to: { names: ["--to"], kind: "value", metavar: "DEST", help: "Must be specified with --from=SRC: limit to files that can be synced from Node SRC to Group DEST" },
  },
  args: [],
  async run(ctx, a) {
    const flags: StateFlags = { corrupt: a.corrupt, healthy: a.healthy, missing: a.missing, suspect: a.suspect };
    const { from, to, all, absentNode, absentGroup, node: nodeNames, group: groupNames } = a;

    // Usage checks, in alpenhorn's order.
    const stateFlag = flags.corrupt ? "corrupt" : flags.missing ? "missing" : flags.healthy ? "healthy" : flags.suspect ? "suspect" : null;
    if (!from !== !to) throw new UsageError("--from and --to must be used together");
    if (from && stateFlag) throw new UsageError(`cannot use both --from and --${stateFlag}`);
    if (all && !nodeNames.length && !groupNames.length && !absentGroup.length && !absentNode.length)
      throw new UsageError(
        "--all cannot be used without a location constraint (one or more of --absent-group, --absent-node, --group, --node)",
      );

    const db = ctx.db;
    // Where the table prints nothing at all (an empty selection), `--json` still prints its list.
    const emptyJson = () => {
      if (a.json) writeJson(ctx, []);
    };
    // One --node and nothing else to combine: one query, no id sets (millions of copies).
    if (nodeNames.length === 1 && !groupNames.length && !absentNode.length && !absentGroup.length && !from && !a.details) {
      const node = await resolveNode(db, nodeNames[0]!);
      // An empty selection prints nothing (and names no unknown --acq); an empty result, an empty line.
      if (!(await nodeHasCopy(db, node.id, flags))) return emptyJson();
      const acqIds: number[] = [];
      for (const name of a.acq) acqIds.push((await resolveAcq(db, name)).id);
      // Streamed: a million lines are written as they are read, never held whole.
      if (a.json) {
        const list = new JsonArrayWriter(ctx);
        for await (const paths of filePathChunksOnNode(db, node.id, flags, acqIds)) list.push(paths.map((path) => ({ path })));
        list.end();
        return;
      }
      let printed = false;
      for await (const paths of filePathChunksOnNode(db, node.id, flags, acqIds)) {
        ctx.out.echo(paths.join("\n"));
        printed = true;
      }
      if (!printed) ctx.out.echo("");
      return;
    }
    const resolveNodes = async (names: string[]) => {
      const out: StorageNodeRow[] = [];
      for (const n of names) out.push(await resolveNode(db, n));
      return out;
    };
    const resolveGroups = async (names: string[]) => {
      const out: StorageGroupRow[] = [];
      for (const n of names) out.push(await resolveGroup(db, n));
      return out;
    };
    const ids = (rows: Array<{ id: number }>) => rows.map((r) => r.id);

    // Negative constraints are always "healthy there" and combine by De Morgan: intersected
    // normally, unioned with --all. Positive ones take the state flags (default healthy).
    let absentNodeFiles: Set<number> | null = null;
    let absentGroupFiles: Set<number> | null = null;
    let nodeFiles: Set<number> | null = null;
    let groupFiles: Set<number> | null = null;
    let nodes: StorageNodeRow[] = [];
    let groups: StorageGroupRow[] = [];
    if (absentNode.length) absentNodeFiles = await fileIdsOnNodes(db, ids(await resolveNodes(absentNode)), {}, all);
    if (absentGroup.length) absentGroupFiles = await fileIdsInGroups(db, ids(await resolveGroups(absentGroup)), {}, all);
    if (nodeNames.length) {
      nodes = await resolveNodes(nodeNames);
      nodeFiles = await fileIdsOnNodes(db, ids(nodes), flags, !all);
    }
    if (groupNames.length) {
      groups = await resolveGroups(groupNames);
      groupFiles = await fileIdsInGroups(db, ids(groups), flags, !all);
    }

    // Extra --details columns only for exactly one --node or exactly one --group, without --from.
    let detailNode: StorageNodeRow | null = null;
    let detailGroup: StorageGroupRow | null = null;
    if (a.details && !from) {
      if (nodeNames.length && !groupNames.length && nodes.length === 1) detailNode = nodes[0]!;
      else if (groupNames.length && !nodeNames.length && groups.length === 1) detailGroup = groups[0]!;
    }

    let omitted: Set<number> | null;
    if (absentNodeFiles && absentGroupFiles) omitted = all ? union(absentNodeFiles, absentGroupFiles) : intersect(absentNodeFiles, absentGroupFiles);
    else omitted = absentNodeFiles ?? absentGroupFiles;
    // An empty negative selection is dropped (alpenhorn: treated as no constraint).
    if (omitted && omitted.size === 0) omitted = null;

    let selected: Set<number> | null;
    if (nodeFiles && groupFiles) selected = all ? intersect(nodeFiles, groupFiles) : union(nodeFiles, groupFiles);
    else selected = nodeFiles ?? groupFiles;

    let syncable: Set<number> | null = null;
    if (from) {
      const src = await resolveNode(db, from);
      const dest = await resolveGroup(db, to!);
      const onSrc = await fileIdsOnNodes(db, [src.id], {}, false);
      const inDest = await fileIdsInGroups(db, [dest.id], {}, false);
      syncable = new Set([...onSrc].filter((id) => !inDest.has(id)));
      // Combined with the positive selection now unless it must be OR-ed with "not omitted".
      if (all || omitted === null) {
        selected = selected ? intersect(selected, syncable) : syncable;
        syncable = null;
      }
    }

    if (all && omitted && selected) {
      selected = new Set([...selected].filter((id) => !omitted!.has(id)));
      omitted = null;
    }

    // An empty positive selection lists nothing, not even an empty line.
    if (selected && selected.size === 0) return emptyJson();
    if (syncable && syncable.size === 0) return emptyJson();

    const acqIds: number[] = [];
    for (const name of a.acq) acqIds.push((await resolveAcq(db, name)).id);

    const files = (await listFilesOrdered(db, acqIds)).filter((f) => {
      const id = Number(f.id);
      if (syncable && !syncable.has(id)) return false;
      if (selected && omitted) return selected.has(id) || !omitted.has(id);
      if (selected) return selected.has(id);
      if (omitted) return !omitted.has(id);
      return true;
    });

    if (!a.details) {
      if (a.json) writeJson(ctx, files.map((f) => ({ path: `${f.acq_name}/${f.name}` })));
      else ctx.out.echo(files.map((f) => `${f.acq_name}/${f.name}`).join("\n"));
      return;
    }

    const details = await detailRows(db, files, detailNode, detailGroup);
    if (a.json) return writeJson(ctx, details.map(detailJson));
    const headers = ["File", "Size", "MD5 Hash", "Registration Time"];
    if (detailGroup) headers.push("State", "Node");
    else if (detailNode) headers.push("State", "Size on Node");
    const rows = details.map((d) => {
      const f = d.file;
      const cells = [`${f.acq_name}/${f.name}`, prettyBytes(f.size_b), f.md5sum === null ? "-" : f.md5sum.toLowerCase(), prettyTime(f.registered)];
      if (d.place === "group") cells.push(d.state, d.node ?? "-");
      else if (d.place === "node") cells.push(d.state, prettyBytes(d.sizeOnNode));
      return cells;
    });
    if (rows.length) ctx.out.echo(tabulate(rows, headers));
  },
});

/** One file of `--details`: its record, and its state in the one --group or on the one --node. */
type DetailRow =
  | { place: null; file: ListedFile }
  | { place: "group"; file: ListedFile; state: string; node: string | null }
  | { place: "node"; file: ListedFile; state: string; sizeOnNode: number | string | null };

async function detailRows(db: Db, files: readonly ListedFile[], node: StorageNodeRow | null, group: StorageGroupRow | null): Promise<DetailRow[]> {
  if (group) {
    const out: DetailRow[] = [];
    for (const file of files) {
      const { state, node: holder } = await groupStateOfFile(db, group.id, Number(file.id));
      out.push({ place: "group", file, state: groupStateWord(state), node: holder ? holder.name : null });
    }
    return out;
  }
  if (node) {
    // alpenhorn took the state from an arbitrary copy of the file (any node) and crashed on
    // files without copies; we show the copy on the named node, `Absent` when there is none.
    const copies = await copiesOnNode(db, node.id);
    return files.map((file) => {
      const c = copies.get(Number(file.id));
      return { place: "node", file, state: c ? copyStateWord(c.has_file, c.wants_file) : "Absent", sizeOnNode: c ? c.size_b : null };
    });
  }
  return files.map((file) => ({ place: null, file }));
}

/** The `--json` object of a `--details` row: the table's columns. */
function detailJson(d: DetailRow): Record<string, unknown> {
  const f = d.file;
  const base = { path: `${f.acq_name}/${f.name}`, size_b: bytesOrNull(f.size_b), md5sum: md5OrNull(f.md5sum), registered: isoUtc(f.registered) };
  if (d.place === "group") return { ...base, state: d.state, node: d.node };
  if (d.place === "node") return { ...base, state: d.state, size_on_node_b: bytesOrNull(d.sizeOnNode) };
  return base;
}

function union(a: Set<number>, b: Set<number>): Set<number> {
  return new Set([...a, ...b]);
}
function intersect(a: Set<number>, b: Set<number>): Set<number> {
  return new Set([...a].filter((id) => b.has(id)));
}
