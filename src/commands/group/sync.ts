// `alpenhorn group sync GROUP [NODE]`: request copies of a node's files into a group, or cancel
// pending requests. The engine (runSync) is shared with `node sync`, which swaps the arguments.

import { ExitRequest, UsageError } from "../../common/errors.ts";
import { utcNow } from "../../common/time.ts";
import type { Db } from "../../index/driver/types.ts";
import { cancelRequests, insertCopyRequests, listPendingRequests, pendingRequestFileIds } from "../../index/queries/requests.ts";
import { listSyncCandidates } from "../../index/queries/files.ts";
import type { ArchiveAcqRow, StorageGroupRow, StorageNodeRow } from "../../index/rows.ts";
import { filePath, plural, pySorted, sizeText, totalOrUnknown } from "../_shared/bulk-format.ts";
import { pendingCopyRequestIds } from "../../index/queries/wait.ts";
import { checkThenUpdate, notBoth, requiresOther, stdinForcesCheck, type RunMode } from "../_shared/confirm.ts";
import type { CommandContext } from "../_shared/context.ts";
import type { OptionArgs } from "../_shared/args-type.ts";
import { defineCommand, defineOptions } from "../_shared/define.ts";
import { loadFileList } from "../_shared/file-list.ts";
import { resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { checkOption, COMMON, forceOption } from "../_shared/options.ts";
import type { FiledCollector } from "../_shared/filed.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

/** What one sync run needs, after the usage checks. */
export interface SyncRequest {
  readonly groupName: string | undefined;
  readonly nodeName: string | undefined;
  readonly acq: readonly string[];
  readonly cancel: boolean;
  readonly listed: ReadonlySet<number>;
  readonly showAcqs: boolean;
  readonly showFiles: boolean;
  readonly target: readonly string[];
  /** With --wait: where the update run records the ids of the requests it files. */
  readonly filed?: FiledCollector;
}

/** The options of both sync commands, in click's declaration order; `--all`/`--cancel` help differs. */
export function syncOptions(allHelp: string, cancelHelp: string) {
  return defineOptions({
    acq: COMMON.acq,
    all: { names: ["--all", "-a"], kind: "flag", help: allHelp },
    cancel: { ...COMMON.cancel, help: cancelHelp },
    check: checkOption("synced"),
    fileList: COMMON.fileList,
    force: forceOption("update"),
    showAcqs: { names: ["--show-acqs"], kind: "flag", help: "List acquisitions to be copied." },
    showFiles: { names: ["--show-files"], kind: "flag", help: "List files to be copied." },
    target: {
      ...COMMON.target,
      help: "May be specified multiple times.  Skip files which already exist in any specified target groups GROUP.  Cannot be used with --cancel.",
    },
    ...WAIT_OPTIONS,
  });
}

/**
 * Both sync commands after parsing: usage checks (in alpenhorn's order), the file list, then
 * the check → confirm → update flow. `other` names the optional positional (NODE or GROUP).
 */
export async function syncCommand(
  ctx: CommandContext,
  a: OptionArgs<ReturnType<typeof syncOptions>>,
  names: { groupName: string | undefined; nodeName: string | undefined; other: "NODE" | "GROUP" },
): Promise<void> {
  const { target, fileList, force } = a;
  notBoth(a.check, "check", force, "force");
  requiresOther(a.all, "all", a.cancel, "cancel");
  notBoth(a.cancel, "cancel", target, "target");
  const otherGiven = (names.other === "NODE" ? names.nodeName : names.groupName) !== undefined;
  if (!a.all && !otherGiven) throw new UsageError(`${names.other} or --all must be provided.`);
  if (a.all && otherGiven) throw new UsageError(`Can't use --all with ${names.other}.`);

  const wait = waitPlan(a);
  const check = stdinForcesCheck(ctx, fileList, a.check, force);
  const listed = await loadFileList(ctx, ctx.db, fileList, names.nodeName);
  const req: SyncRequest = {
    groupName: names.groupName,
    nodeName: names.nodeName,
    acq: a.acq,
    cancel: a.cancel,
    listed,
    showAcqs: a.showAcqs,
    showFiles: a.showFiles,
    target,
    filed: wait.collector,
  };
  await checkThenUpdate(ctx, { check, force }, (mode) => ctx.db.transaction((tx) => runSync(ctx, tx, mode, req)));
  await waitForFiled(ctx, wait);
}

/** One run of the sync engine (check or update mode). Ends early with ExitRequest(0). */
export async function runSync(ctx: CommandContext, db: Db, mode: RunMode, req: SyncRequest): Promise<void> {
  const node = req.nodeName === undefined ? undefined : await resolveNode(db, req.nodeName, (n) => `No such node: ${n}`);
  const group = req.groupName === undefined ? undefined : await resolveGroup(db, req.groupName, (n) => `No such group: ${n}`);
  const acqs = new Map<number, ArchiveAcqRow>();
  for (const name of req.acq) {
    const acq = await resolveAcq(db, name);
    acqs.set(acq.id, acq);
  }
  if (req.cancel) await runCancel(ctx, db, mode, req, node, group, [...acqs.keys()]);
  else await runRequests(ctx, db, mode, req, node!, group!, [...acqs.keys()]);
}

/** Listing stop: a colon and an empty line when details follow (first run only). */
function stopFor(mode: RunMode, req: SyncRequest): string {
  return mode.firstTime && (req.showAcqs || req.showFiles) ? ":\n" : ".";
}

/** `--show-acqs` (with `--show-files`) listing: per acquisition, sorted by name. */
function echoAcqListing(ctx: CommandContext, items: ReadonlyArray<{ acq: string; path: string }>, showFiles: boolean, noun: string): void {
  const byAcq = new Map<string, string[]>();
  for (const { acq, path } of items) byAcq.set(acq, [...(byAcq.get(acq) ?? []), path]);
  for (const [acq, paths] of pySorted(byAcq, ([name]) => name)) {
    ctx.out.echo(`${acq} [${paths.length} ${plural(paths.length, noun)}]`);
    if (showFiles) ctx.out.echo(pySorted(paths.map((p) => "    " + p), (p) => p).join("\n"));
  }
}

async function runRequests(
  ctx: CommandContext,
  db: Db,
  mode: RunMode,
  req: SyncRequest,
  node: StorageNodeRow,
  group: StorageGroupRow,
  acqIds: number[],
): Promise<void> {
  const targets: number[] = [];
  for (const name of req.target) targets.push((await resolveGroup(db, name)).id);
  let files = await listSyncCandidates(db, node.id, group.id, targets, acqIds);
  if (req.listed.size) files = files.filter((f) => req.listed.has(Number(f.id)));
  if (!files.length) {
    ctx.out.echo("No files to sync.");
    throw new ExitRequest(0);
  }

  const pending = await pendingRequestFileIds(db, node.id, group.id);
  const scheduled = files.filter((f) => pending.has(Number(f.id)));
  const toSync = files.filter((f) => !pending.has(Number(f.id)));
  const where = `from Node "${node.name}" to Group "${group.name}"`;
  if (scheduled.length) {
    const n = scheduled.length;
    ctx.out.echo(`${n} ${plural(n, "file")} (${sizeText(totalOrUnknown(scheduled.map((f) => f.size_b)))}) already scheduled for sync ${where}`);
    if (!toSync.length) {
      ctx.out.echo("No additional files to sync.");
      throw new ExitRequest(0);
    }
  }

  const n = toSync.length;
  const verb = mode.update ? "Syncing" : "Would sync";
  ctx.out.echo(`${verb} ${n} ${plural(n, "file")} (${sizeText(totalOrUnknown(toSync.map((f) => f.size_b)))}) ${where}${stopFor(mode, req)}`);

  if (mode.firstTime) {
    // The per-acquisition listing counts every candidate, also those already scheduled.
    if (req.showAcqs) echoAcqListing(ctx, files.map((f) => ({ acq: f.acq_name, path: filePath(f.acq_name, f.name) })), req.showFiles, "file");
    else if (req.showFiles) ctx.out.echo(pySorted(toSync.map((f) => filePath(f.acq_name, f.name)), (p) => p).join("\n"));
  }

  if (mode.update) {
    const fileIds = toSync.map((f) => Number(f.id));
    await insertCopyRequests(db, fileIds, node.id, group.id, utcNow());
    if (req.filed) req.filed.record("transfers", await pendingCopyRequestIds(db, node.id, group.id, fileIds));
    ctx.out.echo(`\nAdded ${n} new copy ${plural(n, "request")}.`);
  }
}

async function runCancel(
  ctx: CommandContext,
  db: Db,
  mode: RunMode,
  req: SyncRequest,
  node: StorageNodeRow | undefined,
  group: StorageGroupRow | undefined,
  acqIds: number[],
): Promise<void> {
  let reqs = await listPendingRequests(db, { nodeId: node?.id, groupId: group?.id, acqIds });
  if (req.listed.size) reqs = reqs.filter((r) => req.listed.has(Number(r.file_id)));
  if (!reqs.length) {
    ctx.out.echo("No requests to cancel.");
    throw new ExitRequest(0);
  }
  const n = reqs.length;
  const verb = mode.update ? "Cancelling" : "Would cancel";
  ctx.out.echo(`${verb} ${n} pending transfer ${plural(n, "request")}${stopFor(mode, req)}`);

  if (mode.firstTime) {
    const items = reqs.map((r) => ({ acq: r.acq_name, path: filePath(r.acq_name, r.name) }));
    if (req.showAcqs) echoAcqListing(ctx, items, req.showFiles, "request");
    else if (req.showFiles) ctx.out.echo(pySorted(items.map((i) => i.path), (p) => p).join("\n"));
  }

  if (mode.update) {
    const count = await cancelRequests(db, reqs.map((r) => Number(r.id)));
    ctx.out.echo(`\nCancelled ${count} transfer ${plural(count, "request")}.`);
  }
}

export default defineCommand({
  meta: { name: "sync", description: "Copy files into a Storage Group." },
  help: `Copy files into a Storage Group.

The sync command requests files from the Storage Node NODE be copied into the Storage Group GROUP.  The copying will be handled by the daemon running on the desination.  Only files which are not already in GROUP will be copied.

Which files are copied may be further limited with the --acq, --file-list and --target options.

\b
CANCELLING TRANSFERS
--------------------

Using the --cancel flag, this command can also be used to cancel pending transfers into GROUP.  With a NODE, transfers from NODE to GROUP are cancelled, but you can instead of NODE use the special flag --all to cancel all inbound transfers into GROUP.  Cancelling can still be further limited by --acq and --file-list, but not --target.`,
  options: syncOptions(
    "Must be used with --cancel.  Cancel _all_ inbound transfers into GROUP.  NODE must not be specified if this flag is used.",
    "Cancel pending transfers into GROUP.",
  ),
  args: [{ name: "GROUP" }, { name: "NODE", required: false }],
  run: (ctx, a) => syncCommand(ctx, a, { groupName: a.group, nodeName: a.node, other: "NODE" }),
});
