// The `Tidy up {node}` task: removes what interrupted work of ours left in a node's tree —
// pull placeholders (`.name.placeholder`), `.alpentemp*` directories — and then directories
// emptied by that, up to the node root. Nothing but our own temp names is ever removed.

import { lstatSync, readdirSync, rmSync, rmdirSync, unlinkSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { allAcqNames } from "../../../index/queries/acqs.ts";
import type { StorageNodeRow } from "../../../index/rows.ts";
import type { DaemonContext } from "../../context.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { PLACEHOLDER_RE, TEMP_DIR_PREFIX } from "../../fs/paths.ts";

export async function tidyUp(ctx: DaemonContext, node: StorageNodeRow): Promise<void> {
  const root = resolve(node.root ?? "/");
  for (const acq of await allAcqNames(ctx.db)) {
    const acqDir = join(root, acq);
    if (!isDir(acqDir)) continue;
    const emptied = new Set<string>();
    sweep(ctx, acqDir, emptied);
    for (const d of emptied) removeFiledir(ctx, node.name, root, d);
    removeFiledir(ctx, node.name, root, acqDir);
  }
}

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Remove our leftovers under `dir` (not following symlinks); note directories they leave. */
function sweep(ctx: DaemonContext, dir: string, emptied: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name.startsWith(TEMP_DIR_PREFIX)) {
      ctx.log.warning(`Removing stale temporary directory ${p}`);
      rmSync(p, { recursive: true, force: true });
      emptied.add(dir);
    } else if (e.isDirectory()) {
      sweep(ctx, p, emptied);
    } else if (e.isFile() && PLACEHOLDER_RE.test(e.name)) {
      ctx.log.warning(`Removing stale placeholder ${p}`);
      try {
        unlinkSync(p);
        emptied.add(dir);
      } catch (err) {
        ctx.log.warning(`Error removing ${p}: ${pyOSError(err)}`);
      }
    }
  }
}

/** alpenhorn's remove_filedir: rmdir `dir` and its parents while empty, never the root. */
export function removeFiledir(ctx: DaemonContext, nodeName: string, root: string, dir: string): void {
  let d = resolve(dir);
  if (d !== root && !d.startsWith(root + "/")) throw new Error(`dirname ${dir} not rooted under ${root}`);
  while (d !== root) {
    try {
      rmdirSync(d);
      ctx.log.info(`Removed directory ${d} on ${nodeName}`);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST") return;
      if (code !== "ENOENT") ctx.log.warning(`Error deleting directory ${d} on ${nodeName}: ${pyOSError(err)}`);
    }
    d = dirname(d);
  }
}
