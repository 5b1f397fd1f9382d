// `alpenhorn node clean NODE`: mark (or release with --now, or un-mark with --cancel) the
// copies on a node for cleaning, through the check → confirm → update flow.

import { CliError, ExitRequest, UsageError } from "../../common/errors.ts";
import { prettyBytes } from "../../common/format.ts";
import { parseUtc } from "../../common/time.ts";
import type { Db } from "../../index/driver/types.ts";
import { listCleanCandidates, setCopyWantsFile, type CleanCandidateRow, type CleanFilter } from "../../index/queries/copies-bulk.ts";
import { healthyFilesInGroup } from "../../index/queries/files.ts";
import type { WantsFile } from "../../index/rows.ts";
import { plural, toBytes } from "../_shared/bulk-format.ts";
import { checkThenUpdate, notBoth, stdinForcesCheck, type RunMode } from "../_shared/confirm.ts";
import type { CommandContext } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { loadFileList } from "../_shared/file-list.ts";
import { resolveAcq, resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { checkOption, COMMON, forceOption } from "../_shared/options.ts";
import type { FiledCollector } from "../_shared/filed.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

const GiB = 2 ** 30;
const DAY_MS = 86_400_000;
const UNLIMITED = 1n << 2000n;

interface CleanRequest {
  readonly name: string;
  readonly acq: readonly string[];
  readonly archiveOk: boolean;
  /** `--days`: only files registered before now − days (null: no limit). */
  readonly days: number | null;
  readonly includeBad: boolean;
  readonly listed: ReadonlySet<number>;
  /** `--size` in bytes; null when not given or when it rounds to 0 bytes (alpenhorn's rule). */
  readonly size: bigint | null;
  readonly target: readonly string[];
  readonly goal: WantsFile;
  /** With --wait: where the update run records the copies it marked or released. */
  readonly filed?: FiledCollector;
}

/** Intersection of the files healthy in every target group; null when no target was given. */
async function targetFiles(db: Db, names: readonly string[]): Promise<Set<number> | null> {
  const groups = [];
  for (const name of names) groups.push(await resolveGroup(db, name));
  let files: Set<number> | null = null;
  for (const g of groups) {
    const inGroup = await healthyFilesInGroup(db, g.id);
    const before: Set<number> | null = files;
    files = before === null ? inGroup : new Set([...before].filter((id: number) => inGroup.has(id)));
    if (!files.size) break;
  }
  return files;
}

/**
 * alpenhorn had `registered > now + days` here (a sign error that selected only files
 * registered in the future); we select what its help promises: registered more than `days`
 * days ago. Unreadable registration times never qualify.
 */
function registeredBefore(row: CleanCandidateRow, threshold: number): boolean {
  const t = parseUtc(row.registered);
  return t !== null && t.getTime() < threshold;
}

interface Tally {
  count: number;
  size: bigint;
}

async function runClean(ctx: CommandContext, db: Db, mode: RunMode, req: CleanRequest): Promise<void> {
  const node = await resolveNode(db, req.name);
  if (node.storage_type === "A") {
    if (!req.archiveOk) throw new CliError(`Cannot clean archive node "${req.name}".`);
    if (mode.firstTime) ctx.out.echo(`DANGER: "${req.name}" is an archive node. Forcing clean.`);
  }
  const targets = await targetFiles(db, req.target);
  if (targets !== null && targets.size === 0) {
    ctx.out.echo("Nothing to do: no matching files in target.");
    throw new ExitRequest(0);
  }
  const acqIds = new Set<number>();
  for (const name of req.acq) acqIds.add((await resolveAcq(db, name)).id);

  // With --size every wants value is scanned so already-cleaned files count towards the size.
  let wants: CleanFilter["wants"] = null;
  if (req.size === null) wants = req.goal === "M" ? { op: "=", value: "Y" } : { op: "<>", value: req.goal };
  let copies = await listCleanCandidates(db, { nodeId: node.id, includeBad: req.includeBad, wants, acqIds: [...acqIds] });
  if (req.listed.size) copies = copies.filter((c) => req.listed.has(Number(c.file_id)));
  if (req.days !== null) {
    const threshold = Date.now() - req.days * DAY_MS;
    copies = copies.filter((c) => registeredBefore(c, threshold));
  }

  const results: Record<WantsFile | "S", Tally> = { Y: { count: 0, size: 0n }, M: { count: 0, size: 0n }, N: { count: 0, size: 0n }, S: { count: 0, size: 0n } };
  const ids: number[] = [];
  let total = 0n;
  for (const copy of copies) {
    if (targets && !targets.has(Number(copy.file_id))) continue;
    const fileSize = copy.size_b === null ? 0n : toBytes(copy.size_b);
    if (req.size !== null) {
      total += fileSize;
      if (copy.wants_file === req.goal || (req.goal === "M" && copy.wants_file === "N")) {
        results.S.count++;
        results.S.size += fileSize;
        if (total >= req.size) break;
        continue;
      }
    }
    results[copy.wants_file].count++;
    results[copy.wants_file].size += fileSize;
    ids.push(Number(copy.id));
    if (req.size !== null && total >= req.size) break;
  }

  const count = results.Y.count + results.M.count + results.N.count;
  const size = results.Y.size + results.M.size + results.N.size;
  if (!count) {
    ctx.out.echo(results.S.count > 0 ? "No files to clean (size constraint already satisfied)." : "No files to clean.");
    throw new ExitRequest(0);
  }

  let breakdown = false;
  if (req.goal === "Y") breakdown = count !== results.M.count && count !== results.N.count;
  else if (req.goal === "N") breakdown = count !== results.M.count && count !== results.Y.count;
  const [verb, suffix] =
    req.goal === "Y"
      ? [mode.update ? "Cancelling" : "Would cancel", " for cleaning"]
      : req.goal === "M"
        ? [mode.update ? "Marking" : "Would mark", " for deferred cleaning"]
        : [mode.update ? "Releasing" : "Would release", ""];
  ctx.out.echo(`${verb} ${count} ${plural(count, "file")} (${prettyBytes(size)})${suffix}${breakdown ? ":" : "."}`);

  if (size && results.S.count) {
    const s = results.S.count;
    ctx.out.echo(`${s} ${plural(s, "file")} (${prettyBytes(results.S.size)}) already contributing to size constraint.`);
  }
  if (breakdown) {
    const lines: Array<[WantsFile, string]> = [["Y", "present"], ["M", "marked"], ["N", "released"]];
    for (const [w, label] of lines) {
      const k = results[w].count;
      if (k) ctx.out.echo(`  ${k} ${label} ${plural(k, "file")} (${prettyBytes(results[w].size)})`);
    }
  }

  if (mode.update) {
    const updated = await setCopyWantsFile(db, ids, req.goal);
    // Un-marking (--cancel) files nothing for the daemon.
    if (req.goal !== "Y") req.filed?.record("deletions", ids);
    ctx.out.echo(`Updated ${updated} ${plural(updated, "file")}.`);
  }
}

export default defineCommand({
  meta: { name: "clean", description: "Remove files from a Storage Node." },
  help: `Remove files from a Storage Node.

There are two ways alpenhorn can schedule a file for cleaning:

* Normally, files are cleaned by *marking* them for discretionary removal.  This tells the alpenhorn daemon that it may remove the marked files to stay above the minimum free space set for NODE.  If NODE has no minimum free space set, then these marked files will never be deleted.  The minimum free space can be set using the "--min-avail" option to the "node modify" command.

* The other option, which can be selected with the "--now" flag, is to *release* files for immediate removal.  Released files will be removed by the daemon as soon as possible.  In this case, files marked for discretionary removal will also be released for immediate removal if they satisfy the specified criteria.

Either way, if scheduled for cleaning, files will not be removed from a Storage Node unless until they are available on at least two (other) archive nodes.

By default, alpenhorn will refuse run this command on an archive node.  This restriction may be overridden with the "--archive-ok" flag.

In normal operation, this command will schedule *all* files on NODE for cleaning, but the operation may be limited with the "--acq", "--days", "--file-list", "--size", and "--target" options.

Multiple --acq options may be given to provide a list of acquisitions to restrict cleaning to.  Files not in one of the specified acqusitions will not be considered by this command.

If --days is specified, only files registered more than COUNT days ago will be considered for cleaning.

If --target is specified, one or more times, the command will only affect files already available in the target GROUP(s). This is useful for cleaning out intermediate locations such as transport disks.  If multiple GROUPs are given, a file must be in _all_ GROUPs to be considered for cleaning.

A SIZE given with --size indicates a target quantity of data to clean.  This restriction is applied _after_ the limits imposed by --acq and --target.  alpenhorn will ensure at least SIZE GiB of files are scheduled for cleaning.  Files are considered in registration order (the order in which they were first added to the data index).  In this mode, alpenhorn takes in to consideration files previously scheduled for cleaning but not yet removed: if more than SIZE GiB of files are already scheduled for cleaning, no new files will be added.

CANCELLING CLEANING

You may unschedule files for cleaning using the "--cancel" flag, which can be similarly restricted with "--acq", "--days", "--file-list", and "--target", but not "--size".

Both kinds of cleaning (discretionary and immediate) will be cancelled, but only for files not yet removed from the NODE by the daemon.`,
  options: {
    acq: COMMON.acq,
    archiveOk: COMMON.archiveOk,
    cancel: COMMON.cancel,
    check: checkOption("cleaned"),
    days: { names: ["--days", "-d"], kind: "value", type: "int", metavar: "COUNT", help: "Only clean files registered more than COUNT days ago." },
    fileList: COMMON.fileList,
    force: forceOption("cleaning"),
    includeBad: { names: ["--include-bad"], kind: "flag", help: "Include suspect and corrupt files in the operation." },
    now: COMMON.now,
    size: { names: ["--size", "-s"], kind: "value", type: "float", metavar: "SIZE", help: "Stop cleaning files once the total size cleaned reaches SIZE GiB." },
    target: COMMON.target,
    ...WAIT_OPTIONS,
  },
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    const { days, size, fileList, force } = a;
    notBoth(a.cancel, "cancel", a.now, "now");
    notBoth(a.cancel, "cancel", size !== undefined, "size");
    notBoth(a.check, "check", force, "force");
    const wait = waitPlan(a);
    if (days !== undefined && days <= 0) throw new UsageError("--days must be positive");
    // NaN is not positive either (alpenhorn crashed on it later).
    if (size !== undefined && !(size > 0)) throw new UsageError("--size must be positive");

    const check = stdinForcesCheck(ctx, fileList, a.check, force);
    // int(size · 2^30); 0 bytes means "no --size" (alpenhorn's rule). alpenhorn crashed on an
    // infinite size; here it is a limit no total reaches.
    let sizeBytes: bigint | null = null;
    if (size !== undefined) sizeBytes = Number.isFinite(size) ? BigInt(Math.trunc(size * GiB)) || null : UNLIMITED;
    const req: CleanRequest = {
      name: a.node,
      acq: a.acq,
      archiveOk: a.archiveOk,
      days: days ?? null,
      includeBad: a.includeBad,
      listed: await loadFileList(ctx, ctx.db, fileList, a.node),
      size: sizeBytes,
      target: a.target,
      goal: a.now ? "N" : a.cancel ? "Y" : "M",
      filed: wait.collector,
    };
    await checkThenUpdate(ctx, { check, force }, (mode) => ctx.db.transaction((tx) => runClean(ctx, tx, mode, req)));
    await waitForFiled(ctx, wait);
  },
});
