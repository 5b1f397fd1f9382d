// What every part of the running daemon shares: config, index, logger, queue, metrics, the
// host name, the loaded extensions and the two stop conditions (global abort after an
// unexpected task error; shutdown on SIGINT/SIGTERM).

import type { Config } from "../common/config.ts";
import type { Logger } from "../common/logger.ts";
import type { Driver } from "../index/driver/types.ts";
import type { CommandService, FsService, RemotePullSettings, TreeLock } from "./extension-api.ts";
import type { LoadedExtensions } from "./extensions/types.ts";
import type { Recorder } from "./integrity/recorder.ts";
import type { Metrics } from "./metrics.ts";
import type { FairMultiFIFOQueue } from "./scheduler/queue.ts";
import type { Task } from "./scheduler/task.ts";

export class StopState {
  /** Set by a worker on an unexpected task exception (alpenhorn/daemon/scheduler/pool.py at 632dd41 sets its global_abort). */
  globalAbort = false;
  /** Set on SIGINT/SIGTERM: take no new tasks, abandon long work. */
  readonly shutdown = new AbortController();
  /** Aborted on either condition; long operations watch it. */
  readonly any = new AbortController();
  /** Why the process stops (for the exit status). */
  reason: "abort" | "SIGINT" | "SIGTERM" | null = null;

  abort(): void {
    this.globalAbort = true;
    this.reason ??= "abort";
    this.any.abort();
  }
  stop(reason: "SIGINT" | "SIGTERM"): void {
    this.reason ??= reason;
    this.shutdown.abort();
    this.any.abort();
  }
  get stopping(): boolean {
    return this.any.signal.aborted;
  }
}

export interface DaemonContext {
  readonly config: Config;
  readonly db: Driver;
  readonly log: Logger;
  readonly queue: FairMultiFIFOQueue<Task>;
  readonly metrics: Metrics;
  /** The daemon's host name, fixed at loop start (alpenhorn/common/util.py: get_hostname). */
  readonly host: string;
  readonly extensions: LoadedExtensions;
  readonly stop: StopState;
  /** Filesystem calls, off the event loop and with timeouts (fs/threads/). */
  readonly fs: FsService;
  /** The same for the calls about one storage node, which fail fast while one of them hangs. */
  fsFor(nodeKey: string): FsService;
  /** The daemon's one directory-tree lock (pull mkdirs vs. delete rmdirs). */
  readonly treeLock: TreeLock;
  /** Batched index writes of check verdicts and finished deletions. */
  readonly recorder: Recorder;
  /** External transfer tools (io/commands.ts) and the remote-pull settings read at start-up. */
  readonly commands: CommandService;
  readonly remotePull: RemotePullSettings;
}
