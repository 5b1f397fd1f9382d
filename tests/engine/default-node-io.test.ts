// The Default node I/O on a real temp tree, through real fs threads: file walk (our temp names
// and symlinks out of the root skipped), free space, stat, md5, and refusal of paths leaving
// the root (alpenhorn/io/default/node.py: DefaultNodeIO at 632dd41 is the model).

import { describe, expect, test } from "bun:test";
import { mkdirSync, statfsSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { DefaultNodeIO } from "../../src/engine/io/default/node.ts";
import { nodeInfo } from "../../src/engine/io/node-info.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { tempDir } from "../helpers/tmp.ts";
import { bareContext } from "./_ctx.ts";

function nodeIO(root: string) {
  const ctx = bareContext();
  const row = { id: 1, name: "n1", root, group_id: 1, io_class: null, io_config: null, storage_type: "F", avail_gb: null, max_total_gb: null } as unknown as StorageNodeRow;
  return { io: new DefaultNodeIO({ node: nodeInfo(row), config: {}, services: ioServices(ctx, "Node:n1:1") }), ctx };
}

async function walk(io: DefaultNodeIO, rel: string): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of io.fileWalk(rel)) out.push(...batch);
  return out;
}

describe("DefaultNodeIO on a temp tree", () => {
  test("fileWalk: regular files only, sorted; temp names, symlinked files and symlinks out of the root skipped", async () => {
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
    expect(await walk(io, "acq")).toEqual([
      dir.join("acq/.a.dat.lock"),
      dir.join("acq/a.dat"),
      dir.join("acq/b.dat"),
      dir.join("acq/inlink/e.dat"),
      dir.join("acq/sub/d.dat"),
    ]);
    expect(await walk(io, "acq/a.dat")).toEqual([dir.join("acq/a.dat")]);
    expect(await walk(io, "acq/link.dat")).toEqual([]);
    expect(await walk(io, "missing")).toEqual([]);
    // Not `expect(promise).rejects`: bun's matcher waits without delivering worker messages.
    const failure = (rel: string) => walk(io, rel).then(() => "walked", (e: Error) => e.message);
    expect(await failure("/etc")).toContain("path must be relative");
    expect(await failure("../x")).toContain("is not inside node root");
    expect(await failure("acq/outlink")).toContain("is not inside node root");
  });

  test("bytesAvail = bavail × bsize; stat().used = blocks × 512; stat().size; exists", async () => {
    using dir = tempDir("node");
    const root = dir.write({ "a/big.dat": "x".repeat(100_000) });
    const { io } = nodeIO(root);
    const s = statfsSync(root);
    const avail = await io.bytesAvail();
    expect(avail).toBeGreaterThan(0);
    // Other processes change free space between the two calls: allow some drift.
    expect(Math.abs(avail! - Number(s.bavail) * Number(s.bsize))).toBeLessThan(64 * 2 ** 20);
    const st = statSync(dir.join("a/big.dat"));
    expect((await io.stat("a/big.dat"))?.used).toBe(st.blocks * 512);
    expect((await io.stat(dir.join("a/big.dat")))?.used).toBe(st.blocks * 512);
    expect((await io.stat("a/big.dat"))?.size).toBe(100_000);
    expect(await io.exists("a/big.dat")).toBe(true);
    expect(await io.exists("a")).toBe(false);
    expect(await io.exists("../../etc/passwd")).toBe(false);
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
    expect(ctx.messages.filter((m) => m.includes("not inside node root")).length).toBe(2);
  });

  test("md5 never follows a symlink in place of a file, even one inside the root", async () => {
    using dir = tempDir("node");
    const root = dir.write({ "acq/real.dat": "abc" });
    symlinkSync(dir.join("acq/real.dat"), dir.join("acq/link.dat"));
    const { io, ctx } = nodeIO(root);
    expect(await io.md5("acq/link.dat")).toBeNull();
    expect(ctx.messages.some((m) => m.includes("link.dat failed: not a regular file"))).toBe(true);
  });

  test("stat and locked treat `..` and symlinks out of the root as absent", async () => {
    using outside = tempDir("outside");
    outside.write({ "f.dat": "f", ".g.dat.lock": "" });
    using dir = tempDir("node");
    const root = dir.write({ "acq/f.dat": "f" });
    symlinkSync(outside.path, dir.join("acq/out"));
    symlinkSync(outside.join("f.dat"), dir.join("acq/flink.dat"));
    const { io } = nodeIO(root);
    for (const bad of ["../f.dat", "acq/../../f.dat", "acq/out/f.dat", "acq/flink.dat", outside.join("f.dat")]) {
      expect(await io.stat(bad)).toBeNull();
    }
    expect(await io.locked("acq/out/g.dat")).toBe(false);
    writeFileSync(dir.join("acq/.f.dat.lock"), "");
    expect(await io.locked("acq/f.dat")).toBe(true);
  });
});
