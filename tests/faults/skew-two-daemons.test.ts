// Two daemons on one node, or another process writing the node's free-space check time: the
// update-skew check (`daemon.update_skew_threshold`, upstream 7449763) notices that the time
// it wrote last loop is not what it reads back, and after that many loops in a row the daemon
// stops with the spec's ERROR `FATAL: Multiple simultaneous updates of node "{name}"!`, exit 1.
// With the threshold at 0 the check is off and the daemon carries on.

import { expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { connectIndex } from "../../src/index/connect.ts";
import { backendSuites } from "../helpers/index.ts";
import type { DaemonProc } from "../helpers/daemon-proc.ts";
import { workspace, type Workspace } from "./hostile-kit.ts";

const FATAL = 'ERROR >> [MainThread] FATAL: Multiple simultaneous updates of node "A"!';
const conf = (threshold: number) =>
  `daemon:\n  host: h1\n  update_interval: 1\n  num_workers: 1\n  update_skew_threshold: ${threshold}\nlogging:\n  level: info\n`;

async function nodeA(ws: Workspace): Promise<void> {
  const root = ws.dir.join("roots/a");
  mkdirSync(root, { recursive: true });
  await ws.ok(["node", "create", "A", "--create-group", `--root=${root}`, "--host=h1", "--activate", "--init"]);
}

/** The daemon's exit status, once it has stopped by itself. */
async function exitOf(d: DaemonProc): Promise<number> {
  const code = await Promise.race([d.proc.exited, Bun.sleep(90_000).then(() => null)]);
  if (code === null) throw new Error(`daemon still running\n${d.text}`);
  return code;
}

const loops = (d: DaemonProc) => d.count(/^INFO >> \[MainThread\] Main loop execution was/);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`update-skew check on the compiled binary [${backend}]`, () => {
    test("two daemons on one node: the first to notice stops with the FATAL line and exit 1", async () => {
      await using ws = await workspace(backend, { daemonConf: conf(2) });
      await nodeA(ws);
      const first = await ws.daemon();
      await first.wait(/Node "A" initialised\.$/, 30_000);
      const second = await ws.daemon();
      const stopped = await Promise.race([first, second].map((d) => d.proc.exited.then(() => d)));
      expect(await exitOf(stopped)).toBe(1);
      expect(stopped.lines).toContain(FATAL);
      expect(stopped.text).not.toContain("Fatal error!");
    }, 120_000);

    test("another process rewriting the check time: refused after the default four loops", async () => {
      await using ws = await workspace(backend, {
        daemonConf: `daemon:\n  host: h1\n  update_interval: 1\n  num_workers: 1\nlogging:\n  level: info\n`,
      });
      await nodeA(ws);
      const d = await ws.daemon();
      await d.wait(/Node "A" initialised\.$/, 30_000);
      const meddling = meddle(ws.url);
      try {
        expect(await exitOf(d)).toBe(1);
      } finally {
        await meddling.stop();
      }
      expect(d.lines).toContain(FATAL);
      // Four loops in a row read a time it had not written (the first loop has nothing to compare).
      expect(loops(d)).toBeGreaterThanOrEqual(4);
    }, 120_000);

    test("threshold 0 turns the check off: the same meddling is ignored", async () => {
      await using ws = await workspace(backend, { daemonConf: conf(0) });
      await nodeA(ws);
      const d = await ws.daemon();
      await d.wait(/Node "A" initialised\.$/, 30_000);
      const meddling = meddle(ws.url);
      try {
        const from = loops(d);
        await d.until(() => loops(d) >= from + 6, "six more update loops", 60_000);
      } finally {
        await meddling.stop();
      }
      expect(d.has(FATAL)).toBe(false);
      expect(d.proc.exitCode).toBeNull();
    }, 120_000);
  });
}

/** A second writer: sets node A's check time to a fixed past time every 200 ms until stopped. */
function meddle(url: string): { stop(): Promise<void> } {
  let running = true;
  const done = (async () => {
    const db = await connectIndex({ url });
    try {
      while (running) {
        await db.run("UPDATE storagenode SET avail_gb_last_checked = '2001-02-03 04:05:06' WHERE name = 'A'");
        await Bun.sleep(200);
      }
    } finally {
      await db.close();
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
    },
  };
}
