// lstat for the audit's listing, run on fs threads: `fstatat(dirfd, name, AT_SYMLINK_NOFOLLOW)`
// through libc (bun:ffi) on Linux x86-64 with glibc. Relative to an open directory, the kernel
// resolves one path component instead of the whole path, and no Stats object is made: about
// half the cost of lstatSync per file. Anywhere else, or if the self-check against lstatSync
// fails, the same interface falls back to lstatSync, so callers never know which one ran.
// Times are max(mtime, ctime) in ms computed as Bun's Stats does (s * 1000 + ns / 1e6): the walk
// and the re-stat before a finding always agree.

import { dlopen, FFIType, ptr } from "bun:ffi";
import { closeSync, constants, lstatSync, openSync } from "node:fs";

/** What an lstat says of an entry, in reusable fields (no object per call). */
export interface LstatOut {
  /** 1 regular file, 2 directory, 3 anything else (symlink, FIFO, socket, device). */
  kind: number;
  size: number;
  /** max(mtime, ctime) in ms. */
  time: number;
  dev: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;

interface Native {
  fstatat(dirfd: number, name: string, out: LstatOut): boolean;
}

function kindOf(mode: number): number {
  const t = mode & S_IFMT;
  return t === S_IFREG ? 1 : t === S_IFDIR ? 2 : 3;
}

function loadNative(): Native | null {
  if (process.platform !== "linux" || process.arch !== "x64" || process.env.ALPENHORN_NO_FFI_STAT) return null;
  try {
    const lib = dlopen("libc.so.6", { fstatat: { args: [FFIType.i32, FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 } });
    const fstatat = lib.symbols.fstatat;
    // struct stat of x86-64 Linux: 144 bytes; an ArrayBuffer of its own, so the pointer stays put.
    const statBuf = new ArrayBuffer(256);
    const st = new DataView(statBuf);
    const statPtr = ptr(statBuf);
    const nameBuf = new Uint8Array(new ArrayBuffer(16384));
    const namePtr = ptr(nameBuf);
    const enc = new TextEncoder();
    const native: Native = {
      fstatat(dirfd, name, out) {
        const r = enc.encodeInto(name, nameBuf);
        // A name longer than the buffer (impossible: NAME_MAX and PATH_MAX are smaller) or with NUL.
        if (r.read !== name.length || r.written >= nameBuf.length - 1 || name.includes("\0")) throw new Error("name too long");
        nameBuf[r.written] = 0;
        if (fstatat(dirfd, namePtr, statPtr, AT_SYMLINK_NOFOLLOW) !== 0) return false;
        out.dev = Number(st.getBigUint64(0, true));
        out.kind = kindOf(st.getUint32(24, true));
        out.size = Number(st.getBigInt64(48, true));
        const m = Number(st.getBigInt64(88, true)) * 1000 + Number(st.getBigInt64(96, true)) / 1e6;
        const c = Number(st.getBigInt64(104, true)) * 1000 + Number(st.getBigInt64(112, true)) / 1e6;
        out.time = m > c ? m : c;
        return true;
      },
    };
    // Self-check: the layout and the time formula must agree with lstatSync on a real file.
    const probe = "/proc/self/exe";
    const want = lstatSync(probe);
    const got: LstatOut = { kind: 0, size: 0, time: 0, dev: 0 };
    if (!native.fstatat(AT_FDCWD, probe, got)) return null;
    const wantKind = want.isFile() ? 1 : want.isDirectory() ? 2 : 3;
    if (got.kind !== wantKind || got.size !== want.size || got.dev !== want.dev || got.time !== Math.max(want.mtimeMs, want.ctimeMs)) return null;
    const etc = lstatSync("/etc");
    if (!native.fstatat(AT_FDCWD, "/etc", got) || got.kind !== 2 || got.time !== Math.max(etc.mtimeMs, etc.ctimeMs)) return null;
    return native;
  } catch {
    return null;
  }
}

let native: Native | null | undefined;
const nativeStat = () => (native === undefined ? (native = loadNative()) : native);

/** Copy what the audit compares from a Node Stats into `out`. */
function fill(s: import("node:fs").Stats, out: LstatOut): void {
  out.kind = s.isFile() ? 1 : s.isDirectory() ? 2 : 3;
  out.size = s.size;
  out.time = Math.max(s.mtimeMs, s.ctimeMs);
  out.dev = s.dev;
}

function fromStats(path: string, out: LstatOut): boolean {
  try {
    fill(lstatSync(path), out);
    return true;
  } catch {
    return false;
  }
}

/** Entries of one directory lstat'ed by name; `close()` when done. */
export interface DirStatter {
  /** Fills `out` and returns true, or false when the entry cannot be lstat'ed (gone, …). */
  lstat(name: string, out: LstatOut): boolean;
  close(): void;
}

/** A DirStatter for the directory `dir` (absolute). */
export function dirStatter(dir: string): DirStatter {
  const n = nativeStat();
  if (n) {
    let fd = -1;
    try {
      fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    } catch {
      // Fall through to path-based lstat (which then fails the same way, entry by entry).
    }
    if (fd >= 0)
      return {
        lstat: (name, out) => {
          try {
            return n.fstatat(fd, name, out);
          } catch {
            return fromStats(`${dir}/${name}`, out);
          }
        },
        close: () => closeSync(fd),
      };
  }
  return { lstat: (name, out) => fromStats(`${dir}/${name}`, out), close: () => undefined };
}

/**
 * lstat of an absolute path: true with `out` filled, false when it does not exist (ENOENT,
 * ENOTDIR); other errors are thrown (the caller cannot tell what is there).
 */
export function lstatPath(path: string, out: LstatOut): boolean {
  const n = nativeStat();
  if (n) {
    try {
      if (n.fstatat(AT_FDCWD, path, out)) return true;
    } catch {
      // Fall back below.
    }
  }
  // Either the native call failed (its errno is not at hand) or there is none: lstatSync says why.
  try {
    fill(lstatSync(path), out);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw err;
  }
}

/** Which implementation runs ("fstatat" or "lstatSync"), for tests and diagnostics. */
export function lstatImplementation(): string {
  return nativeStat() ? "fstatat" : "lstatSync";
}
