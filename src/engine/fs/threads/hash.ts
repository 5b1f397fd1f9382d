// MD5 of an open regular file, as every fs-thread hash computes it: streamed through Bun's
// native hasher, in 1 MiB reads on this thread or, for a big file, read ahead on a second
// thread while this one hashes (read-ahead.ts); progress every 32 MiB (the unit alpenhorn's
// MD5 timeout guards), and the file compared before and after: a size or mtime that moved
// means a writer was at work, and the digest describes no state of it.

import { fstatSync, readSync, type BigIntStats } from "node:fs";
import { READ_AHEAD_MIN, ReadAhead } from "./read-ahead.ts";

/** Reports bytes hashed so far, so the caller's timeout can restart. */
export type Progress = (bytes: number) => void;

const CHUNK = 1 << 20;
export const PROGRESS_BYTES = 32 << 20;
let buffer: Buffer | undefined;
/** The thread's read buffer (one op runs at a time on a thread: tail-hash.ts reads into it too). */
export const readBuffer = (): Buffer => (buffer ??= Buffer.allocUnsafe(CHUNK));
let reader: ReadAhead | undefined;

export type FdHash = { readonly md5: string; readonly size: number; readonly used: number } | { readonly changed: true };

/**
 * Hash the whole file `fd` (read by position, whatever its offset: a file just written is hashed
 * through the fd that wrote it); `before` is its fstat taken before anything was read.
 */
export function hashFd(fd: number, before: BigIntStats, progress: Progress): FdHash {
  const hasher = new Bun.CryptoHasher("md5");
  let bytes = 0;
  let reported = 0;
  const take = (piece: Uint8Array) => {
    hasher.update(piece);
    bytes += piece.length;
    if (bytes - reported >= PROGRESS_BYTES) {
      reported = bytes;
      progress(bytes);
    }
  };
  const aheadBytes = before.size >= READ_AHEAD_MIN ? (reader ??= new ReadAhead()).stream(fd, 0, take) : null;
  if (aheadBytes === null) readHere(fd, take);
  const after = fstatSync(fd, { bigint: true });
  if (BigInt(bytes) !== after.size || before.mtimeNs !== after.mtimeNs) return { changed: true };
  return { md5: hasher.digest("hex"), size: bytes, used: Number(after.blocks) * 512 };
}

/** Reads all of `fd` on this thread, in the thread's one buffer. */
function readHere(fd: number, take: (piece: Uint8Array) => void): void {
  const buffer = readBuffer();
  for (let at = 0; ; ) {
    const n = readSync(fd, buffer, 0, CHUNK, at);
    if (n <= 0) return;
    take(buffer.subarray(0, n));
    at += n;
    // A short read of a regular file is its end: no second read() for a small file (a file
    // that grows meanwhile is caught by the size check).
    if (n < CHUNK) return;
  }
}
