// The entry of one fs thread: runs the operation each message names and posts back its result,
// an error (with the errno fields the daemon's messages use) or, for long operations, progress.

import { LONG_OPS, OPS, type OpName } from "./ops.ts";

/** A request from the pool. */
export interface OpRequest {
  readonly id: number;
  readonly op: OpName;
  readonly args: unknown[];
}

/** An error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly path?: string;
}

export type OpReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly id: number; readonly progress: number };

declare const self: Worker;

/** The least time between two progress messages of one call. */
const PROGRESS_MIN_MS = 50;

function wire(err: unknown): WireError {
  const e = err as NodeJS.ErrnoException;
  return { name: e?.name ?? "Error", message: String(e?.message ?? err), code: e?.code, errno: e?.errno, syscall: e?.syscall, path: e?.path };
}

self.onmessage = (event: MessageEvent<OpRequest>) => {
  const { id, op, args } = event.data;
  // Progress only restarts the caller's timeout (seconds long), so at most one message per
  // PROGRESS_MIN_MS: a batch reporting after each of a thousand small files would otherwise
  // wake the daemon's event loop a thousand times, for a timer it re-arms each time.
  let posted = performance.now();
  const progress = (bytes: number) => {
    const now = performance.now();
    if (now - posted < PROGRESS_MIN_MS) return;
    posted = now;
    self.postMessage({ id, progress: bytes } satisfies OpReply);
  };
  try {
    const fn = OPS[op] as (...a: unknown[]) => unknown;
    const value = LONG_OPS.has(op) ? fn(...args, progress) : fn(...args);
    self.postMessage({ id, ok: true, value } satisfies OpReply);
  } catch (err) {
    self.postMessage({ id, ok: false, error: wire(err) } satisfies OpReply);
  }
};
