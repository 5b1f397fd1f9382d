// The check → confirm → update flow of the bulk commands (node clean/verify/sync, group sync;
// alpenhorn's check_then_update in alpenhorn/cli/cli.py), with the usage checks of
// alpenhorn/cli/options.py and click's `Continue? [y/N]` prompt.

import { AbortedError, ExitRequest, UsageError } from "../../common/errors.ts";
import { pyStrip } from "../../common/pyfmt.ts";
import type { CommandContext } from "./context.ts";

/** Usage exit `cannot use both --{a} and --{b}` when both options were given. */
export function notBoth(a: unknown, aName: string, b: unknown, bName: string): void {
  if (isSet(a) && isSet(b)) throw new UsageError(`cannot use both --${aName} and --${bName}`);
}

/** Usage exit `--{a} may only be used with --{b}` when `a` was given without `b`. */
export function requiresOther(a: unknown, aName: string, b: unknown, bName: string): void {
  if (isSet(a) && !isSet(b)) throw new UsageError(`--${aName} may only be used with --${bName}`);
}

// Python truthiness of option values: false, 0, undefined and empty lists count as "not given".
function isSet(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : Boolean(v);
}

/**
 * The mode after `--file-list -`: stdin holds the list, so it cannot answer a prompt; without
 * --check or --force, check mode is forced with alpenhorn's warning. Returns the new `check`.
 */
export function stdinForcesCheck(ctx: CommandContext, fileList: string | undefined, check: boolean, force: boolean): boolean {
  if (check || force) return check;
  if (fileList === "-") {
    ctx.log.warning("stdin has been redirected without --force.  Automatically enabling --check mode.");
    return true;
  }
  return false;
}

/**
 * click.confirm("Continue?") with default No. The prompt and `Error: invalid input` go to
 * stdout and are never silenced; the answer is not echoed. End of input → `Aborted!` (exit 1).
 */
export async function confirm(ctx: CommandContext): Promise<boolean> {
  for (;;) {
    ctx.out.write("Continue? [y/N]: ");
    const line = await ctx.io.readLine();
    if (line === null) throw new AbortedError();
    const answer = pyStrip(line.toLowerCase());
    if (answer === "y" || answer === "yes") return true;
    if (answer === "n" || answer === "no" || answer === "") return false;
    ctx.out.print("Error: invalid input");
  }
}

/** How a run of the operation was invoked: `update` applies changes; `firstTime` prints listings. */
export interface RunMode {
  readonly update: boolean;
  readonly firstTime: boolean;
}

/**
 * alpenhorn's check_then_update: unless --force, run in check mode; with --check stop there;
 * otherwise ask, and on "yes" run the whole operation again from scratch in update mode (the
 * index may have changed while the user thought). A run ends the command early by throwing
 * ExitRequest (its "nothing to do" paths), which also skips the prompt.
 */
export async function checkThenUpdate(
  ctx: CommandContext,
  opts: { readonly check: boolean; readonly force: boolean },
  run: (mode: RunMode) => Promise<void>,
): Promise<void> {
  const doCheck = !opts.force;
  const doUpdate = !opts.check;
  if (doCheck) {
    await run({ update: false, firstTime: true });
    if (!doUpdate) return;
    ctx.out.echo();
    if (!(await confirm(ctx))) {
      ctx.out.echo("\nCancelled.");
      throw new ExitRequest(0);
    }
    ctx.out.echo();
  }
  if (doUpdate) await run({ update: true, firstTime: !doCheck });
}
