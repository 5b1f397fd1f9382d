// examples/grafana-dashboard.json queries only metrics our daemon exports, with the labels it
// gives them: the names against every metric the sources set (src/engine/metrics.ts adds the
// `alpenhorn_` prefix, and `_total` to counters), and the names and labels against what a real
// daemon serves on daemon.prom_client_port after an import, a local pull and a check.

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { demoIndex, demoNode, runServe, until } from "../../engine/_daemon.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { freePort } from "../../helpers/net.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const dashboard = JSON.parse(readFileSync(join(ROOT, "examples/grafana-dashboard.json"), "utf8"));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Exported name → "counter" | "gauge", from every metrics call in src/. */
function exporterMetrics(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of sources(join(ROOT, "src")))
    for (const m of readFileSync(file, "utf8").matchAll(/metrics\.(set|add|gauge|inc)\(\s*"([a-z_]+)"/g)) {
      const type = m[1] === "inc" ? "counter" : "gauge";
      const name = `alpenhorn_${m[2]}${type === "counter" ? "_total" : ""}`;
      expect(out.get(name) ?? type).toBe(type);
      out.set(name, type);
    }
  return out;
}

const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
const names = (expr: string) => [...expr.matchAll(/\balpenhorn_[a-z_]+/g)].map((m) => m[0]);

/** Labels an expression needs of each metric: its selector keys and the `by (...)` keys. */
function labelsUsed(expr: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const by = [...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(",").map((s) => s.trim()));
  for (const m of expr.matchAll(/\b(alpenhorn_[a-z_]+)(\{([^}]*)\})?/g)) {
    const keys = new Set([...(m[3] ?? "").matchAll(/([a-z_]+)\s*(=~|!=|=)/g)].map((k) => k[1]!));
    for (const k of by) keys.add(k);
    out.set(m[1]!, keys);
  }
  return out;
}

describe("examples/grafana-dashboard.json", () => {
  test("is a Grafana dashboard covering imports, pulls, bytes, queue depth, workers, checks, deletions", () => {
    expect(dashboard.title).toBeString();
    expect(dashboard.schemaVersion).toBeGreaterThan(30);
    expect(dashboard.panels.length).toBeGreaterThan(6);
    for (const p of dashboard.panels) {
      expect(p.type).toBe("timeseries");
      expect(p.gridPos).toBeDefined();
      expect(p.targets.length).toBeGreaterThan(0);
    }
    const all = exprs.join("\n");
    for (const m of ["requests_completed_total", "transfers_total", "pulled_bytes_total", "queue_size", "worker_count", "verification_checks_total", "deleted_files_total", "deleted_bytes_total"])
      expect(all).toContain(`alpenhorn_${m}`);
  });

  test("every metric it queries is one the daemon exports, counters as _total", () => {
    const exported = exporterMetrics();
    expect(exported.get("alpenhorn_queue_size")).toBe("gauge");
    expect(exported.get("alpenhorn_deleted_files_total")).toBe("counter");
    for (const e of exprs) for (const n of names(e)) if (!exported.has(n)) throw new Error(`${n} (in ${e}) is not exported by src/`);
    // The template variable's query too.
    for (const v of dashboard.templating.list) for (const n of names(v.definition)) expect(exported.has(n)).toBe(true);
  });

  test("README's metric table lists exactly the exported metrics, with their types", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("### Monitoring: Prometheus metrics");
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const documented = new Map<string, string>();
    for (const row of section.matchAll(/^\| (`alpenhorn_[^|]*) \| ([a-z, ]+) \|/gm)) {
      const metrics = [...row[1]!.matchAll(/`(alpenhorn_[a-z_]+)`/g)].map((m) => m[1]!);
      const types = row[2]!.split(",").map((t) => t.trim());
      metrics.forEach((m, i) => documented.set(m, types[Math.min(i, types.length - 1)]!));
    }
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(exporterMetrics()));
  });

  test("a running daemon serves those metrics with those labels", async () => {
    await using idx = await demoIndex("sqlite");
    const a = await demoNode(idx, { name: "demo_storage1" });
    const b = await demoNode(idx, { name: "demo_storage2" });
    for (const n of [a, b]) writeFileSync(join(n.root, "ALPENHORN_NODE"), `${n.node.name}\n`);
    mkdirSync(join(a.root, "2025/02/21"), { recursive: true });
    writeFileSync(join(a.root, "2025/02/21/meta.txt"), "metadata\n");
    const cli = cliFor(idx);
    const port = await freePort();
    let text = "";
    const scrape = async () => (text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    const r = await runServe(idx, {
      once: false,
      daemon: `  num_workers: 1\n  prom_client_port: ${port}\n`,
      during: async (out) => {
        expect((await cli(["node", "scan", "demo_storage1", "--register-new"])).code).toBe(0);
        await until(() => out.messages.some((m) => m.includes("Imported file copy")), 20_000, "the import");
        expect((await cli(["node", "sync", "demo_storage1", "demo_storage2", "--force"])).code).toBe(0);
        await until(() => out.messages.some((m) => m.includes("Pull of 2025/02/21/meta.txt complete")), 20_000, "the pull");
        expect((await cli(["node", "verify", "demo_storage2", "--all", "--force"])).code).toBe(0);
        await until(() => out.messages.some((m) => m.includes("is A-OK!")), 20_000, "the check");
        await until(async () => (await scrape()).includes("alpenhorn_verification_checks_total"), 10_000, "the check's metric");
      },
    });
    expect(r.code).toBe(0);
    // What the daemon served: metric → label keys.
    const live = new Map<string, Set<string>>();
    for (const m of text.matchAll(/^(alpenhorn_[a-z_]+)\{([^}]*)\}/gm)) {
      const keys = live.get(m[1]!) ?? new Set<string>();
      for (const k of m[2]!.matchAll(/([a-z_]+)="/g)) keys.add(k[1]!);
      live.set(m[1]!, keys);
    }
    // Deletions need the archive-copy rule satisfied: their names are checked above only.
    const notLive = new Set(["alpenhorn_deleted_files_total", "alpenhorn_deleted_bytes_total"]);
    for (const e of exprs)
      for (const [metric, keys] of labelsUsed(e)) {
        if (notLive.has(metric)) continue;
        const served = live.get(metric);
        if (!served) throw new Error(`${metric} was not served:\n${text}`);
        for (const k of keys) if (!served.has(k)) throw new Error(`${metric} has no label ${k} (served: ${[...served].join(", ")})`);
      }
  }, 60_000);
});
