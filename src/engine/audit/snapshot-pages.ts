// The pages of the S0 snapshot, read and packed the same way wherever they are read (a thread of
// their own, snapshot-thread.ts, or the audit's thread, snapshot.ts): the copies' numbers in
// typed arrays (moved, not copied, between threads), the names in runs of one acquisition, each
// run's names one NUL-joined string when every name in it is an ordinary base name (the form
// CopyTable keeps them in, so a run is filed whole), else a list; the acquisitions' names with
// the first page that brings them.

import type { Db } from "../../index/driver/types.ts";
import { auditAcqNames, auditCopyValues } from "../../index/queries/audit.ts";
import type { HasFile } from "../../index/rows.ts";
import { HAS_CODES } from "./copy-table.ts";
import { fnv1a } from "./options.ts";

/** Rows per page: small pages keep the garbage of array rows low (peak RSS), at no cost in time. */
export const PAGE = 20_000;

/** The node's copies with afterId < id ≤ untilId as auditCopyValues pages them, in id order. */
export async function* pages(db: Db, nodeId: number, afterId = 0, untilId = Number.MAX_SAFE_INTEGER): AsyncGenerator<unknown[][]> {
  let after = afterId;
  for (;;) {
    const rows = await auditCopyValues(db, nodeId, after, PAGE, untilId);
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows[rows.length - 1]![0]);
    if (rows.length < PAGE) return;
  }
}

/** Those pages packed, each with the names of the acquisitions it is the first to bring. */
export async function* packedPages(db: Db, nodeId: number, afterId?: number, untilId?: number): AsyncGenerator<{ page: PackedPage; transfer: ArrayBuffer[] }> {
  const asked = new Set<number>();
  for await (const rows of pages(db, nodeId, afterId, untilId)) yield packPage(rows, await newAcqNames(db, rows, asked));
}

/**
 * The names of the acquisitions of `rows` (auditCopyValues) not in `asked`, which then holds
 * them: each is asked once, found or not (one deleted meanwhile is absent, and its copies are
 * dropped, as a join would drop them).
 */
export async function newAcqNames(db: Db, rows: readonly unknown[][], asked: Set<number>): Promise<Array<[number, string]>> {
  const fresh = new Set<number>();
  for (const r of rows) {
    const id = Number(r[2]);
    if (!asked.has(id)) fresh.add(id);
  }
  if (fresh.size === 0) return [];
  for (const id of fresh) asked.add(id);
  return (await auditAcqNames(db, [...fresh])).map(([id, name]) => [Number(id), String(name)]);
}

export interface PackedRun {
  readonly acqId: number;
  readonly start: number;
  readonly count: number;
  /** The names joined by NUL: set only when each is an ordinary base name (isPlainName). */
  readonly joined?: string;
  readonly list?: readonly string[];
}

export interface PackedPage {
  readonly copyId: Float64Array;
  readonly fileId: Float64Array;
  /** The file's indexed size; NaN when the index has none. */
  readonly size: Float64Array;
  /** HAS_CODES of has_file. */
  readonly has: Uint8Array;
  /** stateOf(`has_file || last_update`). */
  readonly state: Uint32Array;
  readonly runs: readonly PackedRun[];
  /** Acquisitions first seen in this page: [id, name]. */
  readonly acqs: ReadonlyArray<readonly [number, string]>;
}

/**
 * A base name CopyTable files as it is: not empty, no slash, not dot-named (the audit ignores
 * those), no NUL (the separator of packed names).
 */
export const isPlainName = (name: string) => name !== "" && name.charCodeAt(0) !== 46 && !name.includes("/") && !name.includes("\0");

/** Pack rows of auditCopyValues: [copy id, file id, acq id, name, size, state]. */
export function packPage(rows: readonly unknown[][], acqs: ReadonlyArray<readonly [number, string]>): { page: PackedPage; transfer: ArrayBuffer[] } {
  const n = rows.length;
  const copyId = new Float64Array(n);
  const fileId = new Float64Array(n);
  const size = new Float64Array(n);
  const has = new Uint8Array(n);
  const state = new Uint32Array(n);
  const runs: PackedRun[] = [];
  let runStart = 0;
  let runAcq = NaN;
  let names: string[] = [];
  let plain = true;
  const close = (end: number) => {
    if (end > runStart) runs.push(plain ? { acqId: runAcq, start: runStart, count: end - runStart, joined: names.join("\0") } : { acqId: runAcq, start: runStart, count: end - runStart, list: names });
  };
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const acqId = Number(r[2]);
    if (acqId !== runAcq) {
      close(i);
      runStart = i;
      runAcq = acqId;
      names = [];
      plain = true;
    }
    const name = r[3] as string;
    names.push(name);
    if (plain && !isPlainName(name)) plain = false;
    const st = String(r[5]);
    copyId[i] = Number(r[0]);
    fileId[i] = Number(r[1]);
    size[i] = r[4] === null ? NaN : Number(r[4]);
    has[i] = HAS_CODES[st[0] as HasFile] ?? 4;
    state[i] = fnv1a(st);
  }
  close(n);
  const page: PackedPage = { copyId, fileId, size, has, state, runs, acqs };
  return { page, transfer: [copyId.buffer, fileId.buffer, size.buffer, has.buffer, state.buffer] as ArrayBuffer[] };
}
