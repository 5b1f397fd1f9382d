// DefaultNodeIO on a real temp tree (spec §4.4): file walk (our temp names and symlinks out of
// the root skipped), free space, storage used, md5, and refusal of paths leaving the root.

import { describe, expect, test } from "bun:test";
import { mkdirSync, statfsSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { DefaultNodeIO } from "../../src/engine/io/default/node.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { tempDir } from "../helpers/tmp.ts";
import { bareContext } from "./_ctx.ts";

function nodeIO(root: string) {
  const ctx = bareContext();
  const node = { id: 1, name: "n1", root, io_class: null, io_config: null } as unknown as StorageNodeRow;
  return { io: new DefaultNodeIO({ node, config: {}, fifo: "Node:n1:1", ctx }), ctx };
}

describe("DefaultNodeIO on a temp tree", () => {
  test("fileWalk: regular files only, sorted; temp names, symlinked files and symlinks out of the root skipped", () => {
    using outside = tempDir("outside");
    outside.write({ "secret.dat": "s" });
    using dir = tempDir("node");
    const root = dir.write({
      "ALPENHORN_NODE": "n1\n",
      "acq/b.dat": "b",
      "acq/a.dat": "a",
      "acq/.a.dat.lock": "",
      "acq/.c.dat.placeholder": "",
      "acq/.alpentempXYZ/c.dat": "partial",
      "acq/sub/d.dat": "d",
      "other/e.dat": "e",
    });
    symlinkSync(dir.join("acq/a.dat"), dir.join("acq/link.dat"));
    symlinkSync(dir.join("other"), dir.join("acq/inlink"));
    symlinkSync(outside.path, dir.join("acq/outlink"));
    const { io } = nodeIO(root);
    expect([...io.fileWalk("acq")]).toEqual([
      dir.join("acq/.a.dat.lock"),
      dir.join("acq/a.dat"),
      dir.join("acq/b.dat"),
      dir.join("acq/inlink/e.dat"),
      dir.join("acq/sub/d.dat"),
    ]);
    expect([...io.fileWalk("acq/a.dat")]).toEqual([dir.join("acq/a.dat")]);
    expect([...io.fileWalk("acq/link.dat")]).toEqual([]);
    expect([...io.fileWalk("missing")]).toEqual([]);
    expect(() => [...io.fileWalk("/etc")]).toThrow("path must be relative");
    expect(() => [...io.fileWalk("../x")]).toThrow("is not inside node root");
    expect(() => [...io.fileWalk("acq/outlink")]).toThrow("is not inside node root");
  });

  test("bytesAvail = bavail × bsize; storageUsed = blocks × 512; filesize; exists", () => {
    using dir = tempDir("node");
    const root = dir.write({ "a/big.dat": "x".repeat(100_000) });
    const { io } = nodeIO(root);
    const s = statfsSync(root);
    const avail = io.bytesAvail();
    expect(avail).toBeGreaterThan(0);
    // Other processes change free space between the two calls: allow some drift.
    expect(Math.abs(avail! - Number(s.bavail) * Number(s.bsize))).toBeLessThan(64 * 2 ** 20);
    const st = statSync(dir.join("a/big.dat"));
    expect(io.storageUsed("a/big.dat")).toBe(st.blocks * 512);
    expect(io.storageUsed(dir.join("a/big.dat"))).toBe(st.blocks * 512);
    expect(io.filesize("a/big.dat")).toBe(100_000);
    expect(io.exists("a/big.dat")).toBe(true);
    expect(io.exists("a")).toBe(false);
    expect(io.exists("../../etc/passwd")).toBe(false);
  });

  test("md5 of a known file; missing file → null with alpenhorn's warning; outside root → null", async () => {
    using outside = tempDir("outside");
    outside.write({ "abc.txt": "abc" });
    using dir = tempDir("node");
    const root = dir.write({ "acq/abc.txt": "abc" });
    mkdirSync(dir.join("acq/deep"));
    symlinkSync(outside.path, dir.join("acq/out"));
    const { io, ctx } = nodeIO(root);
    expect(await io.md5("acq/abc.txt")).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(ctx.metrics.value("hash_running_count")).toBe(0);
    expect(await io.md5("acq/none.txt")).toBeNull();
    expect(ctx.messages).toContain(`WARNING [MainThread] MD5 sum check for ${dir.join("acq/none.txt")} failed: file not found.`);
    expect(await io.md5("acq/out/abc.txt")).toBeNull();
    expect(await io.md5("acq/deep/../../../abc.txt")).toBeNull();
    expect(ctx.messages.filter((m) => m.includes("is not inside node root")).length).toBe(2);
  });

  test("filesize, storageUsed and locked refuse `..` and symlinks out of the root", () => {
    using outside = tempDir("outside");
    outside.write({ "f.dat": "f" });
    using dir = tempDir("node");
    const root = dir.write({ "acq/f.dat": "f" });
    symlinkSync(outside.path, dir.join("acq/out"));
    symlinkSync(outside.join("f.dat"), dir.join("acq/flink.dat"));
    const { io } = nodeIO(root);
    for (const bad of ["../f.dat", "acq/../../f.dat", "acq/out/f.dat", "acq/flink.dat", outside.join("f.dat")]) {
      expect(() => io.filesize(bad)).toThrow("is not inside node root");
      expect(() => io.storageUsed(bad)).toThrow("is not inside node root");
    }
    expect(() => io.locked("acq/out/f.dat")).toThrow("is not inside node root");
    writeFileSync(dir.join("acq/.f.dat.lock"), "");
    expect(io.locked("acq/f.dat")).toBe(true);
  });
});
