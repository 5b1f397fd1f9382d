// The received file hashed while it arrives (src/engine/fs/threads/tail-hash.ts) and what
// pullAdopt does with that hash: it stands for the file only for the inode it read, at the size
// it reached after the transfer ended, and only to accept the expected MD5; everything else is
// answered by reading the file back. Real fs threads, real files, real rsync.

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync, closeSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { TAIL_ENDED, TAIL_FAILED, type TailHash } from "../../src/engine/extension-api.ts";
import { bareContext } from "./_ctx.ts";
import { tempDir } from "../helpers/tmp.ts";

const md5 = (b: Buffer | string) => createHash("md5").update(b).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const end = (flag: Int32Array, how: number) => {
  Atomics.store(flag, 0, how);
  Atomics.notify(flag, 0);
};

/** A pull's private directory under a node root, as fs.pullTempDir makes it. */
async function privateDir(ctx: ReturnType<typeof bareContext>, root: string): Promise<string> {
  mkdirSync(join(root, "acq"), { recursive: true });
  return ctx.fs.pullTempDir(join(root, "acq", "big.dat"));
}

/** Write `data` into `path` in `pieces`, a pause between each, as a transfer tool does. */
async function writeSlowly(path: string, data: Buffer, pieces: number): Promise<void> {
  const fd = openSync(path, "wx");
  try {
    const step = Math.ceil(data.length / pieces);
    for (let at = 0; at < data.length; at += step) {
      writeSync(fd, data, at, Math.min(step, data.length - at), at);
      await sleep(15);
    }
  } finally {
    closeSync(fd);
  }
}

describe("hash while the file arrives", () => {
  test("rsync's temporary followed to its end and its rename: the hash of the final file, by its inode", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const dir = await privateDir(ctx, tmp.path);
    const data = Buffer.alloc(3 << 20, 7);
    data.write("head", 0);
    data.write("tail", data.length - 4);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const tail = ctx.fs.pullTail(dir, "big.dat", flag);
    await sleep(30);
    await writeSlowly(join(dir, ".big.dat.Ab3xYz"), data, 12);
    renameSync(join(dir, ".big.dat.Ab3xYz"), join(dir, "big.dat"));
    end(flag, TAIL_ENDED);
    const h = (await tail)!;
    expect(h).toEqual({ md5: md5(data), size: data.length, dev: String(statSync(join(dir, "big.dat"), { bigint: true }).dev), ino: String(statSync(join(dir, "big.dat"), { bigint: true }).ino) });
  });

  test("a failed transfer, or one that ends before any file appears, gives no hash", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const dir = await privateDir(ctx, tmp.path);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const tail = ctx.fs.pullTail(dir, "big.dat", flag);
    const fd = openSync(join(dir, ".big.dat.q1w2e3"), "wx");
    writeSync(fd, Buffer.alloc(1 << 20, 1));
    await sleep(40);
    end(flag, TAIL_FAILED);
    closeSync(fd);
    expect(await tail).toBeNull();

    const dir2 = await privateDir(ctx, join(tmp.path, "second"));
    const flag2 = new Int32Array(new SharedArrayBuffer(4));
    const tail2 = ctx.fs.pullTail(dir2, "big.dat", flag2);
    await sleep(20);
    end(flag2, TAIL_ENDED);
    expect(await tail2).toBeNull();
  });

  test("the hash of a real rsync's transfer is the received file's (and it names the received inode)", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const dir = await privateDir(ctx, tmp.path);
    const source = join(tmp.path, "source.dat");
    const data = Buffer.alloc(24 << 20);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i * 2654435761 >>> 0, i);
    writeFileSync(source, data);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const tail = ctx.fs.pullTail(dir, "big.dat", flag);
    const rsync = Bun.spawn(["rsync", "--times", "--sparse", "--bwlimit=40000", source, join(dir, "big.dat")], { stdout: "ignore", stderr: "pipe" });
    const rc = await rsync.exited;
    end(flag, rc === 0 ? TAIL_ENDED : TAIL_FAILED);
    expect(rc).toBe(0);
    const h = (await tail)!;
    const st = statSync(join(dir, "big.dat"), { bigint: true });
    expect(h).toEqual({ md5: md5(data), size: data.length, dev: String(st.dev), ino: String(st.ino) });
  });
});

describe("pullAdopt with a hash taken while the file arrived", () => {
  async function received(ctx: ReturnType<typeof bareContext>, root: string, body: string) {
    const dir = await privateDir(ctx, root);
    const file = join(dir, "big.dat");
    writeFileSync(file, body);
    const st = statSync(file, { bigint: true });
    const target = join(root, "acq", "big.dat");
    const id = { dev: String(st.dev), ino: String(st.ino), size: body.length };
    return { dir, file, target, id };
  }

  test("a hash naming the file's inode and size and the expected MD5 is taken as is: adopted without reading the file again", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const r = await received(ctx, tmp.path, "the bytes");
    const pre: TailHash = { ...r.id, md5: md5("the bytes") };
    expect(await ctx.fs.pullAdopt(r.file, r.target, md5("the bytes"), r.dir, pre)).toMatchObject({ state: "adopted", size: 9, md5: md5("the bytes") });
    expect(readFileSync(r.target, "utf8")).toBe("the bytes");
    expect(existsSync(r.dir)).toBe(false);
    // Taken as is: a hash claiming other bytes than the file holds (which pullTail never gives
    // for its inode) is believed. This is what spares the read-back; the guards are the inode,
    // the size and the flag that says the writer is done.
    const lie = await received(ctx, join(tmp.path, "lie"), "other bytes");
    expect(await ctx.fs.pullAdopt(lie.file, lie.target, md5("the bytes!!"), lie.dir, { ...lie.id, md5: md5("the bytes!!") })).toMatchObject({ state: "adopted", md5: md5("the bytes!!") });
  });

  test("a hash of another inode, another size, or another MD5 is not taken: the file is read back", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const expected = md5("good bytes");
    // Each claims the expected MD5 for bytes that are not the expected ones: only a read-back
    // finds them out.
    const cases: Array<[string, (id: { dev: string; ino: string; size: number }) => TailHash]> = [
      ["another inode", (id) => ({ ...id, ino: String(BigInt(id.ino) + 1n), md5: expected })],
      ["another device", (id) => ({ ...id, dev: String(BigInt(id.dev) + 1n), md5: expected })],
      ["another size", (id) => ({ ...id, size: id.size + 1, md5: expected })],
    ];
    for (const [label, pre] of cases) {
      const r = await received(ctx, join(tmp.path, label.replaceAll(" ", "-")), "bad  bytes");
      const got = await ctx.fs.pullAdopt(r.file, r.target, expected, r.dir, pre(r.id));
      expect([label, got]).toEqual([label, { state: "mismatch", size: 10, md5: md5("bad  bytes") }]);
      expect(existsSync(r.target)).toBe(false);
    }
    // A hash that disagrees with the index is never the last word either: the read-back is.
    const r = await received(ctx, join(tmp.path, "disagrees"), "good bytes");
    expect(await ctx.fs.pullAdopt(r.file, r.target, expected, r.dir, { ...r.id, md5: md5("other") })).toMatchObject({ state: "adopted", md5: expected });
  });

  test("a temporary replaced by a new one (rsync's second pass) is followed no further: its hash names the first inode", async () => {
    await using tmp = tempDir();
    const ctx = bareContext();
    const dir = await privateDir(ctx, tmp.path);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const tail = ctx.fs.pullTail(dir, "big.dat", flag);
    await writeSlowly(join(dir, ".big.dat.first1"), Buffer.from("first pass, corrupt"), 2);
    await sleep(30);
    unlinkSync(join(dir, ".big.dat.first1"));
    writeFileSync(join(dir, ".big.dat.redo22"), "second pass, right");
    renameSync(join(dir, ".big.dat.redo22"), join(dir, "big.dat"));
    end(flag, TAIL_ENDED);
    const h = await tail;
    const st = statSync(join(dir, "big.dat"), { bigint: true });
    // Either no hash, or the first inode's: never one the final file would be taken for.
    if (h !== null) expect(h.ino === String(st.ino) && h.size === Number(st.size)).toBe(false);
    const target = join(tmp.path, "acq", "big.dat");
    expect(await ctx.fs.pullAdopt(join(dir, "big.dat"), target, md5("second pass, right"), dir, h)).toMatchObject({ state: "adopted", md5: md5("second pass, right") });
  });
});
