// The three I/O contracts (spec §4.1–4.3). NodeIO does I/O on a local node, GroupIO dispatches
// work among a group's nodes, NodeRemote describes a possibly non-local node and does no I/O.
// Methods marked "later" belong to verification/deletion/pull issues and are optional here.

import type { ArchiveFileCopyRequestRow, ArchiveFileCopyRow, ArchiveFileRow, StorageGroupRow, StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import type { UpdateableNode } from "../updateable/node.ts";

/** Parsed `io_config` (a JSON object; NULL → {}). */
export type IOConfig = Record<string, unknown>;

export interface NodeIOInit {
  readonly node: StorageNodeRow;
  readonly config: IOConfig;
  readonly fifo: FifoKey;
  readonly ctx: DaemonContext;
}

export interface NodeIO {
  node: StorageNodeRow;
  readonly config: IOConfig;
  readonly fifo: FifoKey;
  /** Watching kind for auto-import: "native" (inotify via @parcel/watcher), or null = impossible. */
  readonly observer: "native" | null;

  /** Replace the cached row (id, name, io_class and io_config unchanged). */
  setStorage(row: StorageNodeRow): void;
  /** Pre-update hook; false cancels this loop's update. `idle`: nothing queued or running. */
  beforeUpdate(idle: boolean): boolean | Promise<boolean>;
  /** Low-priority work when idle after an update; `newlyIdle` = first since I/O happened. */
  idleUpdate(newlyIdle: boolean): void | Promise<void>;
  afterUpdate(): void | Promise<void>;
  /** Free bytes on the storage; `fast` callers accept null when that is expensive. */
  bytesAvail(fast: boolean): number | null | Promise<number | null>;
  /** The node is initialised on disk (not the index). Logs why not. */
  checkInit(): boolean;
  /** Initialise the node; only called when checkInit() is false. */
  init(): boolean;
  /** `rel` is a regular file (following symlinks). */
  exists(rel: string): boolean;
  /** Apparent size; `path` absolute or root-relative. */
  filesize(path: string): number;
  /** Bytes used on the medium, or null when unknown. */
  storageUsed(path: string): number | null;
  /** Every regular (non-symlink) file under root/rel, as absolute paths. */
  fileWalk(rel: string): Iterable<string>;
  /** The file is locked against import (a `.{name}.lock` sibling exists). */
  locked(path: string): boolean;
  /** Hex MD5 of root/path, or null on error (Default: also when written to meanwhile); stops early when `signal` aborts. */
  md5(path: string, signal?: AbortSignal): Promise<string | null>;
  /** Make a not-yet-managed path ready for I/O; false = try again later. */
  readyPath(path: string): boolean | Promise<boolean>;
  /** Stop background work of this instance (its FIFO is cleared by the caller). */
  stop?(): void;

  // Later issues (verification, deletion, pulls): optional until those land.
  check?(copy: ArchiveFileCopyRow): void;
  delete?(copies: ArchiveFileCopyRow[]): void;
  fits?(sizeB: number): boolean;
  pull?(req: ArchiveFileCopyRequestRow, didSearch: boolean): void;
  readyPull?(req: ArchiveFileCopyRequestRow): void;
}

export interface GroupIOInit {
  readonly group: StorageGroupRow;
  readonly config: IOConfig;
  readonly fifo: FifoKey;
  readonly ctx: DaemonContext;
}

export interface GroupIO {
  group: StorageGroupRow;
  readonly config: IOConfig;
  readonly fifo: FifoKey;
  /** Whether pulls go through pullSearch first. */
  readonly doPullSearch: boolean;
  setStorage(row: StorageGroupRow): void;
  /** Nodes the group will use, in priority order; empty when none is acceptable. */
  getNodes(): UpdateableNode[];
  /** Offer the local initialised member nodes; throw Error(message) if unusable. */
  setNodes(nodes: UpdateableNode[]): void;
  beforeUpdate(idle: boolean): boolean | Promise<boolean>;
  idleUpdate(): void | Promise<void>;
  afterUpdate(): void | Promise<void>;
  /** A node of the group holding `rel`, or null. */
  exists(rel: string): UpdateableNode | null;

  // Later issue (pulls).
  pull?(req: ArchiveFileCopyRequestRow, didSearch: boolean): void;
  pullSearch?(req: ArchiveFileCopyRequestRow): void;
}

/** A possibly non-local node, described but never touched (the source of a pull). */
export interface NodeRemote {
  readonly node: StorageNodeRow;
  /** `user@address:path` for remote transfer tools. */
  fileAddr(file: ArchiveFileRow, acqName: string): string;
  filePath(file: ArchiveFileRow, acqName: string): string;
  pullReady(file: ArchiveFileRow): boolean | Promise<boolean>;
  /** May a daemon on `host` pull from this node remotely? */
  remotePullOk(host: string): boolean;
}

/**
 * What an I/O class's factory receives: the init plus the built-in Default I/O, so a class
 * supplied by an extension can wrap or extend it without importing our sources (a compiled
 * binary has none to import).
 */
export interface NodeIOFactoryInit extends NodeIOInit {
  readonly defaultIO: (init: NodeIOInit) => NodeIO;
}
export interface GroupIOFactoryInit extends GroupIOInit {
  readonly defaultIO: (init: GroupIOInit) => GroupIO;
}

/** Called once per node (again after its io_class or io_config changes); may throw to skip it. */
export type NodeIOFactory = (init: NodeIOFactoryInit) => NodeIO;
export type GroupIOFactory = (init: GroupIOFactoryInit) => GroupIO;
export type NodeRemoteFactory = (node: StorageNodeRow, config: IOConfig) => NodeRemote;

/** One I/O class: any half may be missing (e.g. Transport has no node class). */
export interface IOClass {
  readonly node?: NodeIOFactory;
  readonly remote?: NodeRemoteFactory;
  readonly group?: GroupIOFactory;
}
