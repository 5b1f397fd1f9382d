// The extension API: everything an extension module sees of alpenhorn-ts, in one file. An
// extension is a TypeScript or JavaScript module named in the config's `extensions:` list that
// exports `register_extensions()`, returning objects of the kinds below (alpenhorn's
// alpenhorn/extensions/*.py at 632dd41 has the same four kinds). examples/ builds on this file.
//
// I/O classes never see the daemon's internals: a node is a read-only NodeInfo, and what they
// may do goes through IOServices (logging, clock, metrics, off-loop filesystem calls with
// timeouts, tasks on their own FIFO, the index operations below, the directory-tree lock).
// Only type imports appear here, so an extension loaded by path can `import type` it freely.

import type { Db, Driver } from "../index/driver/types.ts";
import type { ArchiveAcqRow, ArchiveFileCopyRow, ArchiveFileRow, StorageNodeRow } from "../index/rows.ts";
import type { TableDef } from "../index/schema.ts";
import type { VersionSpec } from "../index/version.ts";

// ---------------------------------------------------------------------------------------------
// Extension kinds

interface ExtensionBase {
  /** Non-empty, without dots; the full name is `{module}.{name}`. */
  readonly name: string;
  readonly version: string;
  /** Data Index components this extension needs, with version requirements. */
  readonly requireSchema?: Readonly<Record<string, VersionSpec>>;
}

/** Replaces the built-in database connection. */
export interface DatabaseExtension extends ExtensionBase {
  readonly type: "database";
  connect(config: Record<string, unknown>): Promise<Driver>;
  /** False forces the daemon to serial I/O. */
  readonly reentrant?: boolean;
}

/** Adds tables to the Data Index (created by `alpenhorn db init`). */
export interface DataIndexExtension extends ExtensionBase {
  readonly type: "data-index";
  readonly component: string;
  readonly schemaVersion: number;
  readonly tables: readonly TableDef[];
  /** Fills the new tables inside `db init`'s transaction; throw PostInitError to fail softly. */
  postInit?(db: Db): Promise<void>;
}

/** Called in the import's transaction after a new copy is registered, with the rows it created. */
export type ImportCallback = (
  db: Db,
  copy: ArchiveFileCopyRow,
  newFile: ArchiveFileRow | null,
  newAcq: ArchiveAcqRow | null,
  node: StorageNodeRow,
) => Promise<void>;

/** What an import-detect function answers for a path relative to a node root. */
export interface DetectResult {
  /** The acquisition's name, or null: "not an acquisition path". */
  readonly acqName: string | null;
  readonly callback?: ImportCallback;
}

/** Decides which acquisition a newly found file belongs to. */
export interface ImportDetectExtension extends ExtensionBase {
  readonly type: "import-detect";
  detect(db: Db, path: string, node: StorageNodeRow): Promise<DetectResult>;
}

/**
 * An I/O class: nodes and groups whose `io_class` equals `ioClassName` (exactly; not one of the
 * built-in names) are served by these factories. A factory is called once per node or group
 * (again after its io_class or io_config changes) and may throw to skip it, with an ERROR naming
 * the class, until its config is fixed. `init.defaultIO(init)` builds the built-in Default I/O
 * to wrap or extend. examples/example-io-class.ts shows one.
 */
export interface IOClassExtension extends ExtensionBase {
  readonly type: "io-class";
  readonly ioClassName: string;
  readonly nodeClass?: NodeIOFactory;
  readonly groupClass?: GroupIOFactory;
}

export type Extension = DatabaseExtension | DataIndexExtension | ImportDetectExtension | IOClassExtension;

// ---------------------------------------------------------------------------------------------
// What I/O classes see

/** Parsed `io_config` (a JSON object; NULL → {}). */
export type IOConfig = Readonly<Record<string, unknown>>;

/** A storage node as an I/O class sees it: a snapshot of its row, renewed every update loop. */
export interface NodeInfo {
  readonly id: number;
  readonly name: string;
  /** The node's root directory (absolute). */
  readonly root: string;
  readonly groupId: number;
  readonly host: string | null;
  /** Log-in details for remote pulls from this node. */
  readonly username: string | null;
  readonly address: string | null;
  readonly active: boolean;
  /** Archive node (632dd41's `storage_type` A; main's `archive`): counts towards the archive-copy rule. */
  readonly archive: boolean;
  /** Transport node (632dd41's `storage_type` T; on upstream main's table layout, every non-archive node). */
  readonly transport: boolean;
  readonly ioClass: string | null;
  readonly autoImport: boolean;
  /** Copies to re-verify per idle update (0: off). */
  readonly autoVerify: number;
  readonly availGb: number | null;
  readonly minAvailGb: number;
  readonly maxTotalGb: number | null;
}

/** A storage group as a GroupIO sees it. */
export interface GroupInfo {
  readonly id: number;
  readonly name: string;
  readonly ioClass: string | null;
}

/** Logs in the daemon's format, with the running worker's name. */
export interface IOLog {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

export interface IOClock {
  /** Wall-clock time. */
  now(): Date;
  /** Seconds on a monotonic clock. */
  monotonic(): number;
}

/** The daemon's Prometheus metrics (`alpenhorn_` prefix and `daemon` label added). */
export interface IOMetrics {
  inc(name: string, labels?: Record<string, string>): void;
  add(name: string, amount: number, labels?: Record<string, string>): void;
  set(name: string, value: number, labels?: Record<string, string>): void;
}

/** What stat and lstat report; null from them means the path does not exist. */
export interface StatInfo {
  readonly kind: "file" | "dir" | "symlink" | "other";
  readonly size: number;
  /** Bytes on the medium (st_blocks × 512). */
  readonly used: number;
  readonly mtimeMs: number;
  readonly dev: number;
  readonly ino: number;
}

/** One directory level, by kind; symlinks to directories apart (the caller decides to enter). */
export interface DirListing {
  readonly files: string[];
  readonly dirs: string[];
  readonly linkDirs: string[];
}

/** MD5 of a file, or `changed` when it was written to while it was read. */
export type Md5Result = { readonly md5: string; readonly size: number } | { readonly changed: true };

/** What a copy's file looks like on disk (FsService.checkFile). */
export type CopyFacts =
  | { readonly state: "missing" }
  /** Something other than a regular file (a symlink, a directory, a pipe) at the copy's path. */
  | { readonly state: "not-file" }
  | { readonly state: "outside" }
  /** The size differs from the expected one: no MD5 was computed. */
  | { readonly state: "size"; readonly size: number }
  | { readonly state: "hashed"; readonly md5: string; readonly size: number; readonly used: number }
  /** Written to while it was read: it describes no state of the file. */
  | { readonly state: "changed" }
  /** Present but unreadable (EACCES, EIO…). */
  | { readonly state: "unreadable"; readonly code: string };

/** One file of a batch of imports: root-relative, hashed only when `hash` (not yet registered). */
export interface ImportItem {
  readonly rel: string;
  readonly hash: boolean;
}

/** What the fs threads found of one file of a batch of imports (FsService.importFacts). */
export type FsImportFact =
  /** Leaves the root (lexically or through a symlink). */
  | { readonly state: "outside" }
  /** Missing, or not a regular file. */
  | { readonly state: "non-file" }
  /** A `.{name}.lock` sibling exists. */
  | { readonly state: "locked" }
  /** A regular file; `md5` when it was asked for (size and mtime the same before and after it). */
  | { readonly state: "file"; readonly size: number; readonly used: number; readonly mtimeMs: number; readonly md5: string | null }
  /** Written to while hashed. */
  | { readonly state: "hash-changed"; readonly path: string }
  /** Could not be opened or read for its MD5. */
  | { readonly state: "unreadable"; readonly path: string; readonly code: string }
  /** Size or mtime moved between the first stat and the end of the hash. */
  | { readonly state: "changed" }
  /** Gone after it was hashed. */
  | { readonly state: "gone" }
  /** Not looked at: the batch's hashing budget was spent first. */
  | { readonly state: "later" };

/** A batch import's facts as the node's I/O class reports them (NodeIO.importBatch); MD5 failures are logged by the class. */
export type ImportFact = Exclude<FsImportFact, { readonly state: "hash-changed" | "unreadable" | "gone" }> | { readonly state: "unread" };

/** What removing one copy's file did: "outside" when its path leaves the node root. */
export type RemoveFact = "removed" | "missing" | "outside" | { readonly error: string };

/** One directory an empty-directory pruning visited. */
export type PruneFact = { readonly dir: string; readonly removed: true } | { readonly dir: string; readonly error: string };

/**
 * The verdict of a copy check (NodeIO.check). `retry` leaves the copy suspect, to be checked
 * again later: it changed while it was read, or the storage did not answer.
 */
export type CheckOutcome =
  | { readonly result: "ok"; readonly used: number }
  | { readonly result: "missing" }
  | { readonly result: "size"; readonly size: number }
  /** MD5 differs; null when the file could not be read. */
  | { readonly result: "md5"; readonly md5: string | null }
  | { readonly result: "not-file" }
  | { readonly result: "retry"; readonly why: string }
  /**
   * Not yet (e.g. a file being restored from tape): the daemon's check task waits `seconds`
   * without holding a worker, then takes the verdict from `resume()` (which may wait again).
   */
  | { readonly result: "wait"; readonly seconds: number; readonly resume: () => Promise<CheckOutcome> };

/** What is at a pull's target name (lstat: a symlink is reported as such, never followed). */
export type TargetKind = "none" | "file" | "symlink" | "other";

/** FsService.pullPrepare: the destination directory exists and the placeholder is in place. */
export interface PreparedPull {
  /** The destination directory was created by this call. */
  readonly createdDir: boolean;
  readonly target: TargetKind;
}

/** FsService.pullLink: a hard link renamed over the target, or no link made. */
export type LinkResult =
  | { readonly state: "linked"; readonly size: number; readonly used: number }
  /** The linked inode's size or MD5 is not the expected one: the link was dropped, the target untouched. */
  | { readonly state: "mismatch"; readonly size: number }
  /** No link made (another filesystem, no permission…): the caller may copy instead. */
  | { readonly state: "unlinkable"; readonly code: string; readonly message: string };

/** One local pull of FsService.pullLinkMany: `rel` under the destination root. */
export interface LinkItem {
  readonly rel: string;
  /** Absolute path of the source copy. */
  readonly source: string;
  /** The registered size and MD5 (null: none registered): a linked inode of other bytes is dropped. */
  readonly size: number;
  readonly md5: string | null;
  /** Replace a regular file found at the target (the index knows it corrupt). */
  readonly overwrite: boolean;
}

/** FsService.pullLinkMany, per item. */
export type LinkManyFact =
  | (LinkResult & { readonly state: "linked"; readonly ms: number })
  | Exclude<LinkResult, { readonly state: "linked" }>
  /** A regular file is already at the target (and `overwrite` was not given). */
  | { readonly state: "present"; readonly used: number }
  /** Something other than a regular file or symlink is at the target. */
  | { readonly state: "other"; readonly target: string }
  | { readonly state: "outside" }
  | { readonly state: "error"; readonly code: string; readonly message: string };

export interface LinkManyResult {
  readonly results: LinkManyFact[];
  /** Directories this call created (for the `Creating directory` lines). */
  readonly createdDirs: string[];
}

/** FsService.pullCopy: the outcome of a verified internal copy. */
export type CopyResult =
  /** Copied, its MD5 equal to the expected one, and renamed over the target. */
  | { readonly state: "copied"; readonly size: number; readonly used: number; readonly md5: string }
  /** The received bytes' MD5 differs from the expected one: nothing was renamed, the temporary is gone. */
  | { readonly state: "mismatch"; readonly size: number; readonly md5: string | null }
  /** The source changed while it was copied (size or mtime moved): nothing was kept. */
  | { readonly state: "changed" };

/**
 * Filesystem calls, each run on an fs thread (never on the daemon's event loop) and guarded by
 * a timeout (`daemon.fs_timeout`, 600 s by default; for `md5`, per 32 MiB read). A call that
 * times out logs `Timeout after 10m00s calling stat("/path").` and rejects with an error whose
 * name is "FsTimeoutError"; other failures reject with the Node fs error (its `code`, `path`).
 * Paths are absolute; keeping them inside a node root is the caller's job.
 */
export interface FsService {
  stat(path: string): Promise<StatInfo | null>;
  lstat(path: string): Promise<StatInfo | null>;
  /** The first line of a small text file; null when it does not exist. */
  readFirstLine(path: string): Promise<string | null>;
  writeText(path: string, text: string): Promise<void>;
  /** null when the directory does not exist or cannot be read. */
  listDir(path: string): Promise<DirListing | null>;
  /** Free bytes for unprivileged users on the filesystem holding `path`; null when unknown. */
  statfs(path: string): Promise<number | null>;
  /** Never follows a final symlink; refuses anything but a regular file. */
  md5(path: string, signal?: AbortSignal): Promise<Md5Result>;
  /** Unlinks a file or a symlink itself (never its target); false when already gone. */
  unlink(path: string): Promise<boolean>;
  rmdir(path: string): Promise<"removed" | "not-empty" | "missing">;
  /** Remove a directory tree (symlinks in it are removed, never followed). */
  rmTree(path: string): Promise<void>;
  /** `path` (absolute, or relative to `root`) as an absolute path inside `root`, or null when it
   * leaves the root lexically or through a symlink. */
  confine(root: string, path: string): Promise<string | null>;
  /** Every component must exist; symlinks resolved (Python's `Path.resolve(strict=True)`). */
  realpath(path: string): Promise<string>;
  /** Size (when `expectedSize` is truthy) then MD5 of root/rel, in one call; never follows a
   * symlink at the path, nor leaves the root. */
  checkFile(root: string, rel: string, expectedSize: number | null): Promise<CopyFacts>;
  /** checkFile for many copies in one round trip; the timeout restarts after each file. */
  checkFiles(root: string, items: ReadonlyArray<{ readonly rel: string; readonly size: number | null }>): Promise<CopyFacts[]>;
  /** A batch of imports' confine, lstat, lock check and (for items asking) MD5, in one call; the
   * timeout restarts after each file. Hashing stops once `byteCap` bytes are hashed ("later"). */
  importFacts(root: string, items: readonly ImportItem[], byteCap: number): Promise<FsImportFact[]>;
  /** Unlink root/rel for each rel (a symlink there is removed itself, never followed). */
  removeFiles(root: string, rels: string[]): Promise<RemoveFact[]>;
  /** removeFiles, then pruneDirs of the directories they leave; hold the tree lock "down". */
  removeAndPrune(root: string, rels: string[]): Promise<{ files: RemoveFact[]; dirs: PruneFact[] }>;
  /** rmdir each directory and its parents while empty, never the root itself. */
  pruneDirs(root: string, dirs: string[]): Promise<PruneFact[]>;
  /**
   * A pull's first step (hold the tree lock "up" around it): create the target's directory with
   * parents and, when `placeholder`, `.{name}.placeholder` beside the target; report what is at
   * the target name (never following a symlink).
   */
  pullPrepare(target: string, placeholder: boolean): Promise<PreparedPull>;
  /** Remove the target's placeholder (hold the tree lock "up"); false when already gone. */
  pullUnplace(target: string): Promise<boolean>;
  /**
   * Hard-link `source` to a temporary name beside `target`, then rename it over the target when
   * its size is `expectedSize` and its MD5 `expectedMd5` (unless null: the index has none).
   */
  pullLink(source: string, target: string, expectedSize: number, expectedMd5: string | null): Promise<LinkResult>;
  /**
   * pullLink for many items in one round trip (hold the tree lock "up"): targets confined under
   * `root`, directories created, each directory fsynced once after its links.
   */
  pullLinkMany(root: string, items: readonly LinkItem[]): Promise<LinkManyResult>;
  /**
   * Copy `source` to a temporary name beside `target`, fsync, MD5 the received bytes and rename
   * over the target only when they equal `expectedMd5`. `timeout` (seconds; null: none) restarts
   * at every 32 MiB moved.
   */
  pullCopy(source: string, target: string, expectedMd5: string | null, timeout: number | null): Promise<CopyResult>;
  /**
   * A fresh private directory `.alpentemp.<random>.<pid>` (mode 0700) beside `target`, for a
   * transfer tool to write into: whatever it leaves there is ours and the tidy-up removes it.
   */
  pullTempDir(target: string): Promise<string>;
  /**
   * Verify a file a transfer tool wrote at `received` (inside `tempDir`, from pullTempDir): its
   * MD5 against `expectedMd5`, and only when equal, rename it over `target`. `tempDir` is
   * removed either way. The timeout restarts at every 32 MiB hashed.
   */
  pullAdopt(received: string, target: string, expectedMd5: string | null, tempDir: string, prehash?: TailHash | null): Promise<AdoptResult>;
  /**
   * Hash the file rsync is writing for `name` in `tempDir` while it arrives, until `flag[0]`
   * (an Int32Array on a SharedArrayBuffer) is set to 1 (rsync exited 0) or 2 (failed), with
   * Atomics.notify; null when it failed or could not be followed. Given to pullAdopt, it spares
   * reading the file back when it names the received file's inode and size and the expected MD5.
   */
  pullTail(tempDir: string, name: string, flag: Int32Array): Promise<TailHash | null>;
  /** fsync a file a transfer tool received, on a thread of its own (overlaps pullAdopt's MD5); false when it is gone. */
  pullFlush(received: string): Promise<boolean>;
  /** SIGKILL rsync and bbcp processes (Linux) still writing into the stale temporary directory `dir`. */
  pullReapWriters(dir: string): Promise<ReapedWriter[]>;
}

/** FsService.pullReapWriters: a stale transfer tool it killed. */
export interface ReapedWriter {
  readonly pid: number;
  /** The program's name as its command line gives it: `rsync` or `bbcp`. */
  readonly program: string;
}

/** FsService.pullTail's flag: the transfer ended well (its bytes are all there), or failed. */
export const TAIL_ENDED = 1;
export const TAIL_FAILED = 2;

/** FsService.pullTail: the MD5 of the bytes of one inode, read while a transfer tool wrote them. */
export interface TailHash {
  readonly md5: string;
  readonly size: number;
  /** The file's device and inode numbers, as decimal strings (exact beyond 2^53). */
  readonly dev: string;
  readonly ino: string;
}

/** FsService.pullAdopt: the outcome of verifying what a transfer tool received. */
export type AdoptResult =
  /** Verified and renamed over the target. */
  | { readonly state: "adopted"; readonly size: number; readonly used: number; readonly md5: string }
  /** The received bytes' MD5 differs (or nothing usable arrived: md5 null); nothing was kept. */
  | { readonly state: "mismatch"; readonly size: number | null; readonly md5: string | null };

/** What an external command did (CommandService.run). */
export interface CommandResult {
  /** Exit status; null when the process was killed (timeout, daemon stopping) or died of a signal. */
  readonly rc: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed because it ran past its timeout. */
  readonly overrun: boolean;
}

/**
 * External commands for transfer tools: an argv array, never a shell. Each run logs
 * `Running command [timeout=…]: …` (DEBUG); one past its timeout is sent SIGKILL with
 * `Process overrun [timeout=…]: …` (WARNING). The process dies with the daemon.
 */
export interface CommandService {
  run(argv: readonly string[], timeout: number | null): Promise<CommandResult>;
  /** The program's path on the daemon's PATH, or null. */
  which(name: string): string | null;
}

/** The daemon's settings for remote pulls (config `daemon.rsync_rsh`, `daemon.rsync_bwlimit`). */
export interface RemotePullSettings {
  /** rsync's `--rsh` command (rsync splits it itself; no shell): the site's ssh. Default `ssh -q`. */
  readonly rsh: string;
  /** rsync's `--bwlimit` in KiB/s; null: none. */
  readonly bwlimit: number | null;
}

/** A task body: an async function, or an async generator whose yields mean "run me again in N s". */
export type TaskBody = () => Promise<void> | AsyncGenerator<number | undefined, void, void>;

export interface TaskSpec {
  /** As logged in `Beginning task …` / `Finished task: …`. */
  readonly name: string;
  readonly body: TaskBody;
  /** Runs alone on this I/O instance's FIFO (nothing else of it in progress). */
  readonly exclusive?: boolean;
}

/** Tasks queued on the calling I/O instance's own FIFO and run by the daemon's workers. */
export interface TaskRunner {
  /** False when the FIFO no longer takes tasks (the node is being stopped). */
  queue(task: TaskSpec): boolean;
}

/** A file copy on one node, as IndexOps reports it. */
export interface CopyInfo {
  readonly id: number;
  readonly fileId: number;
  /** `acq/file`, relative to the node root. */
  readonly rel: string;
  /** The file's registered size (ArchiveFile.size_b). */
  readonly size: number | null;
  readonly hasFile: "Y" | "M" | "X" | "N";
  /** On the storage's disk now (staging classes such as LustreHSM keep this up to date). */
  readonly ready: boolean;
  readonly lastUpdate: string;
}

/** An endless walk over a node's present copies from a random start, wrapping around. */
export interface CopyWalk {
  /** The next `n` copies (repeating when fewer exist); [] when the node has none (the walk restarts). */
  next(n: number): Promise<CopyInfo[]>;
}

/** The Data Index operations an I/O class may call. */
export interface IndexOps {
  /** Names of every acquisition (where a node may keep files). */
  acqNames(): Promise<string[]>;
  /** The copy of file `fileId` on node `nodeId`, or null. */
  copyOfFile(nodeId: number, fileId: number): Promise<CopyInfo | null>;
  /** The copy of `acqName/fileName` on node `nodeId`, or null. */
  copyByName(nodeId: number, acqName: string, fileName: string): Promise<CopyInfo | null>;
  /** Present (has_file Y), ready copies of the node, least recently updated first, in batches. */
  readyCopiesByAge(nodeId: number): AsyncIterable<CopyInfo[]>;
  /** Set a copy's `ready` flag (and its last_update); false when the copy is gone. */
  setCopyReady(copyId: number, ready: boolean): Promise<boolean>;
  /** The storage lost the copy's file: has_file N, not ready (and last_update). */
  markCopyGone(copyId: number): Promise<boolean>;
  /** A walk over the node's present (has_file Y) copies (alpenhorn's QueryWalker). */
  presentCopyWalk(nodeId: number): CopyWalk;
}

/**
 * Keeps directory creation (pulls, "up") and directory removal (deletes, "down") apart: any
 * number may hold the lock in one state, never in both at once.
 */
export interface TreeLock {
  hold<T>(state: "up" | "down", fn: () => Promise<T>): Promise<T>;
}

export interface IOServices {
  readonly log: IOLog;
  readonly clock: IOClock;
  readonly metrics: IOMetrics;
  readonly fs: FsService;
  readonly tasks: TaskRunner;
  readonly index: IndexOps;
  readonly treeLock: TreeLock;
  /** External transfer tools (rsync) and the settings of remote pulls. */
  readonly commands: CommandService;
  readonly remotePull: RemotePullSettings;
  /**
   * The Data Index's table layout: alpenhorn 632dd41's or upstream main's (README "Table
   * layouts"), for behaviour and wording that follow the alpenhorn of that layout.
   */
  readonly tableLayout: "632dd41" | "main";
  /** Aborted when the daemon stops: long work should end. */
  readonly stopping: AbortSignal;
  /** The worker running the caller: n for `Worker#n`, 0 on the main flow (alpenhorn's thread-local `worker_id`). */
  workerId(): number;
}

/**
 * A pull the daemon asks a destination node's I/O to carry out, after checking the request
 * against the index. The I/O class moves and verifies bytes; the daemon keeps the books.
 */
export interface PullJob {
  /** `acq/file`, relative to the destination root (and to the source's). */
  readonly rel: string;
  /** The file's size and MD5 as the index registers them. */
  readonly size: number;
  readonly md5: string | null;
  readonly source: NodeInfo;
  /** The source file's absolute path on the source node (its NodeRemote's filePath). */
  readonly sourcePath: string;
  /** The source node's host is this daemon's host. */
  readonly local: boolean;
  /** For a remote source, `user@address:path` (its NodeRemote's fileAddr); null when local. */
  readonly sourceAddr: string | null;
  /** A regular file already at the target may be replaced (the index knows it is corrupt). */
  readonly overwrite: boolean;
  /** Seconds a transfer may go without progress (`pull_timeout_base + size / pull_bytes_per_second`); null: no limit. */
  readonly timeout: number | null;
}

/** What a pull did. The received file is at the target name only for `done`. */
export type PullOutcome =
  | { readonly result: "done"; readonly used: number; /** Seconds this file's transfer took, when measured apart from others'. */ readonly seconds?: number }
  /** A regular file is at the target and may not be replaced: the daemon has it checked instead. */
  | { readonly result: "present"; readonly used: number | null }
  /** The received bytes are not the file the index describes: the source is suspect. Nothing was kept. */
  | { readonly result: "mismatch"; readonly md5: string | null }
  /** The transfer failed; `checkSrc` when the source may be at fault. Nothing was kept. */
  | { readonly result: "failed"; readonly checkSrc: boolean; readonly message: string }
  /** This class cannot carry out this pull (e.g. a remote source here): the request stays pending. */
  | { readonly result: "unsupported"; readonly why: string };

export interface NodeIOInit {
  readonly node: NodeInfo;
  readonly config: IOConfig;
  readonly services: IOServices;
}

export interface NodeIO {
  /** Replace the node snapshot (same id, io_class and io_config), once per update loop. */
  setNode(node: NodeInfo): void;
  /**
   * Watching kind for auto-import: "native" (inotify), "polling" (periodic scans every
   * `daemon.auto_import_interval` seconds, for NFS and the like), or null when impossible.
   */
  readonly observer: "native" | "polling" | null;
  /** Pre-update hook; false cancels this loop's update. `idle`: nothing queued or running. */
  beforeUpdate(idle: boolean): boolean | Promise<boolean>;
  /** Low-priority work when idle after an update; `newlyIdle` = first since I/O happened. */
  idleUpdate(newlyIdle: boolean): void | Promise<void>;
  afterUpdate(): void | Promise<void>;
  /** Free bytes on the storage; `fast` callers accept null when that is expensive. */
  bytesAvail(fast: boolean): Promise<number | null>;
  /** The node is initialised on disk (not in the index). Logs why not. */
  checkInit(): Promise<boolean>;
  /** Initialise the node; only called when checkInit() is false. */
  init(): Promise<boolean>;
  /** `rel` (root-relative) is a regular file, following symlinks inside the root. */
  exists(rel: string): Promise<boolean>;
  /** stat of a path (absolute, or root-relative) inside the root; null when absent. */
  stat(path: string): Promise<StatInfo | null>;
  /** Every regular (non-symlink) file under root/rel, as absolute paths, batch by batch. */
  fileWalk(rel: string): AsyncIterable<string[]>;
  /** The file is locked against import (a `.{name}.lock` sibling exists). */
  locked(path: string): Promise<boolean>;
  /** MD5 of root/path; null (logged) when it cannot be read, changed while read, or timed out. */
  md5(path: string, signal?: AbortSignal): Promise<string | null>;
  /** Make a not-yet-managed path ready for I/O; false = try again later. */
  readyPath(path: string): boolean | Promise<boolean>;
  /**
   * Check the copy at root/rel against the index's size (when truthy) and MD5. The daemon
   * records the verdict; the class only looks (LustreHSM-like classes restore first, answering
   * "wait" meanwhile). `copy` identifies the copy being checked, for classes that keep per-copy
   * state.
   */
  check(rel: string, expected: { readonly size: number | null; readonly md5: string | null }, copy?: { readonly id: number; readonly fileId: number }): Promise<CheckOutcome>;
  /**
   * Another node wants to pull root/rel from here and this node's NodeRemote says it is not
   * ready: make it ready (e.g. restore it from tape, normally in a task). Classes whose files are
   * always ready need not have it.
   */
  readyPull?(pull: { readonly rel: string; readonly fileId: number }): void | Promise<void>;
  /**
   * `check` for many (small) copies at once, outcomes in order. The daemon gathers checks of
   * small files into batches for classes that offer it.
   */
  checkBatch?(items: ReadonlyArray<{ readonly rel: string; readonly expected: { readonly size: number | null; readonly md5: string | null } }>): Promise<CheckOutcome[]>;
  /**
   * Remove the files of copies (root-relative paths), then the directories they leave empty,
   * up to the root, under the tree lock held "down". The daemon has already claimed the copies
   * and logs what was removed.
   */
  remove(rels: readonly string[]): Promise<{ readonly files: RemoveFact[]; readonly dirs: PruneFact[] }>;
  /**
   * Bring a file onto this node from another (the daemon's pull task, on this node's FIFO):
   * never a partial or unverified file at the target name, a symlink there replaced (never
   * written through), the placeholder created and removed under the tree lock "up". Classes
   * without it cannot receive pulls.
   */
  pull?(job: PullJob): Promise<PullOutcome>;
  /**
   * Several local pulls of one source node at once (outcomes in the order of `jobs`), with the
   * guarantees of `pull`. The daemon gathers local pulls into batches for classes that offer it,
   * so that syncing many small files costs one task and one transaction per batch.
   */
  pullBatch?(jobs: readonly PullJob[]): Promise<PullOutcome[]>;
  /**
   * The facts of many files to import at once, in order (`locked`, `md5` and `readyPath` for a
   * whole batch; MD5 failures logged as `md5` logs them). The daemon gathers the imports of a
   * big scan into batches for classes that offer it; a class redefining `locked`, `md5` or
   * `readyPath` must not offer it.
   */
  importBatch?(items: readonly ImportItem[], byteCap: number): Promise<ImportFact[]>;
  /** Stop background work of this instance (its FIFO is cleared by the daemon). */
  stop?(): void;
}

/** A member node as its group sees it this loop. */
export interface GroupMember {
  readonly node: NodeInfo;
  readonly io: NodeIO;
  /** Nothing queued or in progress on the node's FIFO. */
  readonly idle: boolean;
}

export interface GroupIOInit {
  readonly group: GroupInfo;
  readonly config: IOConfig;
  readonly services: IOServices;
}

export interface GroupIO {
  setGroup(group: GroupInfo): void;
  /** Whether pulls go through a pre-pull search first. */
  readonly doPullSearch: boolean;
  /** Members the group will use, in priority order; empty when none is acceptable. */
  getMembers(): GroupMember[];
  /** Offer this loop's local initialised member nodes; throw Error(message) if unusable. */
  setMembers(members: GroupMember[]): void;
  beforeUpdate(idle: boolean): boolean | Promise<boolean>;
  idleUpdate(): void | Promise<void>;
  afterUpdate(): void | Promise<void>;
  /** A member holding `rel`, or null. */
  exists(rel: string): Promise<GroupMember | null>;
  /**
   * The member a pull of `rel` into the group should go to; null: none now (the request stays
   * pending). Default: the first member. `offer` tells what is pulled from where, and lets the
   * group ask the daemon's own questions about a member before it chooses.
   */
  pullDestination?(rel: string, offer: PullOffer): GroupMember | null | Promise<GroupMember | null>;
}

/** What a group is told of a pull it places (GroupIO.pullDestination). */
export interface PullOffer {
  /** `acq/file`. */
  readonly rel: string;
  /** The file's size in the index (bytes). */
  readonly size: number;
  readonly source: NodeInfo;
  /** The source node's host is this daemon's host. */
  readonly local: boolean;
  /**
   * The member may take new files now: its free space is above `min_avail_gb` and its copies
   * below `max_total_gb`. A refusal is logged at `level` (default "info") as
   * `{message}: {why}`; `message` defaults to `Skipping pull for StorageNode {node}`.
   */
  destinationOk(member: GroupMember, message?: string, level?: "debug" | "info"): Promise<boolean>;
  /** `size` fits on the member, counting the room held for pulls already queued there. */
  fits(member: GroupMember): Promise<boolean>;
}

/** A possibly non-local node, described but never touched (the source of a pull). */
export interface NodeRemote {
  readonly node: NodeInfo;
  /** `user@address:path` for remote transfer tools. */
  fileAddr(acqName: string, fileName: string): string;
  filePath(acqName: string, fileName: string): string;
  pullReady(acqName: string, fileName: string): boolean | Promise<boolean>;
  /** May a daemon on `host` pull from this node remotely? */
  remotePullOk(host: string): boolean;
}

/** What an I/O class's node factory receives: the init, and the built-in Default I/O to build on. */
export interface NodeIOFactoryInit extends NodeIOInit {
  readonly defaultIO: (init: NodeIOInit) => NodeIO;
}
export interface GroupIOFactoryInit extends GroupIOInit {
  readonly defaultIO: (init: GroupIOInit) => GroupIO;
}

export type NodeIOFactory = (init: NodeIOFactoryInit) => NodeIO;
export type GroupIOFactory = (init: GroupIOFactoryInit) => GroupIO;
/** `index` answers questions about the node's copies (e.g. LustreHSM's `ready`). */
export type NodeRemoteFactory = (node: NodeInfo, config: IOConfig, index: IndexOps) => NodeRemote;
