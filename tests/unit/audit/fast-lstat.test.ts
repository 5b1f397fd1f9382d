// The audit's lstat (fstatat through libc on linux-x64, lstatSync elsewhere) must say exactly
// what lstatSync says: kind, size, dev and max(mtime, ctime) to the last bit, since the walk's
// values are compared with the re-stat's before a finding is written.

import { expect, test } from "bun:test";
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dirStatter, lstatImplementation, lstatPath, type LstatOut } from "../../../src/engine/fs/threads/fast-lstat.ts";

const out = (): LstatOut => ({ kind: 0, size: 0, time: 0, dev: 0 });
const expected = (p: string) => {
  const s = lstatSync(p);
  return { kind: s.isFile() ? 1 : s.isDirectory() ? 2 : 3, size: s.size, time: Math.max(s.mtimeMs, s.ctimeMs), dev: s.dev };
};

test("fstatat agrees with lstatSync on files, directories, symlinks and absent names", () => {
  if (process.platform === "linux" && process.arch === "x64" && !process.env.ALPENHORN_NO_FFI_STAT) expect(lstatImplementation()).toBe("fstatat");
  const dir = mkdtempSync(join(tmpdir(), "fast-lstat-"));
  try {
    writeFileSync(join(dir, "f"), "12345");
    writeFileSync(join(dir, "é ü\n"), "x".repeat(70_000));
    utimesSync(join(dir, "f"), 1_700_000_000.123456, 1_600_000_000.987654);
    mkdirSync(join(dir, "d"));
    symlinkSync("f", join(dir, "link"));
    symlinkSync("nowhere", join(dir, "dangling"));
    const at = dirStatter(dir);
    try {
      for (const name of ["f", "é ü\n", "d", "link", "dangling"]) {
        const o = out();
        expect(at.lstat(name, o)).toBe(true);
        expect(o).toEqual(expected(join(dir, name)));
        const p = out();
        expect(lstatPath(join(dir, name), p)).toBe(true);
        expect(p).toEqual(o);
      }
      expect(at.lstat("absent", out())).toBe(false);
    } finally {
      at.close();
    }
    expect(out().kind).toBe(0);
    const link = out();
    lstatPath(join(dir, "link"), link);
    expect(link.kind).toBe(3);
    expect(lstatPath(join(dir, "absent"), out())).toBe(false);
    expect(lstatPath(join(dir, "f", "below-a-file"), out())).toBe(false);
    // A directory that cannot be opened still answers name by name (falls back to lstatSync).
    expect(dirStatter(join(dir, "absent")).lstat("f", out())).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
