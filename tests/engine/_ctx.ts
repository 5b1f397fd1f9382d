// A bare daemon context for unit tests of the scheduler and I/O classes: a queue, metrics, a
// stop state, real fs threads and a logger whose messages ("LEVEL [flow] text") are collected.

import { Logger } from "../../src/common/logger.ts";
import { StopState, type DaemonContext } from "../../src/engine/context.ts";
import { fsService } from "../../src/engine/fs/service.ts";
import { FsPool } from "../../src/engine/fs/threads/pool.ts";
import { UpDownLock } from "../../src/engine/scheduler/tree-lock.ts";
import { NO_EXTENSIONS } from "../../src/engine/extensions/types.ts";
import { Metrics } from "../../src/engine/metrics.ts";
import { FairMultiFIFOQueue } from "../../src/engine/scheduler/queue.ts";
import type { Task } from "../../src/engine/scheduler/task.ts";

/** One fs thread pool for all bare contexts of a test file (threads are unref'd). */
let sharedPool: FsPool | undefined;

export function bareContext(opts: { fsTimeout?: number } = {}): DaemonContext & { messages: string[] } {
  const messages: string[] = [];
  const log = new Logger("daemon", "DEBUG", [
    {
      write: (line) => {
        const m = /^\w{3} \d\d \d\d:\d\d:\d\d (\w+) >> \[([^\]]+)\] ([\s\S]*)$/.exec(line);
        messages.push(m ? `${m[1]} [${m[2]}] ${m[3]}` : line);
      },
    },
  ]);
  const ctx = {
    log,
    queue: new FairMultiFIFOQueue<Task>(),
    metrics: new Metrics("testhost"),
    stop: new StopState(),
    host: "testhost",
    extensions: NO_EXTENSIONS,
    messages,
    treeLock: new UpDownLock(),
    fs: fsService((sharedPool ??= new FsPool({ minThreads: 2, maxThreads: 16, timeout: 600 })), log, opts.fsTimeout ?? 600),
    fsFor: (key: string) => fsService(sharedPool!, log, opts.fsTimeout ?? 600, key),
  };
  // config and db are not used by the code under test.
  return ctx as unknown as DaemonContext & { messages: string[] };
}
