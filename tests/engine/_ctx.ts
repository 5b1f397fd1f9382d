// A bare daemon context for unit tests of the scheduler and I/O classes: a queue, metrics, a
// stop state and a logger whose messages ("LEVEL [flow] text") are collected.

import { Logger } from "../../src/common/logger.ts";
import { StopState, type DaemonContext } from "../../src/engine/context.ts";
import { NO_EXTENSIONS } from "../../src/engine/extensions/types.ts";
import { Metrics } from "../../src/engine/metrics.ts";
import { FairMultiFIFOQueue } from "../../src/engine/scheduler/queue.ts";
import type { Task } from "../../src/engine/scheduler/task.ts";

export function bareContext(): DaemonContext & { messages: string[] } {
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
  };
  // config and db are not used by the code under test.
  return ctx as unknown as DaemonContext & { messages: string[] };
}
