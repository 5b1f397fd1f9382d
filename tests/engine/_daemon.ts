// Helpers for daemon tests: an index with the pattern_importer component, a demo node and
// group, and an in-process daemon run whose log lines are captured.

import { mkdirSync, writeFileSync } from "node:fs";
import { runDaemon, type DaemonOptions } from "../../src/engine/daemon.ts";
import { StopState } from "../../src/engine/context.ts";
import { COMPONENT, SCHEMA_VERSION, TABLES, register_extensions } from "../../src/engine/extensions/pattern-importer.ts";
import type { DataIndexExtension } from "../../src/engine/extensions/types.ts";
import { CORE, initDataIndex } from "../../src/index/init.ts";
import { emptyIndex, type Backend, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";

export const HOST = "alpenhost1";

export async function demoIndex(backend: Backend): Promise<TestIndex> {
  const idx = await emptyIndex(backend);
  const ext = register_extensions()[0] as DataIndexExtension;
  await initDataIndex(idx.db, [CORE, { component: COMPONENT, version: SCHEMA_VERSION, tables: TABLES, postInit: ext.postInit }], () => undefined);
  return idx;
}

export async function demoNode(idx: TestIndex, f: { active?: number; auto_import?: number; name?: string } = {}) {
  const name = f.name ?? "demo_storage1";
  const root = idx.dir.join(name);
  mkdirSync(root, { recursive: true });
  const group = await seed.group(idx.db, { name });
  const node = await seed.node(idx.db, { name, group_id: group.id, root, host: HOST, active: f.active ?? 1, auto_import: f.auto_import ?? 0 });
  return { node, group, root };
}

export interface RunResult {
  code: number;
  lines: string[];
  /** Messages without the timestamp/level/thread prefix, with level: "INFO msg". */
  messages: string[];
}

/** `daemonExtra`: more YAML lines under `daemon:` (indented two spaces), e.g. "  num_workers: 2\n". */
export function confFile(idx: TestIndex, extra = "", daemonExtra = ""): string {
  const path = idx.dir.join("daemon.conf");
  writeFileSync(
    path,
    `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\n${extra.includes("extensions:") ? "" : "extensions: [pattern_importer]\n"}daemon:\n  update_interval: 1\n${daemonExtra.includes("num_workers") ? "" : "  num_workers: 0\n"}${daemonExtra}${extra}`,
  );
  return path;
}

/** Run the daemon in-process; `during` can act while it runs (then triggers SIGTERM-like stop). */
export async function runServe(
  idx: TestIndex,
  opts: {
    once?: boolean;
    extra?: string;
    daemon?: string;
    subscribe?: DaemonOptions["subscribe"];
    during?: (out: RunResult, stop: StopState) => Promise<void>;
  } = {},
): Promise<RunResult> {
  const out: RunResult = { code: -1, lines: [], messages: [] };
  const stop = new StopState();
  const dopts: DaemonOptions = {
    confFile: confFile(idx, opts.extra, opts.daemon),
    testIsolation: true,
    once: opts.once ?? true,
    env: { HOME: idx.dir.path },
    cwd: idx.dir.path,
    stderr: {
      write: (line) => {
        out.lines.push(line);
        const m = /^\w{3} \d\d \d\d:\d\d:\d\d (\w+) >> \[[^\]]+\] ([\s\S]*)$/.exec(line);
        out.messages.push(m ? `${m[1]} ${m[2]}` : line);
      },
    },
    stop,
    subscribe: opts.subscribe,
  };
  const running = runDaemon(dopts);
  if (opts.during) {
    try {
      await opts.during(out, stop);
    } catch (err) {
      // Stop the daemon before failing, so a failed test leaves nothing running.
      stop.stop("SIGTERM");
      await running.catch(() => undefined);
      throw err;
    }
    stop.stop("SIGTERM");
  }
  out.code = await running;
  return out;
}

/** Poll until `pred` holds (or fail after `ms`). */
export async function until(pred: () => boolean | Promise<boolean>, ms = 15000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}
