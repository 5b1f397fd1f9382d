// The filesystem operations the daemon runs on its fs threads (never on the event loop): each
// is a plain synchronous function of structured-clonable arguments, so a hung mount blocks one
// thread and nothing else. Paths are absolute; confinement to a node root is the caller's job.

import { closeSync, fstatSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmdirSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync, constants } from "node:fs";
import { join } from "node:path";
import type { DirListing, Md5Result, StatInfo } from "../../extension-api.ts";
import { AUDIT_OPS } from "./audit-ops.ts";
import { confinedPath, OutsideRootError, strictRealpath } from "./confine.ts";

function info(st: import("node:fs").Stats): StatInfo {
  const kind = st.isFile() ? "file" : st.isDirectory() ? "dir" : st.isSymbolicLink() ? "symlink" : "other";
  return { kind, size: st.size, used: st.blocks * 512, mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
}

const missing = (err: unknown) => ["ENOENT", "ENOTDIR"].includes((err as NodeJS.ErrnoException).code ?? "");

function statOrNull(path: string, follow: boolean): StatInfo | null {
  try {
    return info(follow ? statSync(path) : lstatSync(path));
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
}

/** Reports progress of a long operation (bytes done), so the caller's timeout can restart. */
export type Progress = (bytes: number) => void;

const MD5_CHUNK = 1 << 20;
/** Progress is reported every 32 MiB, the unit alpenhorn's MD5 timeout guards. */
export const MD5_PROGRESS_BYTES = 32 << 20;
let md5Buffer: Buffer | undefined;

/**
 * MD5 of a regular file by streaming 1 MiB reads through Bun's native hasher. The file is opened
 * without following a final symlink and must be the same regular file before and after: a size
 * or mtime that moved means a writer was at work, and the result is `changed`.
 */
function md5(path: string, progress: Progress): Md5Result {
  md5Buffer ??= Buffer.allocUnsafe(MD5_CHUNK);
  const buf = md5Buffer;
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) throw Object.assign(new Error(`not a regular file: '${path}'`), { code: "EINVAL", path });
    const hasher = new Bun.CryptoHasher("md5");
    let bytes = 0;
    let reported = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, MD5_CHUNK, null);
      if (n <= 0) break;
      hasher.update(buf.subarray(0, n));
      bytes += n;
      if (bytes - reported >= MD5_PROGRESS_BYTES) {
        reported = bytes;
        progress(bytes);
      }
    }
    const after = fstatSync(fd, { bigint: true });
    if (BigInt(bytes) !== after.size || before.mtimeNs !== after.mtimeNs) return { changed: true };
    return { md5: hasher.digest("hex"), size: bytes };
  } finally {
    closeSync(fd);
  }
}

/** The first line of a small text file (ALPENHORN_NODE), or null when it does not exist. */
function readFirstLine(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY);
  } catch (err) {
    if (missing(err)) return null;
    throw err;
  }
  try {
    const buf = Buffer.allocUnsafe(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString("utf8").split("\n")[0] ?? "";
  } finally {
    closeSync(fd);
  }
}

function listDir(dir: string): DirListing | null {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (missing(err) || code === "EACCES" || code === "EPERM") return null;
    throw err;
  }
  const out = { files: [] as string[], dirs: [] as string[], linkDirs: [] as string[] };
  for (const e of entries) {
    if (e.isFile()) out.files.push(e.name);
    else if (e.isDirectory()) out.dirs.push(e.name);
    else if (e.isSymbolicLink()) {
      try {
        if (statSync(join(dir, e.name)).isDirectory()) out.linkDirs.push(e.name);
      } catch {
        // A dangling link: neither a file nor a directory to walk.
      }
    }
  }
  return out;
}

function statfs(path: string): number | null {
  try {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** Remove `path` if it is a file or symlink (never following it); false when already gone. */
function unlinkIfExists(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (err) {
    if (missing(err)) return false;
    throw err;
  }
}

/** rmdir, reporting instead of throwing the outcomes callers expect. */
function rmdirQuiet(path: string): "removed" | "not-empty" | "missing" {
  try {
    rmdirSync(path);
    return "removed";
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOTEMPTY" || code === "EEXIST") return "not-empty";
    if (missing(err)) return "missing";
    throw err;
  }
}

/** `path` made absolute under `root`, or null when it leaves the root (lexically or by a symlink). */
function confine(root: string, path: string): string | null {
  try {
    return confinedPath(root, path);
  } catch (err) {
    if (err instanceof OutsideRootError) return null;
    throw err;
  }
}

/** Test seam: blocks the thread like a read on a dead mount, for `ms` milliseconds. */
function sleepForTest(ms: number): number {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return ms;
}

/** Every operation, by name. Arguments and results cross a thread boundary (structured clone). */
export const OPS = {
  stat: (path: string) => statOrNull(path, true),
  lstat: (path: string) => statOrNull(path, false),
  /** lstat of many paths in one round trip (scans, bulk checks). */
  lstatMany: (paths: string[]) => paths.map((p) => statOrNull(p, false)),
  readFirstLine,
  writeText: (path: string, text: string) => void writeFileSync(path, text),
  listDir,
  statfs,
  md5,
  link: (from: string, to: string) => void linkSync(from, to),
  rename: (from: string, to: string) => void renameSync(from, to),
  unlink: unlinkIfExists,
  rmdir: rmdirQuiet,
  mkdirp: (path: string) => void mkdirSync(path, { recursive: true }),
  /** Remove a directory tree of ours; symlinks inside are removed, never followed. */
  rmTree: (path: string) => void rmSync(path, { recursive: true, force: true }),
  confine,
  /** Python's Path.resolve(strict=True); the error names the first component that fails. */
  realpath: strictRealpath,
  sleepForTest,
  /** The consistency audit's batched listing (audit-ops.ts). */
  ...AUDIT_OPS,
} as const;

export type OpName = keyof typeof OPS;
export type OpArgs<K extends OpName> = Parameters<(typeof OPS)[K]> extends [...infer A, Progress] ? A : Parameters<(typeof OPS)[K]>;
export type OpResult<K extends OpName> = ReturnType<(typeof OPS)[K]>;
