// Imports in batches: the task `Import {path} (+N more) on {node}` for the files of a big scan
// (scan.ts: more than BATCH_ABOVE). alpenhorn queues one task per file
// (alpenhorn/daemon/auto_import.py: import_file and _import_file at 632dd41), each with a few
// filesystem round trips, a dozen queries and a transaction: a scan of thousands of small files
// spends its time there. A batch vets and decides every file as that task does, with the same
// log lines and results, on facts gathered once: one fs-thread call (NodeIO.importBatch:
// confine, lstat, lock file, MD5), set-wise lookups, the pattern_importer's type tables read
// once, and one transaction for all the rows. Each file still settles its scan request's
// tracker on its own (tracker.ts).

import { basename } from "node:path";
import { utcNow } from "../../common/time.ts";
import { setCopyImported } from "../../index/queries/copies.ts";
import { acqsByName, copiesOfFilesOnNode, ensureAcqs, ensureFiles, filesOnNode, insertPresentCopies, type FileOnNode } from "../../index/queries/import-batch.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow } from "../../index/rows.ts";
import type { ImportCallback, ImportFact } from "../extension-api.ts";
import { insertAcqDataMany, insertFileDataMany, type TypedRow } from "../../index/queries/pattern-importer.ts";
import { detectByPatterns, matchWithTypes, readPatternTypes, type PatternMatch, type PatternTypes } from "../extensions/pattern-detect.ts";
import { childPath, invalidImportPath } from "../fs/paths.ts";
import { retryBusy } from "../retry.ts";
import { Task } from "../scheduler/task.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { triggerAutoactionsMany, type NewCopy } from "./autoactions.ts";
import type { Settle } from "./tracker.ts";

/** A scan batches its imports only when it finds more files to import than this. */
export const BATCH_ABOVE = 100;
/** Files per batch task. */
export const IMPORT_BATCH = 1000;
/**
 * Bytes a batch hashes in one go: a scan does not know sizes, so the cap applies as the task
 * runs; what is left is done after the task yields (other FIFOs' tasks run in between).
 */
export const IMPORT_BATCH_BYTES = 256 << 20;

/** Bookkeeping retries, as the pull's (pull/finish.ts). */
const BOOK = { tries: 12 } as const;

export interface BatchItem {
  /** Root-relative (importTarget). */
  readonly rel: string;
  readonly settle?: Settle;
}

export function batchTaskName(items: readonly BatchItem[], node: string): string {
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : "";
  return `Import ${items[0]!.rel}${more} on ${node}`;
}

/** Queue one batch task; `dedupe`: skip paths already queued for import on the node (auto-import). */
export function queueImportBatch(unode: NodeTarget, items: readonly BatchItem[], register: boolean, dedupe: boolean): void {
  const { ctx, fifo } = unode;
  if (dedupe) {
    items = items.filter((i) => !unode.pendingImports.has(i.rel));
    for (const i of items) unode.pendingImports.add(i.rel);
  }
  if (items.length === 0 || !fifo || !unode.io) return;
  new Task({
    queue: ctx.queue,
    key: fifo,
    name: batchTaskName(items, unode.name),
    requeue: true,
    log: ctx.log,
    body: () => importBatchTask(unode, items, register),
    onDropped: () => {
      for (const i of items) {
        unode.pendingImports.delete(i.rel);
        void i.settle?.(false);
      }
    },
  });
}

async function* importBatchTask(unode: NodeTarget, items: readonly BatchItem[], register: boolean): AsyncGenerator<number, void, void> {
  for (const i of items) unode.pendingImports.delete(i.rel);
  let rest = items;
  try {
    while (rest.length > 0 && !unode.ctx.stop.stopping) {
      rest = await importRound(unode, rest, register);
      if (rest.length > 0) yield 0;
    }
  } finally {
    // Whatever was not decided (an error, a stop) is left for later; settling twice is a no-op.
    for (const i of items) await i.settle?.(false);
  }
}

/** What the vetting learnt of one file before the filesystem is asked. */
interface Vetted {
  readonly item: BatchItem;
  readonly dot: boolean;
  /** Detection's lines, for the log in the file's order. */
  readonly detectLog: readonly string[];
  readonly acqName: string | null;
  readonly callback?: ImportCallback;
  /** The built-in pattern_importer's types of the file, written set-wise instead of by a callback. */
  readonly types?: PatternMatch;
  /** Why the acquisition is refused ("bad acq"), when it is. */
  readonly badAcq?: string;
  readonly fileName?: string;
  readonly acq0?: ArchiveAcqRow;
  readonly file0?: FileOnNode;
}

interface ToRegister {
  readonly item: BatchItem;
  readonly acqName: string;
  readonly fileName: string;
  readonly callback?: ImportCallback;
  readonly types?: PatternMatch;
  readonly acq0?: ArchiveAcqRow;
  readonly file0?: ArchiveFileRow;
  readonly size: number | null;
  readonly md5: string | null;
  readonly used: number;
}

/** One round of a batch: every item decided or left undecided, except those past the hashing budget (returned). */
async function importRound(unode: NodeTarget, items: readonly BatchItem[], register: boolean): Promise<BatchItem[]> {
  const io = unode.io;
  if (!io?.importBatch) {
    for (const i of items) await i.settle?.(false);
    return [];
  }
  const vetted = await vet(unode, items);
  // Hashed: the files the per-file task would hash, those it would register (not yet in the index).
  const needsHash = (v: Vetted) => register && !v.dot && v.fileName !== undefined && !v.file0;
  let facts: ImportFact[];
  try {
    facts = await io.importBatch(
      vetted.map((v) => ({ rel: v.item.rel, hash: needsHash(v) })),
      IMPORT_BATCH_BYTES,
    );
  } catch (err) {
    // The storage did not answer (logged by the fs service): every file waits for a later scan.
    if (!["FsTimeoutError", "FsBlockedError"].includes((err as Error)?.name)) throw err;
    for (const i of items) await i.settle?.(false);
    return [];
  }

  const later: BatchItem[] = [];
  const register_: ToRegister[] = [];
  for (const [k, v] of vetted.entries()) {
    const fact = facts[k]!;
    if (fact.state === "later") {
      later.push(v.item);
      continue;
    }
    const decided = decide(unode, v, fact, register);
    if (decided === "register") {
      const f = fact as Extract<ImportFact, { state: "file" }>;
      register_.push({
        item: v.item,
        acqName: v.acqName!,
        fileName: v.fileName!,
        callback: v.callback,
        types: v.types,
        acq0: v.acq0,
        file0: v.file0,
        size: f.md5 === null ? null : f.size,
        md5: f.md5,
        used: f.used,
      });
      continue;
    }
    await v.item.settle?.(decided);
  }
  if (register_.length > 0) await book(unode, register_);
  return later;
}

const tracked = (v: Vetted) => v.file0 !== undefined && v.file0.copy_has_file !== null && v.file0.copy_has_file !== "N";

/**
 * The names, detection and index facts of each file: dot names, detection (the built-in
 * pattern_importer against one read of its type tables; other extensions per file, as they
 * are), the acquisition's validity, and which acquisitions and files exist (set-wise).
 */
async function vet(unode: NodeTarget, items: readonly BatchItem[]): Promise<Vetted[]> {
  const { ctx } = unode;
  const node = unode.row;
  let types: PatternTypes | undefined;
  const out: Array<Omit<Vetted, "acq0" | "file0">> = [];
  for (const item of items) {
    const path = item.rel;
    if (basename(path).startsWith(".")) {
      out.push({ item, dot: true, detectLog: [], acqName: null });
      continue;
    }
    let acqName: string | null = null;
    let callback: ImportCallback | undefined;
    let matched: PatternMatch | undefined;
    const detectLog: string[] = [];
    for (const l of ctx.extensions.importDetect) {
      if (l.ext.detect === detectByPatterns) {
        // Its type tables, read once for the batch instead of once per file; its rows written set-wise.
        matched = matchWithTypes((types ??= await readPatternTypes(ctx.db)), path) ?? undefined;
        if (matched) acqName = matched.acqName;
      } else {
        const r = await l.ext.detect(ctx.db, path, node);
        if (r.acqName !== null && r.acqName !== undefined) {
          acqName = String(r.acqName);
          callback = r.callback;
        }
      }
      if (acqName !== null) {
        detectLog.push(`import detect succeeded using "${l.fullName}"`);
        break;
      }
    }
    if (acqName === null) {
      out.push({ item, dot: false, detectLog, acqName });
      continue;
    }
    const bad = invalidImportPath(acqName);
    if (bad) {
      out.push({ item, dot: false, detectLog, acqName, callback, badAcq: `Rejecting invalid acq path "${acqName}": ${bad}` });
      continue;
    }
    const fileName = childPath(acqName, path);
    if (fileName === "" || fileName.startsWith("..")) {
      // alpenhorn crashes here (a detected acquisition that is not a parent of the path); we refuse it.
      out.push({ item, dot: false, detectLog, acqName, callback, badAcq: `Rejecting invalid acq path "${acqName}": not a parent of "${path}"` });
      continue;
    }
    out.push({ item, dot: false, detectLog, acqName, callback, types: matched, fileName });
  }
  // Which acquisitions and files exist, and the files' copies on this node.
  const wanted = out.filter((v) => v.fileName !== undefined);
  const acqs = await acqsByName(ctx.db, wanted.map((v) => v.acqName!));
  const files = new Map<string, Map<string, FileOnNode>>();
  for (const [name, acq] of acqs) {
    const names = wanted.filter((v) => v.acqName === name).map((v) => v.fileName!);
    files.set(name, await filesOnNode(ctx.db, Number(acq.id), names, Number(node.id)));
  }
  return out.map((v) => (v.fileName === undefined ? v : { ...v, acq0: acqs.get(v.acqName!), file0: files.get(v.acqName!)?.get(v.fileName) }));
}

/**
 * The per-file import's decision on one file's facts, with its log lines in its order
 * (import-file.ts: importSteps): true decided, false left for later, "register" to book.
 */
function decide(unode: NodeTarget, v: Vetted, fact: ImportFact, register: boolean): boolean | "register" {
  const { log } = unode.ctx;
  const node = unode.row;
  const path = v.item.rel;
  if (fact.state === "outside") {
    log.warning(`Ignoring import of ${path}: not rooted under node ${node.root}`);
    return true;
  }
  if (fact.state === "non-file") {
    log.info(`Not importing "${path}": not a file.`);
    return true;
  }
  log.debug(`Considering "${path}" for import to node ${node.name}.`);
  if (v.dot) {
    log.info(`Not importing "${path}": filename starts with a dot.`);
    return true;
  }
  if (fact.state === "locked") {
    log.info(`Skipping "${path}": locked.`);
    return false;
  }
  if (unode.ctx.extensions.importDetect.length === 0) log.error("Attempt to import file with no import-detect extensions.");
  for (const line of v.detectLog) log.debug(line);
  if (v.acqName === null) {
    log.info(`Not importing non-acquisition path: ${path}`);
    return true;
  }
  if (v.badAcq) {
    log.warning(v.badAcq);
    return true;
  }
  if (tracked(v)) {
    log.debug(`Not importing ${path}: already known`);
    return true;
  }
  if (v.acq0) log.debug(`Acquisition "${v.acqName}" already in DB.`);
  else if (!register) {
    log.info(`Not importing unregistered acquistion: "${v.acqName}".`);
    return true;
  }
  if (v.file0) log.debug(`File "${path}" already in DB.`);
  else if (!register) {
    log.info(`Not importing unregistered file: "${path}".`);
    return true;
  } else log.debug(`Computing md5sum of "${path}".`);
  if (fact.state === "unread") {
    log.info(`Not importing "${path}": could not be read.`);
    return false;
  }
  if (fact.state === "changed") {
    log.info(`Not importing "${path}": file changed during import.`);
    return false;
  }
  return "register";
}

/**
 * The rows of the files to register, in one transaction (retried on a busy index): each
 * acquisition and file created once (insert-ignore: a row another worker made meanwhile is
 * used, not duplicated), each copy made present, the auto-actions of the new copies together,
 * the detecting extension's callback per file. The log lines follow the commit, file by file.
 */
async function book(unode: NodeTarget, regs: readonly ToRegister[]): Promise<void> {
  const { ctx } = unode;
  const node = unode.row;
  const nodeId = Number(node.id);
  type Outcome = { lines: Array<["info" | "warning", string]>; result: "success" | "duplicate" | "undecided" };
  const outcomes = await retryBusy(
    () =>
      ctx.db.transaction(async (tx) => {
        const out = regs.map((): Outcome => ({ lines: [], result: "undecided" }));
        const { acqs, created: newAcqs } = await ensureAcqs(
          tx,
          regs.filter((r) => !r.acq0).map((r) => r.acqName),
        );
        const acqOf = (r: ToRegister) => r.acq0 ?? acqs.get(r.acqName);
        // Files, per acquisition.
        const fileRows = new Map<number, ArchiveFileRow>();
        const newFiles = new Set<number>();
        const now = utcNow();
        const byAcq = new Map<number, number[]>();
        for (const [k, r] of regs.entries()) {
          const acq = acqOf(r);
          if (!acq) continue;
          if (r.file0) fileRows.set(k, r.file0);
          else {
            const ks = byAcq.get(Number(acq.id));
            if (ks) ks.push(k);
            else byAcq.set(Number(acq.id), [k]);
          }
        }
        for (const [acqId, ks] of byAcq) {
          // An acquisition this transaction created has no files yet: nothing to look up first.
          const fresh = newAcqs.has(regs[ks[0]!]!.acqName);
          const { files, created } = await ensureFiles(
            tx,
            acqId,
            ks.map((k) => ({ name: regs[k]!.fileName, sizeB: regs[k]!.size, md5sum: regs[k]!.md5 })),
            now,
            fresh,
          );
          for (const k of ks) {
            const f = files.get(regs[k]!.fileName);
            if (!f) continue;
            fileRows.set(k, f);
            // A name twice in one batch cannot happen (one scan walks each path once).
            if (created.has(regs[k]!.fileName)) newFiles.add(k);
          }
        }
        // Copies: made present, or a row found absent (has N) marked imported.
        const ids = [...fileRows.values()].map((f) => Number(f.id));
        const existing = await copiesOfFilesOnNode(tx, ids, nodeId);
        const toInsert: Array<{ fileId: number; sizeB: number | null }> = [];
        for (const [k, f] of fileRows) if (!existing.has(Number(f.id))) toInsert.push({ fileId: Number(f.id), sizeB: regs[k]!.used });
        await insertPresentCopies(tx, toInsert, nodeId, now);
        const inserted = toInsert.length > 0 ? await copiesOfFilesOnNode(tx, toInsert.map((c) => c.fileId), nodeId) : new Map<number, ArchiveFileCopyRow>();
        const seenAcq = new Set<string>();
        const newCopies: NewCopy[] = [];
        const callbacks: Array<() => Promise<void>> = [];
        const acqTypes: TypedRow[] = [];
        const fileTypes: TypedRow[] = [];
        for (const [k, r] of regs.entries()) {
          const o = out[k]!;
          const file = fileRows.get(k);
          const acq = acqOf(r);
          if (!file || !acq) {
            // A name matching another row's only under the database's collation (MySQL _ci).
            o.lines.push(["warning", `Not importing "${r.item.rel}": its acquisition or file row could not be made.`]);
            continue;
          }
          let newAcq: ArchiveAcqRow | null = null;
          if (newAcqs.has(r.acqName) && !seenAcq.has(r.acqName)) {
            seenAcq.add(r.acqName);
            newAcq = acq;
            o.lines.push(["info", `Acquisition "${r.acqName}" added to DB.`]);
          }
          const newFile = newFiles.has(k) ? file : null;
          if (newFile) o.lines.push(["info", `File "${r.item.rel}" added to DB.`]);
          const fileId = Number(file.id);
          let copy: ArchiveFileCopyRow | undefined = existing.get(fileId);
          if (copy && copy.has_file !== "N") {
            o.result = "duplicate";
            continue;
          }
          if (copy) {
            const hasFile = copy.wants_file === "Y" ? "M" : "Y";
            if (hasFile === "M") o.lines.push(["warning", `Imported missing file "${r.item.rel}" on node ${node.name}.  Marking suspect.`]);
            else o.lines.push(["info", `Imported file copy "${r.item.rel}" on node "${node.name}".`]);
            await setCopyImported(tx, copy.id, hasFile, "Y", now);
            copy = { ...copy, has_file: hasFile, wants_file: "Y", ready: 1, last_update: now };
          } else {
            copy = inserted.get(fileId);
            if (!copy) {
              o.result = "duplicate";
              continue;
            }
            o.lines.push(["info", `Imported file copy "${r.item.rel}" on node "${node.name}".`]);
          }
          o.result = "success";
          newCopies.push({ fileId, path: r.item.rel });
          const c = copy;
          if (r.callback) callbacks.push(() => r.callback!(tx, c, newFile, newAcq, node));
          // What the pattern_importer's callback would write for this file (detectWithTypes).
          if (r.types && newAcq) acqTypes.push({ id: Number(newAcq.id), typeId: r.types.acqTypeId });
          if (r.types && newFile) fileTypes.push({ id: fileId, typeId: r.types.fileTypeId });
        }
        await triggerAutoactionsMany(tx, ctx.log, node, newCopies);
        await insertAcqDataMany(tx, acqTypes);
        await insertFileDataMany(tx, fileTypes);
        for (const cb of callbacks) await cb();
        return out;
      }),
    BOOK,
  );
  let imported = 0;
  for (const [k, o] of outcomes.entries()) {
    for (const [level, line] of o.lines) ctx.log[level](line);
    if (o.result === "success") imported++;
    if (o.result === "duplicate") ctx.log.debug("ArchiveFileCopy created by another worker!");
    await regs[k]!.item.settle?.(o.result !== "undecided");
  }
  // Ours: files imported, whatever filed them (a request, a scan or auto-import); counted once committed.
  if (imported > 0) ctx.metrics.inc("imported_files", { node: node.name }, imported);
}
