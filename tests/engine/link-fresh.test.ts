// A batch's hard link to a target name that is free (pullLinkMany's linkFresh in
// src/engine/fs/threads/pull-ops.ts): the source's inode is verified first and linked straight
// to the target, without a temporary name. What must hold: only the inode that was verified is
// ever left at the target; a source on another filesystem is not read before the copy that
// follows; and every case with something already at the target, or a source that cannot be
// read, is answered as the temporary-name path answers it. Real files, called on this thread.

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LinkItem } from "../../src/engine/extension-api.ts";
import { pullLinkMany } from "../../src/engine/fs/threads/pull-ops.ts";
import { PROGRESS_BYTES } from "../../src/engine/fs/threads/hash.ts";
import { tempDir } from "../helpers/tmp.ts";

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
const bytes = (n: number, seed: number) => Buffer.alloc(n, seed);

/** A source node root with `acq/f.dat` holding `data`, and an empty destination root. */
function roots(base: string, data: Buffer): { src: string; dest: string; source: string } {
  const src = join(base, "src");
  const dest = join(base, "dest");
  mkdirSync(join(src, "acq"), { recursive: true });
  mkdirSync(dest);
  const source = join(src, "acq", "f.dat");
  writeFileSync(source, data);
  return { src, dest, source };
}

const item = (source: string, registered: Buffer, overwrite = false): LinkItem => ({ rel: "acq/f.dat", source, size: registered.length, md5: md5(registered), overwrite });

describe("pullLinkMany to a free target name", () => {
  test("links the verified source itself, with no temporary name left behind", () => {
    using tmp = tempDir("link-fresh");
    const data = bytes(4096, 1);
    const { dest, source } = roots(tmp.path, data);
    const r = pullLinkMany(dest, [item(source, data)], () => undefined);
    expect(r.results[0]).toMatchObject({ state: "linked", size: data.length });
    expect(statSync(join(dest, "acq/f.dat")).ino).toBe(statSync(source).ino);
    expect(readdirSync(join(dest, "acq"))).toEqual(["f.dat"]);
    expect(r.createdDirs).toEqual([join(dest, "acq")]);
  });

  test("a source renamed over while it is verified: the file that replaced it is not left at the target", () => {
    using tmp = tempDir("link-fresh-swap");
    // Big enough for a progress report mid-hash, which is where the source is swapped.
    const data = bytes(PROGRESS_BYTES + (4 << 20), 2);
    const { src, dest, source } = roots(tmp.path, data);
    const other = join(src, "other");
    writeFileSync(other, bytes(data.length, 3));
    const otherIno = statSync(other).ino;
    let swapped = false;
    const r = pullLinkMany(dest, [item(source, data)], (b) => {
      if (!swapped && b >= PROGRESS_BYTES && b < data.length) {
        renameSync(other, source);
        swapped = true;
      }
    });
    expect(swapped).toBe(true);
    expect(r.results[0]).toMatchObject({ state: "mismatch" });
    expect(existsSync(join(dest, "acq/f.dat"))).toBe(false);
    expect(readdirSync(join(dest, "acq"))).toEqual([]);
    expect(statSync(source).ino).toBe(otherIno); // the new source itself is untouched
  });

  test("a source on another filesystem is not read before the copy that follows", () => {
    using tmp = tempDir("link-fresh-xdev");
    const shm = mkdtempSync("/dev/shm/alpenhorn-link-fresh-");
    try {
      if (statSync(shm).dev === statSync(tmp.path).dev) return; // one filesystem here: nothing to show
      const data = bytes(PROGRESS_BYTES + (1 << 20), 4);
      mkdirSync(join(shm, "acq"));
      const source = join(shm, "acq", "f.dat");
      writeFileSync(source, data);
      const dest = join(tmp.path, "dest");
      mkdirSync(dest);
      const reported: number[] = [];
      const r = pullLinkMany(dest, [item(source, data)], (b) => reported.push(b));
      expect(r.results[0]).toMatchObject({ state: "unlinkable", code: "EXDEV" });
      // A hash of the source would have reported PROGRESS_BYTES before the item's own total.
      expect(reported.filter((b) => b < data.length)).toEqual([]);
    } finally {
      rmSync(shm, { recursive: true, force: true });
    }
  });

  test("a source that is not the registered file: a mismatch, and nothing at the target", () => {
    using tmp = tempDir("link-fresh-corrupt");
    const registered = bytes(4096, 5);
    const { dest, source } = roots(tmp.path, bytes(4096, 6)); // same size, other bytes
    expect(pullLinkMany(dest, [item(source, registered)], () => undefined).results[0]).toMatchObject({ state: "mismatch", size: 4096 });
    expect(readdirSync(join(dest, "acq"))).toEqual([]);
  });

  test("a file already at the target is reported present, even when the source is corrupt (the target is what gets checked)", () => {
    using tmp = tempDir("link-fresh-present");
    const registered = bytes(4096, 7);
    const { dest, source } = roots(tmp.path, bytes(4096, 8));
    mkdirSync(join(dest, "acq"));
    writeFileSync(join(dest, "acq/f.dat"), "someone else's");
    expect(pullLinkMany(dest, [item(source, registered)], () => undefined).results[0]).toMatchObject({ state: "present" });
    expect(readdirSync(join(dest, "acq"))).toEqual(["f.dat"]);
  });

  test("a symlink at the target is replaced by the link; a symlink source is never linked", () => {
    using tmp = tempDir("link-fresh-symlinks");
    const data = bytes(4096, 9);
    const { src, dest, source } = roots(tmp.path, data);
    mkdirSync(join(dest, "acq"));
    const elsewhere = join(tmp.path, "elsewhere");
    writeFileSync(elsewhere, "untouched");
    symlinkSync(elsewhere, join(dest, "acq/f.dat"));
    expect(pullLinkMany(dest, [item(source, data)], () => undefined).results[0]).toMatchObject({ state: "linked" });
    expect(statSync(join(dest, "acq/f.dat")).ino).toBe(statSync(source).ino);
    expect(readFileSync(elsewhere, "utf8")).toBe("untouched");

    const dest2 = join(tmp.path, "dest2");
    mkdirSync(dest2);
    const link = join(src, "acq", "link.dat");
    symlinkSync(source, link);
    const r = pullLinkMany(dest2, [{ ...item(link, data), rel: "acq/link.dat" }], () => undefined);
    expect(r.results[0]).toMatchObject({ state: "mismatch" });
    expect(readdirSync(join(dest2, "acq"))).toEqual([]);
  });

  test("a source that is gone: no link, left to the copy that blames the source (as before the shortcut)", () => {
    using tmp = tempDir("link-fresh-gone");
    const data = bytes(4096, 10);
    const { dest, source } = roots(tmp.path, data);
    rmSync(source);
    expect(pullLinkMany(dest, [item(source, data)], () => undefined).results[0]).toMatchObject({ state: "unlinkable", code: "ENOENT" });
    expect(readdirSync(join(dest, "acq"))).toEqual([]);
  });
});
