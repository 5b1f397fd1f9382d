// fs-thread operations of a local pull, each one round trip: preparing the destination
// (directories and the `.{name}.placeholder`), a hard link and an internal copy that both work
// under a temporary name of ours in the destination directory (`.alpentemp…`) and rename it
// over the target (or, for a batch's link to a free name, link a source verified beforehand:
// linkFresh), so the target name never holds a partial or unverified file, and a symlink
// found there is replaced, never written through (alpenhorn/io/default/pull.py: hardlink,
// local_copy at 632dd41 use a `.alpentemp` directory the same way; we use a file so that one
// rename is the whole commit). Any temporary left by an error is removed before returning;
// one left by a killed process is removed by the tidy-up (io/default/tidy.ts).

import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, futimesSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { AdoptResult, CopyResult, LinkItem, LinkManyFact, LinkManyResult, LinkResult, PreparedPull, ReapedWriter, TailHash, TargetKind } from "../../extension-api.ts";
import { confinedPath, OutsideRootError } from "./confine.ts";
import { TEMP_DIR_PREFIX } from "../paths.ts";
import { hashFd, type Progress, PROGRESS_BYTES } from "./hash.ts";

const codeOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? "EIO";

function targetKind(path: string): TargetKind {
  try {
    // No exception for the usual answer (a pull's target does not exist yet).
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) return "none";
    return st.isFile() ? "file" : st.isSymbolicLink() ? "symlink" : "other";
  } catch (err) {
    if (codeOf(err) === "ENOTDIR") return "none";
    throw err;
  }
}

export const placeholderOf = (target: string) => join(dirname(target), `.${basename(target)}.placeholder`);

/**
 * Create the target's directory (with parents) and, when `placeholder`, its placeholder
 * (mode 0600, kept if present). The caller holds the tree lock "up", so no deletion prunes
 * the directory between its creation and the placeholder that keeps it non-empty.
 */
export function pullPrepare(target: string, placeholder: boolean): PreparedPull {
  const dir = dirname(target);
  const createdDir = mkdirSync(dir, { recursive: true }) !== undefined;
  const kind = targetKind(target);
  if (placeholder) closeSync(openSync(placeholderOf(target), constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600));
  return { createdDir, target: kind };
}

/** Remove the placeholder; false when it was already gone. */
export function pullUnplace(target: string): boolean {
  try {
    unlinkSync(placeholderOf(target));
    return true;
  } catch (err) {
    if (["ENOENT", "ENOTDIR"].includes(codeOf(err))) return false;
    throw err;
  }
}

/** A fresh temporary name of ours in the target's directory (hidden, so never imported). */
function tempName(target: string): string {
  return join(dirname(target), `${TEMP_DIR_PREFIX}.${randomBytes(6).toString("hex")}.${process.pid}`);
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already; a leftover would be removed by the tidy-up.
  }
}

/** fsync a directory, so a rename into it survives a crash. */
function syncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Hard-link `source` to a temporary name, then rename it over `target` (atomic replace). The
 * link is the source's inode, but the source may no longer hold the registered bytes (changed
 * after registration, at the same size too): a size other than `expectedSize`, or an MD5 other
 * than `expectedMd5` when the index has one, drops the link before the rename.
 */
export function pullLink(source: string, target: string, expectedSize: number, expectedMd5: string | null, progress: Progress): LinkResult {
  const r = linkOver(source, target, expectedSize, expectedMd5, progress);
  if (r.state === "linked") syncDir(dirname(target));
  return r;
}

/** What `checkRegistered` found: the file's size and storage, and whether it holds the registered bytes. */
interface Held {
  readonly holds: boolean;
  readonly size: number;
  readonly used: number;
  /** The inode read (none when the path was a symlink). */
  readonly dev?: bigint;
  readonly ino?: bigint;
  /** Not read: on another device than the one asked for. */
  readonly elsewhere?: true;
}

/**
 * Whether the file at `path` is a regular file holding the registered bytes: `size`, and `md5`
 * unless the index has none. Every pull, hard links included, is verified before it is
 * registered: a hard link used to be size-checked only, so a source changed in place at the
 * same size was linked and registered healthy (found by the corrupted-source fault test,
 * tests/faults/corrupt-source.test.ts). A symlink is never followed (ELOOP): it does not hold
 * anything. One open and its fstat serve both the type check and the hash, so a link costs no
 * lstat of its own.
 */
function checkRegistered(path: string, size: number, md5: string | null, progress: Progress, onDevice?: bigint): Held {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (codeOf(err) !== "ELOOP") throw err;
    return { holds: false, size: lstatSync(path).size, used: 0 };
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    const held = { size: Number(before.size), used: Number(before.blocks) * 512, dev: before.dev, ino: before.ino };
    if (!before.isFile() || before.size !== BigInt(size)) return { holds: false, ...held };
    // Not to be read when it cannot be linked there anyway (the copy that follows reads it).
    if (onDevice !== undefined && before.dev !== onDevice) return { holds: false, ...held, elsewhere: true };
    if (md5 === null) return { holds: true, ...held };
    const h = hashFd(fd, before, progress);
    return { holds: !("changed" in h) && h.md5 === md5, ...held };
  } finally {
    closeSync(fd);
  }
}

/** pullLink without the directory's fsync (pullLinkMany fsyncs each directory once). */
function linkOver(source: string, target: string, expectedSize: number, expectedMd5: string | null, progress: Progress): LinkResult {
  const tmp = tempName(target);
  try {
    linkSync(source, tmp);
  } catch (err) {
    return { state: "unlinkable", code: codeOf(err), message: (err as Error).message };
  }
  try {
    // link(2) does not follow a symlink source: it would link the symlink itself, which must
    // not become the destination's copy (it may point out of every root); checkRegistered
    // refuses it.
    const held = checkRegistered(tmp, expectedSize, expectedMd5, progress);
    if (!held.holds) {
      unlinkQuiet(tmp);
      return { state: "mismatch", size: held.size };
    }
    renameSync(tmp, target);
    return { state: "linked", size: held.size, used: held.used };
  } catch (err) {
    unlinkQuiet(tmp);
    throw err;
  }
}

/**
 * linkOver for a target name that did not exist, without its temporary name and rename: the
 * source's inode is verified first (size and MD5, read through one fd that never follows a
 * symlink), then linked straight to the target, link(2) never replacing a name. The new name
 * is then checked to be the inode that was verified: should the source path have been renamed
 * over in between, the link is removed and the pull reported a mismatch (the source is
 * checked). So the target only ever names a verified inode, but for that race, where for one
 * lstat it names the file that replaced the source; a crash there leaves it to the restart's
 * check (pullLinkMany's "present" case), never registered. Null when the target exists, the
 * source is a symlink or on another device than `targetDev` (not read then): the caller looks
 * at the target and decides, as for any pull.
 */
function linkFresh(source: string, target: string, targetDev: bigint, expectedSize: number, expectedMd5: string | null, progress: Progress): LinkResult | null {
  let held: Held;
  try {
    held = checkRegistered(source, expectedSize, expectedMd5, progress, targetDev);
  } catch {
    // A source that cannot be opened or read: answered by linkOver's own link and check, as
    // before this shortcut (a missing source becomes a copy that blames the source).
    return null;
  }
  if (!held.holds) {
    // A file already at the target is answered as before (it is checked, not the source).
    if (held.ino === undefined || held.elsewhere || targetKind(target) !== "none") return null;
    return { state: "mismatch", size: held.size };
  }
  try {
    linkSync(source, target);
  } catch (err) {
    if (codeOf(err) === "EEXIST" || codeOf(err) === "EXDEV") return null;
    return { state: "unlinkable", code: codeOf(err), message: (err as Error).message };
  }
  const at = lstatSync(target, { bigint: true });
  if (at.ino !== held.ino || at.dev !== held.dev) {
    unlinkQuiet(target);
    return { state: "mismatch", size: Number(at.size) };
  }
  return { state: "linked", size: held.size, used: held.used };
}

/**
 * Many local pulls by hard link in one round trip (the caller holds the tree lock "up"): for
 * each item, its target confined under `root`, the directory created, and the verified source
 * linked straight to the target (linkFresh) or, when something is there already, linked under
 * a temporary name, checked and renamed over the target, as pullLink does; a regular file
 * already at the target is left alone ("present") unless `overwrite`. Each directory linked
 * into is fsynced once, after all the links, before the results are returned.
 */
export function pullLinkMany(root: string, items: readonly LinkItem[], progress: Progress): LinkManyResult {
  // Progress after each item, so the caller's timeout measures the longest silence.
  let done = 0;
  const tick = (b: number) => progress(done + b);
  const createdDirs: string[] = [];
  const toSync = new Set<string>();
  // Items of one acquisition share a directory: confine and create it once.
  const dirs = new Map<string, { path: string; dev: bigint } | Error>();
  const dirOf = (rel: string): { path: string; dev: bigint } => {
    const key = dirname(rel);
    let dir = dirs.get(key);
    if (dir === undefined) {
      try {
        const path = confinedPath(root, key);
        if (mkdirSync(path, { recursive: true }) !== undefined) createdDirs.push(path);
        dir = { path, dev: statSync(path, { bigint: true }).dev };
      } catch (err) {
        dir = err as Error;
      }
      dirs.set(key, dir);
    }
    if (dir instanceof Error) throw dir;
    return dir;
  };
  const results = items.map((item): LinkManyFact => {
    const t0 = performance.now();
    let target: string;
    let targetDev: bigint;
    try {
      const name = basename(item.rel);
      if (name === "" || name === "." || name === "..") return { state: "outside" };
      const dir = dirOf(item.rel);
      target = join(dir.path, name);
      targetDev = dir.dev;
    } catch (err) {
      if (err instanceof OutsideRootError) return { state: "outside" };
      return { state: "error", code: codeOf(err), message: (err as Error).message };
    }
    try {
      // The usual case first: no target yet (linkFresh finds out from link(2) itself).
      const fresh = linkFresh(item.source, target, targetDev, item.size, item.md5, tick);
      if (fresh) return booked(fresh, item, target, t0);
      const kind = targetKind(target);
      if (kind === "other") return { state: "other", target };
      if (kind === "file" && !item.overwrite) {
        const at = lstatSync(target);
        // The source's own inode holding the registered bytes: a link made by an earlier run
        // that was killed before it booked it. That is the pull done, not a file to check.
        const src = lstatSync(item.source, { throwIfNoEntry: false });
        if (src && src.isFile() && src.ino === at.ino && src.dev === at.dev && checkRegistered(target, item.size, item.md5, tick).holds)
          return { state: "linked", size: at.size, used: at.blocks * 512, ms: performance.now() - t0 };
        return { state: "present", used: at.blocks * 512 };
      }
      return booked(linkOver(item.source, target, item.size, item.md5, tick), item, target, t0);
    } catch (err) {
      return { state: "error", code: codeOf(err), message: (err as Error).message };
    }
  });
  /** A link's outcome, its bytes counted as progress and its directory noted for the fsync. */
  function booked(r: LinkResult, item: LinkItem, target: string, t0: number): LinkManyFact {
    done += item.size;
    progress(done);
    if (r.state !== "linked") return r;
    toSync.add(dirname(target));
    return { ...r, ms: performance.now() - t0 };
  }
  for (const dir of toSync) syncDir(dir);
  return { results, createdDirs };
}

/**
 * Run a write-side step of a copy, naming `target` in its error: an fd write's error carries no
 * path, and the caller (io/default/pull.ts) blames the source for any error it cannot place on
 * the destination. A write past RLIMIT_FSIZE (EFBIG), a full disk or a failing destination disk
 * is never the source's fault (found by the disk-full fault test, tests/faults/disk-full.test.ts).
 */
function destinationSide<T>(target: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err && typeof err === "object" && !(err as NodeJS.ErrnoException).path) (err as NodeJS.ErrnoException).path = target;
    throw err;
  }
}

const CHUNK = 1 << 20;
let buffer: Buffer | undefined;

/**
 * Copy `source` into a temporary name beside `target` (data, mode and times), fsync it, read
 * it back for its MD5 and, only if that equals `expectedMd5`, rename it over the target and
 * fsync the directory. Progress is reported every 32 MiB written and read back, so the
 * caller's timeout restarts while bytes move. `testDelayMs` (a test seam) sleeps after each
 * chunk written, so a test can kill the daemon in the middle of a copy.
 */
export function pullCopy(source: string, target: string, expectedMd5: string | null, testDelayMs: number, progress: Progress): CopyResult {
  buffer ??= Buffer.allocUnsafe(CHUNK);
  // O_NOFOLLOW: a source copy swapped for a symlink must not make us read (and copy into this
  // node) whatever it points at, maybe outside every root; ELOOP fails the pull and the source
  // check then finds it "Not a regular file" (tests/faults/hostile-symlinks.test.ts).
  const src = openSync(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  const tmp = tempName(target);
  let out: number | undefined;
  let keep = false;
  try {
    const before = fstatSync(src, { bigint: true });
    if (!before.isFile()) throw Object.assign(new Error(`not a regular file: '${source}'`), { code: "EINVAL", path: source });
    out = openSync(tmp, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    let bytes = 0;
    let reported = 0;
    for (;;) {
      const n = readSync(src, buffer, 0, CHUNK, null);
      if (n <= 0) break;
      for (let off = 0; off < n; ) off += destinationSide(target, () => writeSync(out!, buffer!, off, n - off));
      bytes += n;
      if (bytes - reported >= PROGRESS_BYTES) {
        reported = bytes;
        progress(bytes);
      }
      if (testDelayMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, testDelayMs);
    }
    const after = fstatSync(src, { bigint: true });
    if (BigInt(bytes) !== after.size || before.mtimeNs !== after.mtimeNs) return { state: "changed" };
    destinationSide(target, () => {
      fchmodSync(out!, Number(before.mode) & 0o7777);
      futimesSync(out!, Number(before.atimeMs) / 1000, Number(before.mtimeMs) / 1000);
      fsyncSync(out!);
    });
    // The received bytes, as the disk now gives them back (not the bytes we meant to write).
    const written = fstatSync(out, { bigint: true });
    const h = hashFd(out, written, (b) => progress(bytes + b));
    if ("changed" in h) return { state: "changed" };
    if (expectedMd5 === null || h.md5 !== expectedMd5) return { state: "mismatch", size: h.size, md5: h.md5 };
    renameSync(tmp, target);
    keep = true;
    syncDir(dirname(target));
    return { state: "copied", size: h.size, used: h.used, md5: h.md5 };
  } finally {
    if (out !== undefined) closeSync(out);
    closeSync(src);
    if (!keep) unlinkQuiet(tmp);
  }
}

/**
 * A private directory for a transfer tool (rsync, bbcp) beside `target`: rsync writes its own
 * `.name.XXXXXX` temporary in the directory of the file it writes, and bbcp writes the file it
 * is given, so pointing either at a name inside this directory keeps every byte it writes,
 * finished or killed, under a name of ours.
 */
export function pullTempDir(target: string): string {
  const dir = tempName(target);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/**
 * Verify what a transfer tool left at `received` and adopt it: a regular file (never followed
 * if a symlink), fsynced, whose MD5 as read back from disk equals `expectedMd5`, is renamed over
 * `target` (the directory fsynced). `tempDir` is removed in every case, with whatever else the
 * tool left in it.
 */
export function pullAdopt(received: string, target: string, expectedMd5: string | null, tempDir: string, prehash: TailHash | null, progress: Progress): AdoptResult {
  if (dirname(received) !== tempDir || !basename(tempDir).startsWith(TEMP_DIR_PREFIX)) {
    throw Object.assign(new Error(`not a file in a temporary directory of ours: '${received}'`), { code: "EINVAL", path: received });
  }
  let fd: number | undefined;
  try {
    try {
      fd = openSync(received, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      if (["ENOENT", "ELOOP"].includes(codeOf(err))) return { state: "mismatch", size: null, md5: null };
      throw err;
    }
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile()) return { state: "mismatch", size: null, md5: null };
    // Hash first, then fsync: the bytes read are the page cache's, which is what goes to disk
    // (nothing but us writes in our temporary directory once the tool has exited), and the
    // caller may have started the writeback on another thread (pullFlush) to overlap the two.
    // The hash taken while the tool wrote (tail-hash.ts) stands for this inode at this size, and
    // only to accept: any other answer is the read-back's to give.
    const tail =
      prehash && expectedMd5 !== null && prehash.md5 === expectedMd5 && prehash.dev === String(before.dev) && prehash.ino === String(before.ino) && BigInt(prehash.size) === before.size
        ? { md5: prehash.md5, size: prehash.size, used: Number(before.blocks) * 512 }
        : null;
    const h = tail ?? hashFd(fd, before, progress);
    if ("changed" in h) return { state: "mismatch", size: null, md5: null };
    fsyncSync(fd);
    if (expectedMd5 === null || h.md5 !== expectedMd5) return { state: "mismatch", size: h.size, md5: h.md5 };
    renameSync(received, target);
    syncDir(dirname(target));
    return { state: "adopted", size: h.size, used: h.used, md5: h.md5 };
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(tempDir, { recursive: true, force: true });
  }
}

/**
 * fsync a received file in our temporary directory (its writeback overlaps the MD5 pullAdopt
 * computes on another thread); false when it is not there (anymore).
 */
export function pullFlush(received: string): boolean {
  let fd: number;
  try {
    fd = openSync(received, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    fsyncSync(fd);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The transfer tools that write into our temporary directories (remote-pull.ts). */
const WRITERS: ReadonlySet<string> = new Set(["rsync", "bbcp"]);

/**
 * SIGKILL the transfer tools (rsync, bbcp) still writing into `dir` (a stale temporary
 * directory of ours), before the tidy-up removes it: a daemon killed mid-pull takes its tool
 * with it (parent-death signal), but not a process the tool forked (rsync's receiver), which
 * would write on until its transfer ends. Found by their command line (a fork keeps its
 * parent's): a program named rsync or bbcp with an argument naming a file in `dir`; Linux /proc
 * only. Returns what was signalled.
 */
export function pullReapWriters(dir: string): ReapedWriter[] {
  if (!basename(dir).startsWith(TEMP_DIR_PREFIX)) return [];
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  const killed: ReapedWriter[] = [];
  for (const pid of pids) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    } catch {
      continue;
    }
    const program = basename(argv[0] ?? "");
    if (!WRITERS.has(program) || !argv.some((a) => a.startsWith(`${dir}/`))) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
      killed.push({ pid: Number(pid), program });
    } catch {
      // Gone meanwhile, or not ours to signal.
    }
  }
  return killed;
}
