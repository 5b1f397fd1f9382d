// One page of the S0 snapshot packed for the trip from the reading thread (snapshot-thread.ts)
// to the audit (snapshot.ts): the copies' numbers in typed arrays (moved, not copied), the
// names in runs of one acquisition, each run's names one NUL-joined string when every name in
// it is an ordinary base name (the form CopyTable keeps them in, so a run is filed whole), else
// a list. Pure: packPage runs in the thread, the reader on the audit's side.

import { HAS_CODES } from "./copy-table.ts";
import { fnv1a } from "./options.ts";
import type { HasFile } from "../../index/rows.ts";

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
  /** The last copy id (the next page starts after it). */
  readonly lastId: number;
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
  const page: PackedPage = { copyId, fileId, size, has, state, runs, acqs, lastId: n > 0 ? copyId[n - 1]! : 0 };
  return { page, transfer: [copyId.buffer, fileId.buffer, size.buffer, has.buffer, state.buffer] as ArrayBuffer[] };
}
