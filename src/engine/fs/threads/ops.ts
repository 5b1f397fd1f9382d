// The filesystem operations the daemon runs on its fs threads (never on the event loop): each
// is a plain synchronous function of structured-clonable arguments, so a hung mount blocks one
// thread and nothing else. Paths are absolute; confinement to a node root is the caller's job.

import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, rmdirSync, rmSync, statfsSync, statSync, unlinkSync, writeFileSync, constants } from "node:fs";
import { join } from "node:path";
import type { DirListing, Md5Result, StatInfo } from "../../extension-api.ts";
import { AUDIT_OPS } from "./audit-ops.ts";
import { confinedPath, OutsideRootError, strictRealpath } from "./confine.ts";
import { checkFile, checkFiles, pruneDirs, removeAndPrune, removeFiles } from "./copy-ops.ts";
import { hashFd, type Progress } from "./hash.ts";
import { importFacts } from "./import-ops.ts";
import { pullTail } from "./tail-hash.ts";
import { pullAdopt, pullCopy, pullFlush, pullLink, pullLinkMany, pullPrepare, pullReapWriters, pullTempDir, pullUnplace } from "./pull-ops.ts";

export type { Progress } from "./hash.ts";

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

/**
 * MD5 of a regular file. It is opened without following a final symlink and must stay the
 * same file while it is read (hash.ts), else the result is `changed`.
 */
function md5(path: string, progress: Progress): Md5Result {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) throw Object.assign(new Error(`not a regular file: '${path}'`), { code: "EINVAL", path });
    const r = hashFd(fd, before, progress);
    return "changed" in r ? r : { md5: r.md5, size: r.size };
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

/** Every operation, by name. Arguments and results cross a thread boundary (structured clone). */
export const OPS = {
  stat: (path: string) => statOrNull(path, true),
  lstat: (path: string) => statOrNull(path, false),
  readFirstLine,
  writeText: (path: string, text: string) => void writeFileSync(path, text),
  listDir,
  statfs,
  md5,
  unlink: unlinkIfExists,
  rmdir: rmdirQuiet,
  /** Remove a directory tree of ours; symlinks inside are removed, never followed. */
  rmTree: (path: string) => void rmSync(path, { recursive: true, force: true }),
  confine,
  /** Python's Path.resolve(strict=True); the error names the first component that fails. */
  realpath: strictRealpath,
  checkFile,
  checkFiles,
  removeFiles,
  pruneDirs,
  removeAndPrune,
  /** A batch of imports' facts (import-ops.ts). */
  importFacts,
  /** A local pull's steps (pull-ops.ts). */
  pullPrepare,
  pullUnplace,
  pullLink,
  pullLinkMany,
  pullCopy,
  /** A remote pull's private directory, the verification of what rsync or bbcp left in it, the reaping of a stale one. */
  pullTempDir,
  pullAdopt,
  pullTail,
  pullFlush,
  pullReapWriters,
  /** The consistency audit's batched listing (audit-ops.ts). */
  ...AUDIT_OPS,
} as const;

export type OpName = keyof typeof OPS;
/** Operations that take a Progress callback last (their timeout restarts on each report). */
export const LONG_OPS: ReadonlySet<OpName> = new Set(["md5", "checkFile", "checkFiles", "importFacts", "auditList", "pullCopy", "pullAdopt", "pullTail", "pullLink", "pullLinkMany"]);
export type OpArgs<K extends OpName> = Parameters<(typeof OPS)[K]> extends [...infer A, Progress] ? A : Parameters<(typeof OPS)[K]>;
export type OpResult<K extends OpName> = ReturnType<(typeof OPS)[K]>;
