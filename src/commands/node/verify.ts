// `alpenhorn node verify NODE`: request re-verification of copies on a node (has_file → 'M'),
// or with --cancel force the state of suspect copies, through the check → confirm → update flow.

import { ExitRequest } from "../../common/errors.ts";
import type { Db } from "../../index/driver/types.ts";
import { listVerifyCandidates, setCopyHasFile } from "../../index/queries/copies-bulk.ts";
import type { CopyStateCondition } from "../../index/queries/bulk-common.ts";
import type { HasFile } from "../../index/rows.ts";
import { plural, toBytes } from "../_shared/bulk-format.ts";
import { prettyBytes } from "../../common/format.ts";
import { checkThenUpdate, notBoth, stdinForcesCheck, type RunMode } from "../_shared/confirm.ts";
import type { CommandContext } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { loadFileList } from "../_shared/file-list.ts";
import { resolveAcq, resolveNode } from "../_shared/resolve.ts";
import { STATE_CONDITIONS, stateConditions } from "../_shared/state-filter.ts";
import { COMMON, forceOption } from "../_shared/options.ts";
import type { FiledCollector } from "../_shared/filed.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

interface VerifyRequest {
  readonly name: string;
  readonly acq: readonly string[];
  readonly selection: readonly CopyStateCondition[];
  readonly listed: ReadonlySet<number>;
  /** The has_file to set: 'M' to verify, else the forced state of --cancel. */
  readonly goal: HasFile;
  /** With --wait: where the update run records the copies it set suspect. */
  readonly filed?: FiledCollector;
}

const GOAL_WORD: Partial<Record<HasFile, string>> = { Y: "healthy", N: "missing", X: "corrupt" };

async function runVerify(ctx: CommandContext, db: Db, mode: RunMode, req: VerifyRequest): Promise<void> {
  const node = await resolveNode(db, req.name);
  const acqIds = new Set<number>();
  for (const name of req.acq) acqIds.add((await resolveAcq(db, name)).id);
  let copies = await listVerifyCandidates(db, node.id, req.selection, [...acqIds]);
  if (req.listed.size) copies = copies.filter((c) => req.listed.has(Number(c.file_id)));
  if (!copies.length) {
    ctx.out.echo("No matching files found.");
    throw new ExitRequest(0);
  }
  // SQL SUM semantics: NULL sizes are skipped; the total is unknown only when all are NULL.
  const sizes = copies.filter((c) => c.size_b !== null).map((c) => toBytes(c.size_b!));
  const size = sizes.length ? prettyBytes(sizes.reduce((x, y) => x + y, 0n)) : "unknown size";
  const n = copies.length;
  if (req.goal === "M") {
    ctx.out.echo(`${mode.update ? "Requesting" : "Would request"} verification of ${n} ${plural(n, "file")} (${size}).`);
  } else {
    ctx.out.echo(`${mode.update ? "Forcing" : "Would force"} status of ${n} ${plural(n, "file")} (${size}) to ${GOAL_WORD[req.goal]}.`);
  }
  if (mode.update) {
    const ids = copies.map((c) => Number(c.id));
    const updated = await setCopyHasFile(db, ids, req.goal);
    // Forcing a state (--cancel) files nothing for the daemon.
    if (req.goal === "M") req.filed?.record("checks", ids);
    ctx.out.echo(`Updated ${updated} ${plural(updated, "file")}.`);
  }
}

export default defineCommand({
  meta: { name: "verify", description: "Verify files on a Storage Node." },
  help: `Verify files on a Storage Node.

Use this command to request verification of files on NODE, or to explicitly set the status of suspect files (thus, cancelling verificaiton).

VERIFYING FILES

Without the "--cancel" flag, this command requests that the daemon re-verify the integrity of files on NODE.  This is done by changing the status of the files being re-verified to "suspect".

By default, only files known to be corrupt or missing are verified, but the types of files to re-verify can be explicitly chosen with the --all, --corrupt, --healthy, and --missing flags.  If any of these flags are used, the default selection is ignored.

Files to verify may be further restricted using the --acq and --file-list options.  Files which have been released for immediate removal (via, say, the "node clean" command) are always skipped.

NOTE: Be careful when you request re-verification.  After this command sets an affected file to "suspect", that file will not be available for other operations (e.g. transfer) until the daemon has re-verified the it.  Re-verification, therefore, is best done during times of low activity on the NODE.

CANCELLING VERIFICATION

With the "--cancel" flag, this command instead, changes the status of matching suspect files to the new status specified by one of the flags "--corrupt", "--missing", or "--healthy".  (If none are given, "--corrupt" is the default.)

Which files are updated may be further restricted with the "--acq" option.

NOTE: If you cancel verification of a file which the daemon happens to be in the process of re-verifying, the result of the daemon's check will override whatever status you set manually.`,
  options: {
    acq: COMMON.acq,
    all: { names: ["--all", "-a"], kind: "flag", help: 'Ignored if used with --cancel.  Otherwise, verify all files (equivalent to "--corrupt --healthy --missing").' },
    cancel: { names: ["--cancel"], kind: "flag", help: "Cancel existing verifcation requests by explicitly setting their status" },
    // No -c and its own wording here (alpenhorn/cli/node/verify.py declares it locally).
    check: { names: ["--check"], kind: "flag", help: "Don't actually perform the operation, just print how many files would be affected" },
    corrupt: { names: ["--corrupt"], kind: "flag", help: "With --cancel, set file status to corrupt.  Without --cancel, verify known corrupt files" },
    fileList: COMMON.fileList,
    force: forceOption("update"),
    healthy: { names: ["--healthy"], kind: "flag", help: "With --cancel, set file status to healthy.  Without --cancel, verify known good files" },
    missing: { names: ["--missing"], kind: "flag", help: "With --cancel, set file status to missing.  Without --cancel, verify known missing files" },
    ...WAIT_OPTIONS,
  },
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    const { force, fileList } = a;
    notBoth(a.check, "check", force, "force");
    const wait = waitPlan(a);
    const check = stdinForcesCheck(ctx, fileList, a.check, force);
    let { corrupt, healthy, missing } = a;
    let selection: CopyStateCondition[];
    let goal: HasFile;
    if (a.cancel) {
      // --all is ignored here: every suspect copy is a candidate.
      notBoth(corrupt, "corrupt", healthy, "healthy");
      notBoth(corrupt, "corrupt", missing, "missing");
      notBoth(healthy, "healthy", missing, "missing");
      selection = [STATE_CONDITIONS.suspect];
      goal = healthy ? "Y" : missing ? "N" : "X";
    } else {
      if (a.all) corrupt = healthy = missing = true;
      else if (!corrupt && !healthy && !missing) corrupt = missing = true;
      selection = stateConditions({ corrupt, healthy, missing });
      goal = "M";
    }
    const req: VerifyRequest = {
      name: a.node,
      acq: a.acq,
      selection,
      listed: await loadFileList(ctx, ctx.db, fileList, a.node),
      goal,
      filed: wait.collector,
    };
    await checkThenUpdate(ctx, { check, force }, (mode) => ctx.db.transaction((tx) => runVerify(ctx, tx, mode, req)));
    await waitForFiled(ctx, wait);
  },
});
