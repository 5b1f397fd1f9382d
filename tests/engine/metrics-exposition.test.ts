// The running daemon's /metrics (alpenhorn/common/metrics.py: Metric, start_promclient at
// 632dd41): every metric the in-scope code maintains is exposed with the `daemon` label, on a
// free port; none is served with --once.

import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../helpers/net.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe, until } from "./_daemon.ts";

/** Value of the series `name{labels}` (labels given in any order, daemon label included). */
function value(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries({ daemon: "alpenhost1", ...labels }).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const m = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2]!.split(/,(?=\w+=")/);
    if (have.length === want.length && want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

async function setUp(idx: Awaited<ReturnType<typeof demoIndex>>) {
  const { node, root } = await demoNode(idx);
  writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
  mkdirSync(join(root, "2025/02/21"), { recursive: true });
  writeFileSync(join(root, "2025/02/21/meta.txt"), "meta\n");
  return seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21/meta.txt", register: 1 });
}

describe("metrics of a running daemon", () => {
  for (const workers of [1, 0]) {
    test(`${workers} worker(s): in-scope metric names carry the daemon label`, async () => {
      await using idx = await demoIndex("sqlite");
      const req = await setUp(idx);
      const port = await freePort();
      let text = "";
      await runServe(idx, {
        once: false,
        daemon: `  num_workers: ${workers}\n  prom_client_port: ${port}\n`,
        during: async (out) => {
          await until(() => out.messages.includes(`INFO Completed import request #${req.id}.`), 15000, "import");
          await until(() => out.messages.filter((m) => m.startsWith("INFO Main loop execution")).length >= 2, 15000, "two loops");
          text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        },
      });
      const node = { name: "demo_storage1" };
      const fifo = "Node demo_storage1";
      const expected: Array<[string, Record<string, string>]> = [
        ["alpenhorn_node_available", node],
        ["alpenhorn_group_available", node],
        ["alpenhorn_node_update_total", node],
        ["alpenhorn_group_update_total", node],
        ["alpenhorn_node_idle", node],
        ["alpenhorn_group_idle", node],
        ["alpenhorn_main_loops_total", {}],
        ["alpenhorn_main_loop_time_seconds", {}],
        ["alpenhorn_hash_running_count", {}],
        ["alpenhorn_worker_count", { pool_type: "WorkerPool" }],
        ["alpenhorn_requests_completed_total", { type: "import", result: "success", node: "demo_storage1", group: "demo_storage1" }],
        ["alpenhorn_queue_size", { fifo, status: "queued" }],
        ["alpenhorn_queue_size", { fifo, status: "in-progress" }],
        ["alpenhorn_queue_size", { fifo, status: "deferred" }],
        ["alpenhorn_queue_size", { fifo, status: "any" }],
        ["alpenhorn_queue_size", { fifo: "_ALL", status: "queued" }],
        ["alpenhorn_queue_size", { fifo: "_ALL", status: "in-progress" }],
        ["alpenhorn_queue_size", { fifo: "_ALL", status: "deferred" }],
        ["alpenhorn_queue_size", { fifo: "_ALL", status: "any" }],
        ...(workers > 0
          ? ([
              ["alpenhorn_worker_running", { id: "1" }],
              ["alpenhorn_worker_idle", { id: "1" }],
            ] as Array<[string, Record<string, string>]>)
          : ([
              ["alpenhorn_serialio_tasks_total", {}],
              ["alpenhorn_serialio_loops_total", {}],
            ] as Array<[string, Record<string, string>]>)),
      ];
      const missing = expected.filter(([n, l]) => value(text, n, l) === undefined).map(([n, l]) => `${n}${JSON.stringify(l)}`);
      expect(missing).toEqual([]);
      expect(value(text, "alpenhorn_requests_completed_total", expected[10]![1])).toBe(1);
      expect(value(text, "alpenhorn_hash_running_count", {})).toBe(0);
      expect(value(text, "alpenhorn_node_available", node)).toBe(1);
      expect(value(text, "alpenhorn_worker_count", { pool_type: "WorkerPool" })).toBe(workers);
      expect(value(text, "alpenhorn_main_loops_total", {})).toBeGreaterThanOrEqual(2);
      // The tidy-up is exclusive: its FIFO was locked and unlocked again.
      expect(text).toContain('alpenhorn_queue_locked{daemon="alpenhost1",fifo="');
      for (const line of text.split("\n")) if (line && !line.startsWith("#")) expect(line).toContain('daemon="alpenhost1"');
    });
  }

  test("--once serves no metrics", async () => {
    await using idx = await demoIndex("sqlite");
    const port = await freePort();
    let refused = false;
    const r = await runServe(idx, { daemon: `  prom_client_port: ${port}\n` });
    expect(r.code).toBe(0);
    await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => (refused = true));
    expect(refused).toBe(true);
  });
});
