// The MD5 of a file rsync is receiving, computed while it arrives (remote-pull.ts). Verifying a
// remote pull used to read the received file back after rsync exited: for 1 GiB that is 1.6 s
// of MD5 after a 1.1 s transfer on loopback. The hash is the same work, but done on another core
// while rsync runs, it costs little more than the transfer.
//
// Why the bytes hashed are the file's final bytes: into a fresh private directory (no basis
// file, no --inplace, --partial-dir or --fuzzy), rsync writes a new temporary `.NAME.XXXXXX`
// from its start to its end, in order (a --sparse run of zeros is seeked over, and reads as
// zeros before and after), then renames it to NAME; a byte below the file's size is never
// written twice. A second pass after a failed whole-file check writes a new temporary (a new
// inode), as does anything else that replaces the file. So the result names the inode it read
// and the size it reached after rsync exited, and pullAdopt uses it only for that inode at that
// size; in every other case, and for any mismatch, it reads the file back as before.

import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { TAIL_ENDED, TAIL_FAILED, type TailHash } from "../../extension-api.ts";
import { PROGRESS_BYTES, readBuffer, type Progress } from "./hash.ts";

/** Longest wait for new bytes (or the end) between two reads at the end of the file. */
const POLL_MS = 5;
/** The flag's value while the transfer runs (extension-api.ts: TAIL_ENDED, TAIL_FAILED after). */
const TAIL_RUNNING = 0;

/** rsync's temporary for `name` (`.NAME.XXXXXX`), or `name` itself once renamed. */
const isReceiving = (entry: string, name: string) => entry === name || (entry.length === name.length + 8 && entry.startsWith(`.${name}.`));

/**
 * Hash the file rsync writes for `name` in `tempDir` as it grows, until `flag[0]` leaves
 * TAIL_RUNNING; null when the transfer failed or the file could not be followed (the caller
 * then reads the file back).
 */
export function pullTail(tempDir: string, name: string, flag: Int32Array, progress: Progress): TailHash | null {
  let fd: number | undefined;
  try {
    // Wait for the file to appear.
    while (fd === undefined) {
      const state = Atomics.load(flag, 0);
      let entry: string | undefined;
      try {
        entry = readdirSync(tempDir).find((e) => isReceiving(e, name));
      } catch {
        return null;
      }
      if (entry !== undefined) {
        try {
          fd = openSync(join(tempDir, entry), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
        } catch {
          // Renamed between the listing and the open: list again.
        }
        if (fd !== undefined && !fstatSync(fd).isFile()) return null;
        continue;
      }
      // Ended before anything appeared (or failed): nothing to follow.
      if (state !== TAIL_RUNNING) return null;
      Atomics.wait(flag, 0, TAIL_RUNNING, POLL_MS);
    }
    const buffer = readBuffer();
    const hasher = new Bun.CryptoHasher("md5");
    let size = 0;
    let reported = 0;
    for (;;) {
      // Read the end flag before the read: a read of 0 bytes after the transfer ended is the end.
      const state = Atomics.load(flag, 0);
      if (state === TAIL_FAILED) return null;
      const n = readSync(fd, buffer, 0, buffer.length, size);
      if (n > 0) {
        hasher.update(buffer.subarray(0, n));
        size += n;
        if (size - reported >= PROGRESS_BYTES) {
          reported = size;
          progress(size);
        }
        continue;
      }
      if (state === TAIL_ENDED) {
        const st = fstatSync(fd, { bigint: true });
        // Cut short after we read (not rsync's way): the caller reads the file back.
        if (st.size !== BigInt(size)) return null;
        return { md5: hasher.digest("hex"), size, dev: String(st.dev), ino: String(st.ino) };
      }
      progress(size);
      Atomics.wait(flag, 0, TAIL_RUNNING, POLL_MS);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
