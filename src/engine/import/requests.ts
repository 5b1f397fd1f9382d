// The node update's import step (alpenhorn/daemon/update.py: UpdateableNode.update at 632dd41): act on the node's pending import requests — node-init
// requests of an initialised node, scans of a subtree, and single-file imports.

import { isAbsolute } from "node:path";
import { pendingImportRequests } from "../../index/queries/requests.ts";
import { pyOSError } from "../fs/oserror.ts";
import { invalidImportPath, pathlibJoin, relativeToRoot } from "../fs/paths.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { completeRequest } from "./complete.ts";
import { importFile } from "./import-file.ts";
import { scan } from "./scan.ts";

export async function processImportRequests(unode: NodeTarget): Promise<void> {
  const { ctx } = unode;
  const root = unode.row.root ?? "";
  for (const req of await pendingImportRequests(ctx.db, unode.row.id)) {
    const where = unode.where;
    if (isAbsolute(req.path)) {
      ctx.log.info(`Not importing to "${unode.name}" absolute path: ${req.path}`);
      await completeRequest(ctx, req, "invalid", where);
      continue;
    }
    if (req.path === "ALPENHORN_NODE") {
      ctx.log.info(`Ignoring node init request for "${unode.name}": already initialised.`);
      await completeRequest(ctx, req, "duplicate", where);
      continue;
    }
    const register = Boolean(Number(req.register));
    if (Number(req.recurse)) {
      // pathlib's join: no lexical `..` collapsing, so `a/missing/..` fails to resolve.
      const joined = pathlibJoin(root, req.path);
      let full: string;
      try {
        full = await unode.fs.realpath(joined);
      } catch (err) {
        ctx.log.warning(`Ignoring import request of unresolvable scan path: ${joined}: ${pyOSError(err)}`);
        await completeRequest(ctx, req, "invalid", where);
        continue;
      }
      const rel = relativeToRoot(root, full);
      if (rel === null) {
        ctx.log.warning(`Ignoring import request of out-of-tree scan path: ${full}`);
        await completeRequest(ctx, req, "invalid", where);
        continue;
      }
      new Task({
        queue: ctx.queue,
        key: unode.fifo!,
        name: `Scan "${rel}" on ${unode.name}`,
        log: ctx.log,
        body: () => scan(unode, rel, register, req),
      });
      continue;
    }
    const bad = invalidImportPath(req.path);
    if (bad) {
      ctx.log.warning(`Ignoring request for import of invalid path "${req.path}": ${bad}`);
      await completeRequest(ctx, req, "invalid", where);
      continue;
    }
    await importFile(unode, req.path, { register, req });
  }
}
