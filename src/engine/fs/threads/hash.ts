// MD5 of an open regular file, as every fs-thread hash computes it: 1 MiB reads streamed
// through Bun's native hasher (as fast as md5sum here: npm run bench), progress every 32 MiB
// (the unit alpenhorn's MD5 timeout guards), and the file compared before and after: a size
// or mtime that moved means a writer was at work, and the digest describes no state of it.

import { fstatSync, readSync, type BigIntStats } from "node:fs";

/** Reports bytes hashed so far, so the caller's timeout can restart. */
export type Progress = (bytes: number) => void;

const CHUNK = 1 << 20;
export const PROGRESS_BYTES = 32 << 20;
let buffer: Buffer | undefined;
/** The thread's read buffer (one op runs at a time on a thread: tail-hash.ts reads into it too). */
export const readBuffer = (): Buffer => (buffer ??= Buffer.allocUnsafe(CHUNK));

export type FdHash = { readonly md5: string; readonly size: number; readonly used: number } | { readonly changed: true };

/**
 * Hash `fd` from its current offset, or from byte `from` when given (a file just written, whose
 * offset is at its end); `before` is its fstat taken before anything was read.
 */
export function hashFd(fd: number, before: BigIntStats, progress: Progress, from?: number): FdHash {
  const buffer = readBuffer();
  const hasher = new Bun.CryptoHasher("md5");
  let bytes = 0;
  let reported = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, CHUNK, from === undefined ? null : from + bytes);
    if (n <= 0) break;
    hasher.update(buffer.subarray(0, n));
    bytes += n;
    if (bytes - reported >= PROGRESS_BYTES) {
      reported = bytes;
      progress(bytes);
    }
    // A short read of a regular file is its end: no second read() for a small file (a file
    // that grows meanwhile is caught by the size check below).
    if (n < CHUNK) break;
  }
  const after = fstatSync(fd, { bigint: true });
  if (BigInt(bytes) !== after.size || before.mtimeNs !== after.mtimeNs) return { changed: true };
  return { md5: hasher.digest("hex"), size: bytes, used: Number(after.blocks) * 512 };
}
