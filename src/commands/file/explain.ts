// `alpenhorn file explain PATH [--node NODE] [--json]`: every copy of a file and every pending
// copy request of it, each with what the daemon does about it at its next update or why it
// waits. Reads the index only; the judging is _explain.ts, on the daemon's own predicates.

import { archiveCopyCount } from "../../common/archive-rule.ts";
import { prettyBytes } from "../../common/format.ts";
import { tabulate } from "../../common/table.ts";
import { indexOps } from "../../engine/io/index-ops.ts";
import { remoteOf } from "../../engine/pull/remote-of.ts";
import { roomNeedsTotal } from "../../engine/pull/rules.ts";
import { listCopiesOfFile } from "../../index/queries/copies.ts";
import { listGroups } from "../../index/queries/groups.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { nodeTotalBytes } from "../../index/queries/pulls.ts";
import { listRequestsOfFile } from "../../index/queries/requests.ts";
import { copyStateWord } from "../_shared/copy-state.ts";
import { defineCommand } from "../_shared/define.ts";
import { bytesOrNull, writeJson } from "../_shared/json-output.ts";
import { resolveFile, resolveNode } from "../_shared/resolve.ts";
import { explainCopy, explainRequest, type CopyFact, type ExplainFacts, type RequestFact } from "./_explain.ts";

/**
 * A node is taken for unattended when its free space was last recorded more than this many
 * update intervals ago (every daemon loop records it), and never less than STALE_FLOOR_S.
 */
const STALE_INTERVALS = 5;
const STALE_FLOOR_S = 300;

export default defineCommand({
  meta: { name: "explain", description: "Explain what the daemon will do with a File." },
  help: `Explain what the daemon will do with a File.

Shows every copy of the Archive File PATH ("<acq_name>/<file_name>") and every pending transfer request for it, with what the alpenhorn daemon will do about each at its next update, or the reason it is waiting.

For a copy: whether it will be checked or deleted, or why its deletion waits (a pending transfer out of its node, or too few archive copies elsewhere).

For a transfer request: whether the file will be pulled, or the request cancelled, or why it waits: the source node is not active, the source copy needs a check, the file is not ready on the source node, the destination is below its minimum free space or full, the file is already in the group, or an earlier request for it comes first.

Nothing happens on a node no daemon is updating: an inactive node, or one whose free space was last recorded more than ${STALE_INTERVALS} update intervals ("daemon.update_interval") ago.

With --node, shows only the copy on NODE and the requests out of NODE or into its group.

Nothing is changed.`,
  options: {
    node: { names: ["--node"], kind: "value", metavar: "NODE", help: "Only show the copy on NODE and the transfers to or from it." },
    json: { names: ["--json"], kind: "flag", help: "Print the explanation as JSON." },
  },
  args: [{ name: "PATH" }],
  async run(ctx, a) {
    const db = ctx.db;
    const file = await resolveFile(db, a.path);
    const only = a.node === undefined ? null : await resolveNode(db, a.node);
    const nodes = new Map((await selectNodes(db)).map((n) => [Number(n.id), n]));
    const groups = new Map((await listGroups(db)).map((g) => [Number(g.id), g]));
    const copyRows = await listCopiesOfFile(db, file.id);
    const copies: CopyFact[] = copyRows.map((c) => ({ id: Number(c.id), node_id: Number(c.node_id), has_file: c.has_file, wants_file: c.wants_file }));
    const pending = (await listRequestsOfFile(db, file.id)).filter((r) => !Number(r.completed) && !Number(r.cancelled)).sort((x, y) => Number(x.id) - Number(y.id));
    const requests: RequestFact[] = pending.map((r) => ({ id: Number(r.id), group_to_id: Number(r.group_to_id), node_from_id: Number(r.node_from_id) }));

    // The source's own NodeRemote says whether the file is ready there (LustreHSM: staged).
    const sourceReady = new Map<number, boolean>();
    const ops = indexOps(db);
    for (const r of requests) {
      const source = nodes.get(r.node_from_id);
      sourceReady.set(r.id, source ? await remoteOf(source, ops).pullReady(file.acq_name, file.name) : false);
    }
    const totalBytes = new Map<number, number>();
    for (const r of requests) {
      for (const n of nodes.values()) {
        if (Number(n.group_id) === r.group_to_id && roomNeedsTotal(n) && !totalBytes.has(Number(n.id))) totalBytes.set(Number(n.id), await nodeTotalBytes(db, n.id));
      }
    }
    const interval = ctx.config.int("daemon.update_interval", { default: 60, min: 0 });
    const facts: ExplainFacts = {
      copies,
      requests,
      nodes,
      groups,
      sourceReady,
      totalBytes,
      required: archiveCopyCount(ctx.config),
      now: new Date(),
      staleSeconds: Math.max(STALE_INTERVALS * interval, STALE_FLOOR_S),
    };

    const path = `${file.acq_name}/${file.name}`;
    const shownCopies = copies.filter((c) => only === null || c.node_id === Number(only.id));
    const shownRequests = requests.filter((r) => only === null || r.node_from_id === Number(only.id) || r.group_to_id === Number(only.group_id));
    const copyOut = shownCopies.map((c) => ({
      node: nodes.get(c.node_id)?.name ?? `#${c.node_id}`,
      state: copyStateWord(c.has_file, c.wants_file),
      has_file: c.has_file,
      wants_file: c.wants_file,
      next: explainCopy(facts, c),
    }));
    const requestOut = shownRequests.map((r) => ({
      id: r.id,
      from: nodes.get(r.node_from_id)?.name ?? `#${r.node_from_id}`,
      to_group: groups.get(r.group_to_id)?.name ?? `#${r.group_to_id}`,
      next: explainRequest(facts, r),
    }));

    if (a.json) {
      writeJson(ctx, { file: path, size_b: bytesOrNull(file.size_b), copies: copyOut, requests: requestOut });
      return;
    }
    ctx.out.echo(`${path} (${file.size_b === null ? "size unknown" : prettyBytes(file.size_b)})`);
    ctx.out.echo("\nCopies:\n");
    ctx.out.echo(copyOut.length ? tabulate(copyOut.map((c) => [c.node, c.state, c.next?.text ?? "-"]), ["Node", "State", "Next"]) : "No copies.");
    ctx.out.echo("\nPending requests:\n");
    ctx.out.echo(
      requestOut.length ? tabulate(requestOut.map((r) => [`#${r.id}`, r.from, r.to_group, r.next.text]), ["Request", "From", "To Group", "Next"]) : "No pending requests.",
    );
  },
});
