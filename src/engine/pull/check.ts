// The checks a copy request (AFCR) passes before and again when it is pulled
// (alpenhorn/db/archive.py: ArchiveFileCopyRequest.check and cancel, and
// alpenhorn/db/storage.py: StorageNode.check_pull_dest, at 632dd41): the group must not hold
// the file already, the source must be active and hold a healthy copy, and the destination
// must have room. Failing requests are cancelled or skipped with alpenhorn's log lines.

import { groupStateOfFile } from "../../index/queries/copies.ts";
import { cancelPull, copyStateOn, nodeById, nodeTotalBytes, type PullRequest } from "../../index/queries/pulls.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { NodeRemote } from "../extension-api.ts";
import { indexOps } from "../io/index-ops.ts";
import { retryBusy } from "../retry.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { remoteOf } from "./remote-of.ts";
import { judgeRequest, judgeRoom, roomNeedsTotal, roomRefusalText, type RequestVerdict } from "./rules.ts";

export { judgeRequest, type RequestVerdict } from "./rules.ts";

export const pathOf = (req: PullRequest) => `${req.acq_name}/${req.file_name}`;

export interface PullGroup {
  readonly id: number;
  readonly name: string;
}

/** Cancel a request with its reason's log line and metric (alpenhorn: ArchiveFileCopyRequest.cancel). */
export async function cancelRequest(ctx: DaemonContext, req: PullRequest, group: PullGroup, source: string, reason: "duplicate" | "missing" | "non-local"): Promise<void> {
  const path = pathOf(req);
  if (reason === "duplicate") ctx.log.info(`Cancelling pull request for ${path}: already present in group ${group.name}`);
  else if (reason === "missing") ctx.log.warning(`Cancelling pull request for ${path}:  not available on node ${source} [file_id=${req.file_id}]`);
  else ctx.log.warning(`Cancelling pull request for ${path}:  remote pull from node ${source} not possible [file_id=${req.file_id}]`);
  if (await retryBusy(() => cancelPull(ctx.db, req.id))) ctx.metrics.inc("requests_completed", { type: "copy", result: reason, node: source, group: group.name });
}

/** Log (and cancel, when hopeless) a request the checks stopped; alpenhorn's lines. */
export async function actOnVerdict(ctx: DaemonContext, req: PullRequest, group: PullGroup, verdict: RequestVerdict & { go: false }, sourceName: string): Promise<void> {
  const path = pathOf(req);
  switch (verdict.why) {
    case "duplicate":
      return cancelRequest(ctx, req, group, sourceName, "duplicate");
    case "group-needs-check":
      ctx.log.warning(`Skipping pull request for ${path}: existing copy in group ${group.name} needs check.`);
      return;
    case "source-inactive":
      ctx.log.warning(`Skipping request for ${path}: source node ${sourceName} is not active.`);
      return;
    case "missing":
      return cancelRequest(ctx, req, group, sourceName, "missing");
    case "source-needs-check":
      ctx.log.info(`Skipping request for ${path}: source needs check on node ${sourceName}.`);
      return;
  }
}

/**
 * The request's checks, in alpenhorn's order; with `dest`, the destination's space too. Returns
 * the source node's row when the pull may go ahead, else null (logged; cancelled when hopeless).
 */
export async function checkRequest(ctx: DaemonContext, req: PullRequest, group: PullGroup, dest?: NodeTarget): Promise<StorageNodeRow | null> {
  const inGroup = await groupStateOfFile(ctx.db, group.id, req.file_id);
  const source = await nodeById(ctx.db, req.node_from_id);
  const sourceState = source && inGroup.state !== "Y" && inGroup.state !== "M" ? await copyStateOn(ctx.db, req.file_id, source.id) : "N";
  const verdict = judgeRequest(inGroup.state, source, sourceState);
  if (!verdict.go) {
    await actOnVerdict(ctx, req, group, verdict, source?.name ?? String(req.node_from_id));
    return null;
  }
  if (!(await sourceReady(ctx, req, verdict.source))) return null;
  if (dest && !(await checkPullDest(ctx, dest))) return null;
  return verdict.source;
}

/**
 * A Default source is always ready; one that stages files first (LustreHSM: from tape) is
 * readied by its own daemon's node update (ready.ts) and pulled from once it says so.
 */
export async function sourceReady(ctx: DaemonContext, req: PullRequest, source: StorageNodeRow, remote: NodeRemote = sourceRemote(ctx, source)): Promise<boolean> {
  if (await remote.pullReady(req.acq_name, req.file_name)) return true;
  ctx.log.debug(`Skipping request for ${pathOf(req)}: not ready on node ${source.name}.`);
  return false;
}

/** A source node's NodeRemote, able to ask the index (pullReady of staging classes). */
export function sourceRemote(ctx: DaemonContext, source: StorageNodeRow): NodeRemote {
  return remoteOf(source, indexOps(ctx.db));
}

/**
 * Room on the destination (never cancels): above min_avail_gb and below max_total_gb. A refusal
 * is logged as `{message}: {why}` at `level`; the Transport group asks at DEBUG with its own
 * message (alpenhorn/db/storage.py: StorageNode.check_pull_dest's `message` and `log_level`).
 */
export async function checkPullDest(ctx: DaemonContext, dest: NodeTarget, opts: { message?: string; level?: "debug" | "info" } = {}): Promise<boolean> {
  const row = dest.row;
  const message = opts.message || `Skipping pull for StorageNode ${row.name}`;
  const say = (text: string) => (opts.level === "debug" ? ctx.log.debug(text) : ctx.log.info(text));
  // The total is read (one query) only for a node with a positive max_total_gb.
  const total = roomNeedsTotal(row) ? await nodeTotalBytes(ctx.db, row.id) : 0;
  const verdict = judgeRoom(row, () => total);
  if (verdict.ok) return true;
  say(`${message}: ${roomRefusalText(verdict)}`);
  return false;
}
