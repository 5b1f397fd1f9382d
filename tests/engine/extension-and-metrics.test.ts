// An import-detect extension loaded by path (examples/example-extension.ts) drives import,
// and the Prometheus exposition renders alpenhorn's metric names with the daemon label.

import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Metrics, serveMetrics } from "../../src/engine/metrics.ts";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";
import { freePort } from "../helpers/net.ts";

const EXAMPLE = resolve(import.meta.dir, "../../examples/example-extension.ts");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`extension by path [${backend}]`, () => {
    test("example extension names the acquisition", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "run_0001/data"), { recursive: true });
      writeFileSync(join(root, "run_0001/data/x.h5"), "abc");
      writeFileSync(join(root, "other.txt"), "abc");
      await seed.importRequest(idx.db, { node_id: node.id, path: ".", recurse: 1, register: 1 });
      const r = await runServe(idx, { extra: `extensions:\n  - ${EXAMPLE}\n` });
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`INFO Loading extension module: ${EXAMPLE}`);
      expect(r.messages).toContain('INFO Acquisition "run_0001" added to DB.');
      expect(r.messages).toContain("INFO Not importing non-acquisition path: other.txt");
      const f = await idx.db.get<{ name: string; md5sum: string }>("SELECT name, md5sum FROM archivefile");
      expect(f).toEqual({ name: "data/x.h5", md5sum: "900150983cd24fb0d6963f7d28e17f72" });
    });
  });
}

describe("metrics", () => {
  test("text exposition with prefix, _total counters and the daemon label, served on /metrics", async () => {
    const m = new Metrics("alpenhost1");
    m.inc("main_loops");
    m.set("node_available", 1, { name: "n1" });
    const port = await freePort();
    const stop = serveMetrics(m, port);
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toContain('alpenhorn_main_loops_total{daemon="alpenhost1"} 1.0');
      expect(text).toContain('alpenhorn_node_available{daemon="alpenhost1",name="n1"} 1.0');
      expect(text).toContain("# TYPE alpenhorn_main_loops_total counter");
    } finally {
      stop();
    }
  });
});
