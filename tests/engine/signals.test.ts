// SIGUSR1/SIGUSR2 add and remove workers in a real `alpenhorn serve` process
// (alpenhorn/daemon/scheduler/pool.py: setsignals, WorkerPool, EmptyPool at 632dd41; its
// tests/daemon/scheduler/test_pool.py: test_signal), including the serial-I/O-only pool of a
// non-reentrant database extension.

import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { confFile, demoIndex, until } from "./_daemon.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BUN = resolve(ROOT, "node_modules/.bin/bun");
const FIXTURE = resolve(ROOT, "tests/fixtures/extensions/sqlite-database.ts");

/** Start the daemon; `messages` collects "LEVEL [thread] text" per stderr line. */
function serve(conf: string, home: string) {
  const proc = Bun.spawn([BUN, resolve(ROOT, "src/main.ts"), "--test-isolation", "-c", conf, "serve"], {
    cwd: home,
    env: { PATH: process.env.PATH ?? "", HOME: home },
    stdout: "pipe",
    stderr: "pipe",
  });
  const messages: string[] = [];
  void (async () => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of proc.stderr) {
      buf += dec.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = /^\w{3} \d\d \d\d:\d\d:\d\d (\w+) >> \[([^\]]+)\] (.*)$/.exec(line);
        messages.push(m ? `${m[1]} [${m[2]}] ${m[3]}` : line);
      }
    }
  })();
  const seen = (msg: string) => messages.includes(msg);
  const wait = (msg: string) => until(() => seen(msg), 15000, msg);
  const count = (msg: string) => messages.filter((m) => m === msg).length;
  return { proc, messages, seen, wait, count };
}

describe("worker-count signals", () => {
  test("WorkerPool: USR2 on no workers warns; USR1 adds Worker#1, #2; USR2 stops the highest", async () => {
    await using idx = await demoIndex("sqlite");
    const d = serve(confFile(idx), idx.dir.path);
    try {
      await d.wait("INFO [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 0 workers");
      d.proc.kill("SIGUSR2");
      await d.wait("WARNING [MainThread] WorkerPool ignoring decrement request: no workers");
      expect(d.seen("INFO [MainThread] Caught SIGUSR2: decrementing workers.")).toBe(true);
      d.proc.kill("SIGUSR1");
      await d.wait("INFO [Worker#1] Started.");
      d.proc.kill("SIGUSR1");
      await d.wait("INFO [Worker#2] Started.");
      expect(d.count("INFO [MainThread] Caught SIGUSR1: incrementing workers.")).toBe(2);
      await d.wait("INFO [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 2 workers");
      d.proc.kill("SIGUSR2");
      await d.wait("INFO [Worker#2] Stopped.");
      await d.wait("INFO [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 1 workers");
      expect(d.seen("INFO [Worker#1] Stopped.")).toBe(false);
      d.proc.kill("SIGTERM");
      expect(await d.proc.exited).toBe(0);
      expect(d.messages.filter((m) => m.startsWith("ERROR"))).toEqual([]);
    } finally {
      d.proc.kill("SIGKILL");
    }
  });

  test("serial I/O only: USR1 is refused with alpenhorn's intended message, USR2 does nothing", async () => {
    await using idx = await demoIndex("sqlite");
    const conf = confFile(idx, `extensions:\n  - ${FIXTURE}\n`, "  num_workers: 2\n");
    const d = serve(conf, idx.dir.path);
    try {
      await d.wait("WARNING [MainThread] Database is not threadsafe: forcing serial I/O.");
      await d.wait("INFO [MainThread] Tasks: 0 queued, 0 deferred, 0 in-progress on 0 workers");
      d.proc.kill("SIGUSR1");
      await d.wait("INFO [MainThread] Ignoring request to add worker: serial I/O only");
      d.proc.kill("SIGUSR2");
      await d.wait("INFO [MainThread] Caught SIGUSR2: decrementing workers.");
      const mark = d.messages.length;
      await until(() => d.messages.slice(mark).some((m) => m.startsWith("INFO [MainThread] Tasks:")), 15000, "another loop");
      expect(d.messages.slice(mark).filter((m) => !m.startsWith("INFO [MainThread]") && !m.startsWith("WARNING [MainThread] No active nodes"))).toEqual([]);
      expect(d.messages.some((m) => m.includes("[Worker#"))).toBe(false);
      d.proc.kill("SIGTERM");
      expect(await d.proc.exited).toBe(0);
    } finally {
      d.proc.kill("SIGKILL");
    }
  });
});
