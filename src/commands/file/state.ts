// `alpenhorn file state FILE NODE [--set STATE] [--ready] [--unready]`: show the recorded state
// of a file's copy on a node, or correct it in the Data Index.

import { CliError, UsageError } from "../../common/errors.ts";
import { getCopy, insertCopy, updateCopy, type CopyUpdate } from "../../index/queries/copies.ts";
import type { HasFile, WantsFile } from "../../index/rows.ts";
import { defineCommand } from "../_shared/define.ts";
import type { CommandContext } from "../_shared/context.ts";
import { resolveFile, resolveNode } from "../_shared/resolve.ts";
import { fileStateWords } from "./_state.ts";

const NOT_PRESENT = "can't set ready bit: file not present.";

export default defineCommand({
  meta: { name: "state", description: "Show or update the state of a File." },
  help: `Show or update the state of a File.

Without other arguments, this command shows the state of the File FILE on the Node NODE. FILE should be specified as "<acq_name>/<file_name>". The first word printed is one of Healthy, Suspect, Corrupt, Missing or Absent; it may be followed by Removable, Released and/or Ready.

Use --set with one of the five state words (any case) to change the recorded state, and --ready/--unready to set or clear the ready bit. This changes only the Data Index, never the file on the node. To change the cleaning state, use "file clean".`,
  options: {
    set: { names: ["--set"], kind: "value", metavar: "STATE", help: "Set the state of FILE on NODE" },
    ready: { names: ["--ready"], kind: "flag", help: "Set the ready bit for the FILE on NODE" },
    unready: { names: ["--unready"], kind: "flag", help: "Clear the ready bit for the FILE on NODE" },
  },
  args: [{ name: "FILE" }, { name: "NODE" }],
  async run(ctx, a) {
    const { file: path, node: nodeName, set, ready, unready } = a;
    if (set || ready || unready) return updateState(ctx, path, nodeName, set, ready, unready);

    const file = await resolveFile(ctx.db, path);
    const node = await resolveNode(ctx.db, nodeName);
    ctx.out.echo(fileStateWords(await getCopy(ctx.db, file.id, node.id)));
  },
});

async function updateState(ctx: CommandContext, path: string, nodeName: string, set: string | undefined, ready: boolean, unready: boolean): Promise<void> {
  if (ready && unready) throw new UsageError("cannot use both --ready and --unready");

  const updates: CopyUpdate = {};
  // Healthy, suspect and corrupt copies can't stay released (a kept 'M' is fine).
  let nowPresent = false;
  if (set) {
    const target = set.toLowerCase();
    const states: Record<string, [HasFile, WantsFile | undefined]> = {
      healthy: ["Y", undefined],
      suspect: ["M", undefined],
      corrupt: ["X", undefined],
      absent: ["N", "N"],
      // A wants_file='M' copy that is gone isn't missing but removed, so wants is always 'Y'.
      missing: ["N", "Y"],
    };
    const hit = Object.hasOwn(states, target) ? states[target] : undefined;
    if (!hit) throw new UsageError(`invalid state for --set: ${set}`);
    updates.has_file = hit[0];
    if (hit[1]) updates.wants_file = hit[1];
    else nowPresent = true;
    if (ready) {
      if (target !== "healthy") throw new CliError(NOT_PRESENT);
      updates.ready = true;
      ready = false;
    }
  }

  const message = await ctx.db.transaction(async (tx) => {
    const file = await resolveFile(tx, path);
    const node = await resolveNode(tx, nodeName);
    const copy = await getCopy(tx, file.id, node.id);

    if ((!copy || copy.wants_file === "N") && nowPresent) updates.wants_file = "Y";
    if (ready) {
      if (!copy || copy.has_file !== "Y") throw new CliError(NOT_PRESENT);
      updates.ready = true;
    } else if (unready) updates.ready = false;

    if (!copy) {
      // Only create a row for a state that records something.
      if (updates.has_file === undefined || (updates.has_file === "N" && updates.wants_file === "N")) return "No change.";
      await insertCopy(tx, file.id, node.id, updates.has_file, updates.wants_file!, updates.ready ?? false);
      return "State updated.";
    }
    return (await updateCopy(tx, copy.id, updates)) ? "State updated." : "No change.";
  });
  ctx.out.echo(message);
}
