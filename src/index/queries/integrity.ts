// The daemon's integrity and deletion queries: copies to check and their verdicts, the
// auto-verify walk, deletion candidates, and the claim that makes a deletion safe against
// other daemons (alpenhorn/io/default/check.py and delete.py at 632dd41; the in-task re-check
// is upstream's ArchiveFileCopy.check_delete, later than 632dd41: 89943e0).

import { archiveRuleAllowsDelete, isHealthyCopy, upForDeletion } from "../../common/archive-rule.ts";
import type { Db } from "../driver/types.ts";
import type { HasFile } from "../rows.ts";
import { chunks, placeholders } from "./bulk-common.ts";
import { layoutOf } from "../layout/detect.ts";
import { archiveNodeSql } from "../layout/node-columns.ts";

/** A copy with what its check needs: where it is and what it should hold. */
export interface CopyToCheck {
  readonly id: number;
  readonly file_id: number;
  readonly acq_name: string;
  readonly file_name: string;
  /** The file's registered size and MD5 (ArchiveFile), not the copy's storage size. */
  readonly size_b: number | null;
  readonly md5sum: string | null;
}

const COPY_WITH_FILE = `SELECT c.id, c.file_id, a.name AS acq_name, f.name AS file_name, f.size_b, f.md5sum
  FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id`;

/** Suspect copies on a node that are still wanted (a released copy is deleted, not checked). */
export function copiesToCheck(db: Db, nodeId: number): Promise<CopyToCheck[]> {
  return db.all<CopyToCheck>(`${COPY_WITH_FILE} WHERE c.node_id = ? AND c.has_file = 'M' AND c.wants_file <> 'N' ORDER BY c.id`, [nodeId]);
}

export interface CheckVerdict {
  readonly copyId: number;
  readonly hasFile: HasFile;
  /** Storage used by a healthy copy (recorded on success only). */
  readonly sizeB?: number;
}

/**
 * Record check verdicts in one transaction, each touching only the columns a check owns
 * (has_file, size_b on success, last_update). A copy removed or released meanwhile keeps its
 * state: the deletion owns it now. Returns how many verdicts were recorded.
 *
 * Verdicts are written set-wise, one UPDATE per distinct (has_file, size_b) — a batch of
 * healthy copies of one size is one statement. Of several verdicts on one copy in a batch,
 * the last one given is the one recorded (as writing them in order would leave it).
 */
export async function recordCheckVerdicts(db: Db, verdicts: readonly CheckVerdict[], now: string): Promise<number> {
  if (verdicts.length === 0) return 0;
  const last = new Map<number, CheckVerdict>();
  for (const v of verdicts) {
    last.delete(v.copyId);
    last.set(v.copyId, v);
  }
  const groups = new Map<string, { hasFile: HasFile; sizeB: number | undefined; ids: number[] }>();
  for (const v of last.values()) {
    const key = `${v.hasFile}:${v.sizeB ?? ""}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { hasFile: v.hasFile, sizeB: v.sizeB, ids: [] }));
    g.ids.push(v.copyId);
  }
  return db.transaction(async (tx) => {
    let n = 0;
    for (const g of groups.values()) {
      for (const part of chunks(tx, g.ids)) {
        const guard = `WHERE id IN (${placeholders(part.length)}) AND has_file <> 'N' AND wants_file <> 'N'`;
        const r =
          g.sizeB === undefined
            ? await tx.run(`UPDATE archivefilecopy SET has_file = ?, last_update = ? ${guard}`, [g.hasFile, now, ...part])
            : await tx.run(`UPDATE archivefilecopy SET has_file = ?, size_b = ?, last_update = ? ${guard}`, [g.hasFile, g.sizeB, now, ...part]);
        n += r.changes;
      }
    }
    return n;
  });
}

/** A copy the auto-verify walk visits. */
export interface WalkedCopy extends CopyToCheck {
  readonly last_update: string | null;
}

/** A random copy id among the node's present copies, where a walk starts; undefined if none. */
export async function randomWalkStart(db: Db, nodeId: number): Promise<number | undefined> {
  const row = await db.get<{ id: number }>(`SELECT id FROM archivefilecopy WHERE node_id = ? AND has_file <> 'N' ORDER BY ${db.dialect.randomOrder} LIMIT 1`, [nodeId]);
  return row === undefined ? undefined : Number(row.id);
}

/** Up to `n` present copies of the node with id ≥ `from`, in id order. */
export function walkCopies(db: Db, nodeId: number, from: number, n: number): Promise<WalkedCopy[]> {
  return db.all<WalkedCopy>(
    `SELECT c.id, c.file_id, a.name AS acq_name, f.name AS file_name, f.size_b, f.md5sum, c.last_update
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id
      WHERE c.node_id = ? AND c.has_file <> 'N' AND c.id >= ? ORDER BY c.id LIMIT ?`,
    [nodeId, from, n],
  );
}

/** Auto-verify: mark copies suspect (the next update checks them), unless removed meanwhile. */
export async function markSuspect(db: Db, ids: readonly number[], now: string): Promise<number> {
  let n = 0;
  for (const part of chunks(db, ids)) {
    const r = await db.run(`UPDATE archivefilecopy SET has_file = 'M', last_update = ? WHERE has_file <> 'N' AND id IN (${placeholders(part.length)})`, [now, ...part]);
    n += r.changes;
  }
  return n;
}

/** A copy the node update may delete. */
export interface DeleteCandidate extends CopyToCheck {
  readonly wants_file: "N" | "M";
  /** The copy's storage size (for freeing space), beside the file's size_b. */
  readonly copy_size_b: number | null;
}

/**
 * Present copies of a node that are released (wants_file N), plus the removable ones
 * (wants_file M) when `discretionary`, in copy-id order.
 */
export function deleteCandidates(db: Db, nodeId: number, discretionary: boolean): Promise<DeleteCandidate[]> {
  return db.all<DeleteCandidate>(
    `SELECT c.id, c.file_id, a.name AS acq_name, f.name AS file_name, f.size_b, f.md5sum, c.wants_file, c.size_b AS copy_size_b
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id
      WHERE c.node_id = ? AND c.has_file <> 'N' AND ${discretionary ? "c.wants_file <> 'Y'" : "c.wants_file = 'N'"} ORDER BY c.id`,
    [nodeId],
  );
}

/** Files with a pending copy request out of this node (their copies here are sources). */
export async function pendingSourceFileIds(db: Db, nodeId: number): Promise<Set<number>> {
  const rows = await db.all<{ file_id: number }>(
    "SELECT DISTINCT file_id FROM archivefilecopyrequest WHERE node_from_id = ? AND completed = 0 AND cancelled = 0",
    [nodeId],
  );
  return new Set(rows.map((r) => Number(r.file_id)));
}

/** Why a copy may not be deleted now (the row is left as it is). */
export type ClaimRefusal =
  | { readonly reason: "not-released" }
  | { readonly reason: "absent" }
  | { readonly reason: "too-few"; readonly archiveCopies: number }
  | { readonly reason: "transfer-pending" };

export type Claim = { readonly claimed: true; readonly previous: HasFile } | ({ readonly claimed: false } & ClaimRefusal);

export interface ClaimRules {
  /** Healthy archive copies required besides the one deleted. */
  readonly archiveCopies: number;
  /** Removable (wants_file M) copies may go too. */
  readonly discretionary: boolean;
}

/**
 * Claim a copy for deletion, inside the caller's write transaction: re-check on the latest
 * rows (locked until the transaction ends, so two daemons deleting copies of one file
 * serialise here) that it is still released and present, that at least `archiveCopies`
 * healthy copies on archive nodes other than it remain, and that no transfer reads from it;
 * then mark it suspect, so no other deletion counts it and no transfer uses it while its file
 * goes. `afterCount` is a test seam between the count and the write.
 */
export async function claimForDelete(tx: Db, copyId: number, rules: ClaimRules, afterCount?: () => Promise<void>): Promise<Claim> {
  return (await claimBatchForDelete(tx, [copyId], rules, afterCount))[0]!;
}

/** `SELECT … WHERE <column> IN (ids) <tail>` over `ids`, split to fit the parameter limit. */
async function allIn<T>(tx: Db, head: string, column: string, ids: readonly number[], tail = ""): Promise<T[]> {
  const out: T[] = [];
  for (const part of chunks(tx, ids)) out.push(...(await tx.all<T>(`${head} WHERE ${column} IN (${placeholders(part.length)})${tail}`, part)));
  return out;
}

/**
 * claimForDelete of each copy of a batch, with the same rules and outcomes (in the order
 * given), in a handful of set-wise statements rather than five per copy: the copies, every
 * copy of their files (locked), the archive nodes among those, the pending transfers out of
 * them, and one UPDATE of the claimed ones. A batch holding two copies of one file (one's
 * claim could change the other's count) is claimed copy by copy, as claimForDelete always did.
 */
export async function claimBatchForDelete(tx: Db, copyIds: readonly number[], rules: ClaimRules, afterCount?: () => Promise<void>): Promise<Claim[]> {
  if (copyIds.length === 0) return [];
  type Mine = { id: number; file_id: number; node_id: number };
  const me = new Map<number, Mine>();
  for (const r of await allIn<Mine>(tx, "SELECT id, file_id, node_id FROM archivefilecopy", "id", [...new Set(copyIds)])) me.set(Number(r.id), r);
  const fileIds = [...new Set([...me.values()].map((r) => Number(r.file_id)))];
  if (fileIds.length < me.size || new Set(copyIds).size < copyIds.length) {
    // Two copies of one file, or one copy given twice: claim them in turn, each seeing the last.
    const out: Claim[] = [];
    for (const id of copyIds) out.push(await claimOne(tx, id, rules, afterCount));
    return out;
  }
  type Row = { id: number; file_id: number; node_id: number; has_file: HasFile; wants_file: string };
  const byFile = new Map<number, Row[]>();
  const rows = fileIds.length === 0 ? [] : await allIn<Row>(tx, "SELECT id, file_id, node_id, has_file, wants_file FROM archivefilecopy", "file_id", fileIds, ` ORDER BY id${tx.dialect.lockRows}`);
  for (const r of rows) {
    const f = Number(r.file_id);
    let list = byFile.get(f);
    if (!list) byFile.set(f, (list = []));
    list.push(r);
  }
  const healthyNodes = [...new Set(rows.filter((r) => r.has_file === "Y").map((r) => Number(r.node_id)))];
  const archiveIds = new Set(
    healthyNodes.length === 0 ? [] : (await allIn<{ id: number }>(tx, "SELECT id FROM storagenode", "id", healthyNodes, ` AND ${archiveNodeSql(await layoutOf(tx), "storagenode")}`)).map((r) => Number(r.id)),
  );
  // Each copy's verdict up to the count, as claimForDelete reaches it.
  const outcome = new Map<number, Claim | { archived: number; mine: Row }>();
  for (const id of copyIds) {
    const m = me.get(id);
    const mine = m && byFile.get(Number(m.file_id))?.find((c) => Number(c.id) === id);
    if (!mine || mine.has_file === "N") outcome.set(id, { claimed: false, reason: "absent" });
    else if (!upForDeletion(mine, rules.discretionary)) outcome.set(id, { claimed: false, reason: "not-released" });
    else {
      const others = byFile.get(Number(mine.file_id))!.filter((c) => Number(c.id) !== id && isHealthyCopy(c));
      outcome.set(id, { archived: others.filter((c) => archiveIds.has(Number(c.node_id))).length, mine });
    }
  }
  const counted = [...outcome.values()].filter((o): o is { archived: number; mine: Row } => "mine" in o);
  if (counted.length > 0) await afterCount?.();
  const enough = counted.filter((o) => archiveRuleAllowsDelete(o.archived, rules.archiveCopies));
  const pending = new Set<string>();
  if (enough.length > 0) {
    const files = [...new Set(enough.map((o) => Number(o.mine.file_id)))];
    const reqs = await allIn<{ file_id: number; node_from_id: number }>(
      tx,
      "SELECT file_id, node_from_id FROM archivefilecopyrequest",
      "file_id",
      files,
      " AND completed = 0 AND cancelled = 0",
    );
    for (const r of reqs) pending.add(`${Number(r.file_id)}:${Number(r.node_from_id)}`);
  }
  const claims: Claim[] = [];
  const claimed: number[] = [];
  for (const id of copyIds) {
    const o = outcome.get(id)!;
    if (!("mine" in o)) claims.push(o);
    else if (!archiveRuleAllowsDelete(o.archived, rules.archiveCopies)) claims.push({ claimed: false, reason: "too-few", archiveCopies: o.archived });
    else if (pending.has(`${Number(o.mine.file_id)}:${Number(o.mine.node_id)}`)) claims.push({ claimed: false, reason: "transfer-pending" });
    else {
      claims.push({ claimed: true, previous: o.mine.has_file });
      claimed.push(id);
    }
  }
  for (const part of chunks(tx, claimed)) await tx.run(`UPDATE archivefilecopy SET has_file = 'M' WHERE id IN (${placeholders(part.length)})`, part);
  return claims;
}

/** One copy's claim, statement by statement (batches where copies' claims interact). */
async function claimOne(tx: Db, copyId: number, rules: ClaimRules, afterCount?: () => Promise<void>): Promise<Claim> {
  const me = await tx.get<{ file_id: number; node_id: number }>("SELECT file_id, node_id FROM archivefilecopy WHERE id = ?", [copyId]);
  if (!me) return { claimed: false, reason: "absent" };
  const copies = await tx.all<{ id: number; node_id: number; has_file: HasFile; wants_file: string }>(
    `SELECT id, node_id, has_file, wants_file FROM archivefilecopy WHERE file_id = ? ORDER BY id${tx.dialect.lockRows}`,
    [me.file_id],
  );
  const mine = copies.find((c) => Number(c.id) === copyId);
  if (!mine || mine.has_file === "N") return { claimed: false, reason: "absent" };
  if (!upForDeletion(mine, rules.discretionary)) return { claimed: false, reason: "not-released" };
  const others = copies.filter((c) => Number(c.id) !== copyId && isHealthyCopy(c));
  let archived = 0;
  if (others.length > 0) {
    const ids = [...new Set(others.map((c) => Number(c.node_id)))];
    const archive = await tx.all<{ id: number }>(`SELECT id FROM storagenode WHERE ${archiveNodeSql(await layoutOf(tx), "storagenode")} AND id IN (${placeholders(ids.length)})`, ids);
    const archiveIds = new Set(archive.map((r) => Number(r.id)));
    archived = others.filter((c) => archiveIds.has(Number(c.node_id))).length;
  }
  await afterCount?.();
  if (!archiveRuleAllowsDelete(archived, rules.archiveCopies)) return { claimed: false, reason: "too-few", archiveCopies: archived };
  const pending = await tx.get(
    "SELECT id FROM archivefilecopyrequest WHERE file_id = ? AND node_from_id = ? AND completed = 0 AND cancelled = 0 LIMIT 1",
    [me.file_id, me.node_id],
  );
  if (pending) return { claimed: false, reason: "transfer-pending" };
  await tx.run("UPDATE archivefilecopy SET has_file = 'M' WHERE id = ?", [copyId]);
  return { claimed: true, previous: mine.has_file };
}

/** The files of claimed copies are gone: record them removed and released. */
export async function recordDeleted(db: Db, ids: readonly number[], now: string): Promise<void> {
  for (const part of chunks(db, ids)) {
    await db.run(`UPDATE archivefilecopy SET has_file = 'N', wants_file = 'N', last_update = ? WHERE id IN (${placeholders(part.length)})`, [now, ...part]);
  }
}

/** A claimed copy whose file could not be removed: give back its state (if still claimed). */
export async function releaseClaim(db: Db, id: number, previous: HasFile): Promise<void> {
  await db.run("UPDATE archivefilecopy SET has_file = ? WHERE id = ? AND has_file = 'M'", [previous, id]);
}
