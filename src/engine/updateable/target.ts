// What the node update's steps (import, scans, auto-import, checks, deletions) need of a node:
// kept apart from UpdateableNode so that those modules and the node that calls them do not
// import each other.

import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { FsService, NodeIO } from "../extension-api.ts";
import type { FifoKey } from "../scheduler/queue.ts";

export interface NodeTarget {
  readonly ctx: DaemonContext;
  readonly row: StorageNodeRow;
  readonly name: string;
  /** The node's I/O instance and its FIFO; null while the node has none. */
  readonly io: NodeIO | null;
  readonly fifo: FifoKey | null;
  /** Filesystem calls about this node (they fail fast while one of them hangs). */
  readonly fs: FsService;
  /** Labels of the requests_completed metric. */
  readonly where: { readonly node: string; readonly group: string };
  /** Paths with an import queued but not started (watcher de-duplication). */
  readonly pendingImports: Set<string>;
  /** This update queued I/O (the next idle update is then "newly idle"). */
  markIOHappened(): void;
}
