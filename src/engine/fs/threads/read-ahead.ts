// Reading a big file on a second thread while this fs thread hashes it. MD5 is one serial
// stream, so a hash can only go as fast as one core: with reads on the same thread, the copy
// out of the page cache (~0.3 s of a 2 GiB file's ~3.3 s here) adds to it. A read-ahead thread
// (read-ahead-thread.ts) fills a ring of slots in shared memory while this thread hashes the
// slot before: measured on a cached 2 GiB file, 2.94–2.96 s against 3.2–3.3 s for 1 MiB reads
// on one thread, and 3.4 s for md5sum.
//
// Each fs thread starts its reader the first time it hashes a big file and keeps it; a reader
// that does not start in time is given up, and the file is read on this thread as before. A
// hung read blocks the reader and this thread with it: the same one thread as a hung readSync,
// which the pool abandons after its timeout (pool.ts). The reader dies with its fs thread.

import { constants } from "node:os";
import { EMPTY, FAILED, LAST, Ring, type RingShape } from "./read-ahead-layout.ts";
import type { ReadAheadStart } from "./read-ahead-thread.ts";
import { threadEntry } from "../../thread-entry.ts";

/** Files at least this big are read ahead (below it the reader's hand-offs cost more than they save). */
export const READ_AHEAD_MIN = 64 << 20;
const SHAPE: RingShape = { slots: 4, slotBytes: 1 << 20 };
/** How long a new reader may take to start before its fs thread reads for itself. */
const START_MS = 2000;


const ERRNO_CODES = new Map(Object.entries(constants.errno).map(([code, n]) => [n, code]));

/** A failed read, with the errno fields the daemon's messages use. */
function readError(errno: number): NodeJS.ErrnoException {
  const code = ERRNO_CODES.get(errno) ?? "EIO";
  return Object.assign(new Error(`${code}: read failed`), { code, errno: -errno, syscall: "read" });
}

/** One fs thread's reader: `stream` hands each piece of a file to `take`, in order. */
export class ReadAhead {
  private worker: Worker | undefined;
  private ring: Ring | undefined;
  /** The reader failed to start once: this thread reads for itself from then on. */
  private unavailable = false;

  constructor(
    private readonly shape: RingShape = SHAPE,
    private readonly url: string = threadEntry("src/engine/fs/threads/read-ahead-thread"),
    private readonly startMs: number = START_MS,
  ) {}

  /**
   * Reads `fd` from byte `from` to its end through the reader, giving each piece to `take`
   * (a view of shared memory, valid until `take` returns); the number of bytes read, or null
   * when no reader could be started (read the file yourself). A failed read throws its errno.
   */
  stream(fd: number, from: number, take: (piece: Uint8Array) => void): number | null {
    const ring = this.started();
    if (!ring) return null;
    const { slots } = this.shape;
    let bytes = 0;
    let readFailed = false;
    try {
      ring.postJob(fd, from);
      for (let i = 0; ; i = (i + 1) % slots) {
        const state = ring.awaitFilled(i);
        const length = ring.length(i);
        if (state === FAILED) {
          ring.set(i, EMPTY);
          readFailed = true;
          throw readError(length);
        }
        take(ring.buffers[i]!.subarray(0, length));
        bytes += length;
        ring.set(i, EMPTY);
        if (state === LAST) return bytes;
      }
    } catch (err) {
      // A read error leaves the ring empty and the reader waiting for the next job; anything
      // else (thrown by `take`) leaves it mid-file: start afresh next time.
      if (!readFailed) this.stop();
      throw err;
    }
  }

  private started(): Ring | undefined {
    if (this.ring || this.unavailable) return this.ring;
    const ring = Ring.create(this.shape);
    let worker: Worker;
    try {
      worker = new Worker(this.url);
    } catch {
      this.unavailable = true;
      return undefined;
    }
    worker.unref();
    worker.postMessage({ sab: ring.sab, shape: this.shape } satisfies ReadAheadStart);
    if (!ring.awaitReady(this.startMs)) {
      worker.terminate();
      this.unavailable = true;
      return undefined;
    }
    this.worker = worker;
    this.ring = ring;
    return ring;
  }

  /** Ends the reader (the next big file starts a new one). */
  stop(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.ring = undefined;
  }
}
