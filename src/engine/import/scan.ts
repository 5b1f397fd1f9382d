// The scan task (alpenhorn/daemon/auto_import.py: scan at 632dd41): walk a subtree and queue an import for every file the node does
// not already hold (Y, M or X). Used by scan requests and by the auto-import catch-up. A scan
// that finds more than BATCH_ABOVE files to import queues them in batches (batch.ts) when the
// node's I/O class can look at many at once; up to that, alpenhorn's task per file.

import { dirname, isAbsolute } from "node:path";
import { copyPathsOnNode } from "../../index/queries/copies-bulk.ts";
import type { ArchiveFileImportRequestRow } from "../../index/rows.ts";
import { relativeToRoot } from "../fs/paths.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { BATCH_ABOVE, IMPORT_BATCH, queueImportBatch, type BatchItem } from "./batch.ts";
import { completeRequest } from "./complete.ts";
import { importFile, importTarget } from "./import-file.ts";
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
  const dedupe = !req;
  // Files to import are held until the count passes BATCH_ABOVE (then batches are queued as
  // they fill) or the walk ends with no more (then a task each).
  const batching = io.importBatch !== undefined;
  let held: BatchItem[] = [];
  let batched = false;
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
      else if (!batching) await importFile(unode, rel, { register, settle: tracker?.add(), dedupe });
      else {
        const target = importTarget(unode, rel);
        if (target === null) await tracker?.add()(true);
        else {
          held.push({ rel: target, settle: tracker?.add() });
          if (held.length > BATCH_ABOVE) batched = true;
          if (batched && held.length >= IMPORT_BATCH) {
            queueImportBatch(unode, held, register, dedupe);
            held = [];
          }
        }
      }
      if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    }
  }
  if (ctx.stop.stopping) {
    for (const h of held) await h.settle?.(false);
    return;
  }
  if (batched) {
    if (held.length > 0) queueImportBatch(unode, held, register, dedupe);
  } else for (const h of held) await importFile(unode, h.rel, { register, settle: h.settle, dedupe });
  await tracker?.walkFinished();
}
