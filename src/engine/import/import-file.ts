// import_file and the import task (alpenhorn/daemon/auto_import.py: import_file and
// _import_file at 632dd41): vet the path, ask the import-detect
// extensions for the acquisition, then create acquisition, file and copy rows. Rows are made
// in one transaction with insert-ignore on the unique indexes, so a file imported twice at
// once is registered once.

import { basename, isAbsolute } from "node:path";
import { utcNow } from "../../common/time.ts";
import { copyTracked, getCopy, insertPresentCopy, setCopyImported } from "../../index/queries/copies.ts";
import { ensureAcq } from "../../index/queries/acqs.ts";
import { ensureFile } from "../../index/queries/files.ts";
import { getAcqByName, getFileInAcq } from "../../index/queries/lookup.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileImportRequestRow, ArchiveFileRow } from "../../index/rows.ts";
import type { ImportCallback, StatInfo } from "../extension-api.ts";
import { childPath, invalidImportPath, isNodeFileRel, relativeToRoot } from "../fs/paths.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { triggerAutoactions } from "./autoactions.ts";
import { completeRequest, type ImportResult } from "./complete.ts";
import type { Settle } from "./tracker.ts";

export interface ImportOptions {
  readonly register: boolean;
  readonly req?: ArchiveFileImportRequestRow | null;
  /** Reports whether the file was decided (registered or refused) or left for later. */
  readonly settle?: Settle;
  /** Skip if an import of this path is already queued on the node (watcher events). */
  readonly dedupe?: boolean;
}

/**
 * `path` (root-relative or absolute) as the root-relative path to import, or null (logged) for
 * the paths an import never looks at: the root itself, a path outside it, the node's
 * ALPENHORN_NODE file.
 */
export function importTarget(unode: NodeTarget, path: string): string | null {
  const { ctx } = unode;
  const root = unode.row.root ?? "";
  if (path === root) {
    ctx.log.debug("Skipping import request of node root");
    return null;
  }
  let rel = path;
  if (isAbsolute(path)) {
    const r = relativeToRoot(root, path);
    if (r === null || r === ".") {
      ctx.log.warning(`Ignoring import of ${path}: not rooted under node ${root}`);
      return null;
    }
    rel = r;
  }
  if (isNodeFileRel(root, rel)) {
    ctx.log.debug("ignoring ALPENHORN_NODE file during import");
    return null;
  }
  return rel;
}

/** Queue the import of `path` (root-relative or absolute) on `unode`; false if nothing was queued. */
export async function importFile(unode: NodeTarget, path: string, opts: ImportOptions): Promise<boolean> {
  const { ctx } = unode;
  const rel = importTarget(unode, path);
  if (rel === null) {
    await completeRequest(ctx, opts.req, "ignored", unode.where);
    await opts.settle?.(true);
    return false;
  }
  if (opts.dedupe) {
    if (unode.pendingImports.has(rel)) return false;
    unode.pendingImports.add(rel);
  }
  const fifo = unode.fifo;
  if (!unode.io || !fifo) return false;
  const task = new Task({
    queue: ctx.queue,
    key: fifo,
    name: `Import ${rel} on ${unode.name}`,
    requeue: !opts.req,
    log: ctx.log,
    body: () => importTask(unode, rel, opts),
    onDropped: () => {
      unode.pendingImports.delete(rel);
      void opts.settle?.(false);
    },
  });
  return task.queued;
}

/** The body of `Import {path} on {node}`; yields a delay while the path is not ready. */
async function* importTask(unode: NodeTarget, path: string, opts: ImportOptions): AsyncGenerator<number, void, void> {
  unode.pendingImports.delete(path);
  let resolved = false;
  try {
    resolved = yield* importSteps(unode, path, opts);
  } finally {
    await opts.settle?.(resolved);
  }
}

/** Returns true when the file was decided (registered or refused), false when left for later. */
async function* importSteps(unode: NodeTarget, path: string, opts: ImportOptions): AsyncGenerator<number, boolean, void> {
  const { ctx } = unode;
  const io = unode.io!;
  const node = unode.row;
  const req = opts.req;
  const finish = async (result: ImportResult) => {
    await completeRequest(ctx, req, result, unode.where);
    return true;
  };

  const full = await unode.fs.confine(node.root ?? "", path);
  if (full === null) {
    // Through a symlink out of the tree: alpenhorn would import it; we refuse.
    ctx.log.warning(`Ignoring import of ${path}: not rooted under node ${node.root}`);
    return await finish("ignored");
  }
  const first = await unode.fs.lstat(full).catch(() => null);
  if (first?.kind !== "file") {
    ctx.log.info(`Not importing "${path}": not a file.`);
    return await finish("non-file");
  }
  ctx.log.debug(`Considering "${path}" for import to node ${node.name}.`);
  if (basename(path).startsWith(".")) {
    ctx.log.info(`Not importing "${path}": filename starts with a dot.`);
    return await finish("bad name");
  }
  while (!(await io.readyPath(path))) {
    ctx.log.info(`Path "${path}" not ready for I/O during import.  Waiting 600 seconds.`);
    yield 600;
  }
  if (await io.locked(path)) {
    ctx.log.info(`Skipping "${path}": locked.`);
    return false;
  }

  // Detection: the first extension naming an acquisition wins.
  let acqName: string | null = null;
  let callback: ImportCallback | undefined;
  if (ctx.extensions.importDetect.length === 0) ctx.log.error("Attempt to import file with no import-detect extensions.");
  for (const l of ctx.extensions.importDetect) {
    const r = await l.ext.detect(ctx.db, path, node);
    if (r.acqName !== null && r.acqName !== undefined) {
      acqName = String(r.acqName);
      callback = r.callback;
      ctx.log.debug(`import detect succeeded using "${l.fullName}"`);
      break;
    }
  }
  if (acqName === null) {
    ctx.log.info(`Not importing non-acquisition path: ${path}`);
    return await finish("no detection");
  }
  const bad = invalidImportPath(acqName);
  if (bad) {
    ctx.log.warning(`Rejecting invalid acq path "${acqName}": ${bad}`);
    return await finish("bad acq");
  }
  const fileName = childPath(acqName, path);
  if (fileName === "" || fileName.startsWith("..")) {
    // alpenhorn crashes here (a detected acquisition that is not a parent of the path); we refuse it.
    ctx.log.warning(`Rejecting invalid acq path "${acqName}": not a parent of "${path}"`);
    return await finish("bad acq");
  }
  if (await copyTracked(ctx.db, node.id, acqName, fileName)) {
    ctx.log.debug(`Not importing ${path}: already known`);
    return await finish("duplicate");
  }

  const acq0 = await getAcqByName(ctx.db, acqName);
  if (acq0) ctx.log.debug(`Acquisition "${acqName}" already in DB.`);
  else if (!opts.register) {
    ctx.log.info(`Not importing unregistered acquistion: "${acqName}".`);
    return await finish("unregistered");
  }
  const file0 = acq0 ? await getFileInAcq(ctx.db, acq0.id, fileName) : undefined;
  let md5: string | null = null;
  let size: number | null = null;
  if (file0) ctx.log.debug(`File "${path}" already in DB.`);
  else if (!opts.register) {
    ctx.log.info(`Not importing unregistered file: "${path}".`);
    return await finish("unregistered");
  } else {
    ctx.log.debug(`Computing md5sum of "${path}".`);
    // Size and MD5 must describe the same bytes: the hash refuses a file written to while it
    // is read, and a stat on both sides catches a change between them (alpenhorn stats after
    // hashing only, so an append in between registers a mismatched pair).
    md5 = await io.md5(path, ctx.stop.any.signal);
    if (md5 === null) {
      // Vanished, unreadable or changing: undecided, so a later scan or request tries again.
      ctx.log.info(`Not importing "${path}": could not be read.`);
      return false;
    }
  }
  const st: StatInfo | null = await unode.fs.lstat(full).catch(() => null);
  if (st === null) {
    ctx.log.info(`Not importing "${path}": could not be read.`);
    return false;
  }
  if (md5 !== null) {
    if (st.size !== first.size || st.mtimeMs !== first.mtimeMs) {
      ctx.log.info(`Not importing "${path}": file changed during import.`);
      return false;
    }
    size = st.size;
  }
  const used: number | null = st.used;

  const outcome = await ctx.db.transaction(async (tx) => {
    let acq: ArchiveAcqRow;
    let newAcq: ArchiveAcqRow | null = null;
    if (acq0) acq = acq0;
    else {
      const r = await ensureAcq(tx, acqName);
      acq = r.acq;
      if (r.created) {
        newAcq = acq;
        ctx.log.info(`Acquisition "${acqName}" added to DB.`);
      }
    }
    let file: ArchiveFileRow;
    let newFile: ArchiveFileRow | null = null;
    if (file0) file = file0;
    else {
      const r = await ensureFile(tx, { acqId: acq.id, name: fileName, sizeB: size, md5sum: md5, registered: utcNow() });
      file = r.file;
      if (r.created) {
        newFile = file;
        ctx.log.info(`File "${path}" added to DB.`);
      }
    }
    const now = utcNow();
    let copy: ArchiveFileCopyRow | undefined = await getCopy(tx, file.id, node.id);
    if (copy && copy.has_file !== "N") return "duplicate" as const;
    if (copy) {
      const hasFile = copy.wants_file === "Y" ? "M" : "Y";
      if (hasFile === "M") ctx.log.warning(`Imported missing file "${path}" on node ${node.name}.  Marking suspect.`);
      else ctx.log.info(`Imported file copy "${path}" on node "${node.name}".`);
      await setCopyImported(tx, copy.id, hasFile, "Y", now);
      copy = { ...copy, has_file: hasFile, wants_file: "Y", ready: 1, last_update: now };
    } else {
      copy = await insertPresentCopy(tx, file.id, node.id, used, now);
      if (!copy) return "duplicate" as const;
      ctx.log.info(`Imported file copy "${path}" on node "${node.name}".`);
    }
    await triggerAutoactions(tx, ctx.log, node, file.id, path);
    await callback?.(tx, copy, newFile, newAcq, node);
    return "success" as const;
  });
  if (outcome === "duplicate") ctx.log.debug("ArchiveFileCopy created by another worker!");
  // Ours: files imported, whatever filed them (a request, a scan or auto-import); counted once committed.
  if (outcome === "success") ctx.metrics.inc("imported_files", { node: node.name });
  return await finish(outcome);
}
