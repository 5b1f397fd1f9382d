// A big file read on a second thread while its fs thread hashes it (src/engine/fs/threads/
// read-ahead.ts): every byte handed over once, in order, for any size against the slot size and
// any start; a failed read surfaces with its errno and leaves the reader fit for the next file;
// a reader that cannot start leaves the fs thread to read for itself. Real threads, real files.

import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { READ_AHEAD_MIN, ReadAhead } from "../../src/engine/fs/threads/read-ahead.ts";
import { bareContext } from "./_ctx.ts";
import { tempDir } from "../helpers/tmp.ts";

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

/** Bytes that differ at every offset (a piece handed twice or skipped changes the result). */
function pattern(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 7 + (i >> 8) * 13) & 0xff;
  return b;
}

/** Streams `path` from `from` through `reader`; the pieces joined, and the count it returned. */
function streamed(reader: ReadAhead, path: string, from = 0): { bytes: number | null; data: Buffer } {
  const fd = openSync(path, "r");
  try {
    const pieces: Buffer[] = [];
    const bytes = reader.stream(fd, from, (piece) => pieces.push(Buffer.from(piece))); // copied: the view is reused
    return { bytes, data: Buffer.concat(pieces) };
  } finally {
    closeSync(fd);
  }
}

const SMALL = { slots: 3, slotBytes: 4096 };
const readers: ReadAhead[] = [];
const reader = (r: ReadAhead) => (readers.push(r), r);
afterAll(() => readers.forEach((r) => r.stop()));

describe("ReadAhead", () => {
  test("hands every byte once, in order, for sizes around the slot and ring size and any start", () => {
    using tmp = tempDir("read-ahead");
    const dir = tmp.path;
    const r = reader(new ReadAhead(SMALL));
    // One reader for every case: each file must leave the ring ready for the next.
    for (const size of [0, 1, 4095, 4096, 4097, 8192, 12288, 12289, 3 * 4096 * 4 + 17, 100_000]) {
      const data = pattern(size);
      const path = join(dir, `f${size}`);
      writeFileSync(path, data);
      for (const from of [0, 1, 4096, Math.floor(size / 2), size, size + 10]) {
        const got = streamed(r, path, from);
        const want = data.subarray(Math.min(from, size));
        expect([size, from, got.bytes, md5(got.data)]).toEqual([size, from, want.length, md5(want)]);
      }
    }
  });

  test("a failed read throws its errno, and the reader goes on with the next file", () => {
    using tmp = tempDir("read-ahead-fail");
    const dir = tmp.path;
    const r = reader(new ReadAhead(SMALL));
    const fd = openSync(dir, "r"); // read(2) of a directory fails with EISDIR
    try {
      expect(() => r.stream(fd, 0, () => undefined)).toThrow(expect.objectContaining({ code: "EISDIR", syscall: "read" }));
    } finally {
      closeSync(fd);
    }
    const data = pattern(50_000);
    writeFileSync(join(dir, "after"), data);
    expect(md5(streamed(r, join(dir, "after")).data)).toBe(md5(data));
  });

  test("an error thrown by the taker ends that reader; the next file gets a new one", () => {
    using tmp = tempDir("read-ahead-taker");
    const dir = tmp.path;
    const r = reader(new ReadAhead(SMALL));
    const data = pattern(40_000);
    writeFileSync(join(dir, "f"), data);
    const fd = openSync(join(dir, "f"), "r");
    let pieces = 0;
    try {
      expect(() =>
        r.stream(fd, 0, () => {
          if (++pieces === 2) throw new Error("taker failed");
        }),
      ).toThrow("taker failed");
    } finally {
      closeSync(fd);
    }
    // The old reader was mid-file (slots full, a read perhaps under way): a stale piece
    // here would change the digest.
    const again = streamed(r, join(dir, "f"));
    expect([again.bytes, md5(again.data)]).toEqual([data.length, md5(data)]);
  });

  test("a reader that does not start, or cannot load, leaves the file to this thread", () => {
    using tmp = tempDir("read-ahead-none");
    const dir = tmp.path;
    writeFileSync(join(dir, "f"), pattern(10_000));
    const silent = join(dir, "silent-thread.ts");
    writeFileSync(silent, "self.onmessage = () => {};\n"); // never says it is ready
    expect(streamed(reader(new ReadAhead(SMALL, silent, 300)), join(dir, "f")).bytes).toBeNull();
    expect(streamed(reader(new ReadAhead(SMALL, join(dir, "no-such-thread.ts"), 300)), join(dir, "f")).bytes).toBeNull();
  });
});

describe("fs.md5 of a file big enough to be read ahead", () => {
  test("the fs thread's hash equals the file's, through the read-ahead thread", async () => {
    using tmp = tempDir("read-ahead-md5");
    const dir = tmp.path;
    const data = pattern(READ_AHEAD_MIN + 3 * (1 << 20) + 777);
    const path = join(dir, "big.dat");
    writeFileSync(path, data);
    const ctx = bareContext();
    expect(await ctx.fs.md5(path)).toEqual({ md5: md5(data), size: data.length });
    // A second big file on the same thread reuses its reader.
    const other = pattern(READ_AHEAD_MIN + 1).reverse();
    writeFileSync(path, other);
    expect(await ctx.fs.md5(path)).toEqual({ md5: md5(other), size: other.length });
  });
});
