// The scan task (alpenhorn/daemon/auto_import.py: scan at 632dd41): walk a subtree and queue an import for every file the node does
// not already hold (Y, M or X). Used by scan requests and by the auto-import catch-up.

import { dirname, isAbsolute } from "node:path";
import { copyPathsOnNode } from "../../index/queries/copies-bulk.ts";
import type { ArchiveFileImportRequestRow } from "../../index/rows.ts";
import { relativeToRoot } from "../fs/paths.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { completeRequest } from "./complete.ts";
import { importFile } from "./import-file.ts";
import { ScanTracker } from "./tracker.ts";

/** Files walked between two yields to the event loop. */
const YIELD_EVERY = 500;

export async function scan(unode: NodeTarget, path: string, register: boolean, req: ArchiveFileImportRequestRow | null): Promise<void> {
  const { ctx } = unode;
  const io = unode.io!;
  const root = unode.row.root ?? "";
  const known = await copyPathsOnNode(ctx.db, unode.row.id, ["Y", "X", "M"]);
  ctx.log.info(`Scanning "${path}" on "${unode.name}" for new files.`);
  // A request stays open until every file it covers is decided (README: Differences from alpenhorn).
  const tracker = req
    ? new ScanTracker(async (allResolved) => {
        if (allResolved) await completeRequest(ctx, req, "success", unode.where);
      })
    : null;
  let lastParent: string | null = null;
  let n = 0;
  walk: for await (const batch of io.fileWalk(path)) {
    for (const found of batch) {
      if (ctx.stop.stopping) break walk;
      const rel = isAbsolute(found) ? (relativeToRoot(root, found) ?? found) : found;
      const parent = dirname(rel);
      if (parent !== lastParent) {
        ctx.log.info(`Scanning "${parent}".`);
        lastParent = parent;
      }
      if (known.has(rel)) ctx.log.debug(`Skipping already-registered file "${rel}".`);
      else await importFile(unode, rel, { register, settle: tracker?.add(), dedupe: !req });
      if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    }
  }
  if (ctx.stop.stopping) return;
  await tracker?.walkFinished();
}
