// The pull task `AFCR#{id}: {source} -> {destination}` (alpenhorn/io/default/pull.py:
// pull_async at 632dd41): the request is read again (a `--cancel` or a completion since it was
// queued ends it here) and checked again with the destination's room; the destination's I/O
// moves and verifies the bytes; the outcome is booked by finish.ts.

import { copyStateOn, pullRequestState, type PullRequest } from "../../index/queries/pulls.ts";
import type { PullJob } from "../extension-api.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { checkRequest, pathOf, type PullGroup } from "./check.ts";
import { finishPull } from "./finish.ts";
import { remoteOf } from "./remote-of.ts";

/** `daemon.pull_timeout_base + size / daemon.pull_bytes_per_second` seconds; null when the rate is 0 (no limit). */
export function pullTimeout(node: NodeTarget, size: number): number | null {
  const base = node.ctx.config.float("daemon.pull_timeout_base", { default: 300 });
  const bps = node.ctx.config.float("daemon.pull_bytes_per_second", { default: 20_000_000 });
  return bps === 0 ? null : base + size / bps;
}

/** `didSearch`: the group's pre-pull search already looked for a file at the target (search.ts). */
export async function pullTask(node: NodeTarget, req: PullRequest, group: PullGroup, didSearch = false): Promise<void> {
  const { ctx, io } = node;
  if (!io) return;
  const path = pathOf(req);
  const now = await pullRequestState(ctx.db, req.id);
  if (!now || now.cancelled || now.completed) {
    ctx.log.info(`Skipping request for ${path}: request #${req.id} was ${now?.completed ? "completed" : "cancelled"} meanwhile.`);
    return;
  }
  const source = await checkRequest(ctx, req, group, node);
  if (!source) return;
  if (!io.pull) {
    ctx.log.warning(`Skipping request for ${path}: the I/O class of node ${node.name} cannot receive pulls.`);
    return;
  }
  const remote = remoteOf(source);
  const size = Number(req.size_b ?? 0);
  const local = source.host === ctx.host;
  // A remote source is reached as `user@address:path`; without both, the pull cannot start and
  // the request waits, as in alpenhorn (pull_async: the ValueError of file_addr).
  let sourceAddr: string | null = null;
  if (!local) {
    try {
      sourceAddr = remote.fileAddr(req.acq_name, req.file_name);
    } catch {
      ctx.log.warning(`Skipping request for ${path} due to unconfigured route to host for node ${source.name}.`);
      return;
    }
  }
  const job: PullJob = {
    rel: path,
    size,
    md5: req.md5sum,
    source: remote.node,
    sourcePath: remote.filePath(req.acq_name, req.file_name),
    local,
    sourceAddr,
    // A copy the index knows corrupt is replaced; any other file found there is checked instead,
    // unless the group's search found none (alpenhorn's pull_async skips its own look then).
    overwrite: didSearch || (await copyStateOn(ctx.db, req.file_id, node.row.id)) === "X",
    timeout: pullTimeout(node, size),
  };
  const start = Date.now();
  const outcome = await io.pull(job);
  await finishPull(node, req, group, source, outcome, start);
}
