// The audit's pure parts: option values, path lists, ignore rules, and the classification rule
// that an unlisted directory blocks its whole subtree (dynamo-consistency's leak, as a
// regression test: files two levels below an unlisted directory were reported missing).

import { describe, expect, test } from "bun:test";
import { Classifier } from "../../../src/engine/audit/classify.ts";
import { CopyTable } from "../../../src/engine/audit/copy-table.ts";
import { IgnoreRules } from "../../../src/engine/audit/ignore.ts";
import { inSubset, parseBudget, parseBytes, parseDuration, parseSubset } from "../../../src/engine/audit/options.ts";
import { escapePath, pathList, sortBytewise } from "../../../src/engine/audit/report.ts";
import { inFlightCutoff } from "../../../src/engine/audit/run.ts";
import type { ListedDir } from "../../../src/engine/fs/threads/audit-ops.ts";

describe("option values", () => {
  test("durations, sizes, budgets, subsets", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("1.5h")).toBe(5400);
    expect(() => parseDuration("soon")).toThrow("is not a duration");
    expect(parseBytes("2GiB")).toBe(2 * 1024 ** 3);
    expect(parseBytes("500MB")).toBe(500e6);
    expect(parseBytes("1T")).toBe(1024 ** 4);
    expect(parseBudget("2h")).toEqual({ kind: "time", seconds: 7200 });
    expect(parseBudget("500G")).toEqual({ kind: "bytes", bytes: 500 * 1024 ** 3 });
    expect(parseSubset("2/7")).toEqual({ kind: "slice", k: 2, n: 7 });
    expect(parseSubset("5%")).toEqual({ kind: "percent", percent: 5 });
    expect(() => parseSubset("0/3")).toThrow();
    expect(() => parseSubset("101%")).toThrow();
  });
  test("k/n slices partition the paths and are stable", () => {
    const paths = Array.from({ length: 300 }, (_, i) => `acq/${i}`);
    const slices = [1, 2, 3].map((k) => paths.filter((p) => inSubset({ kind: "slice", k, n: 3 }, p)));
    expect(slices.flat().sort()).toEqual([...paths].sort());
    for (const s of slices) expect(s.length).toBeGreaterThan(50);
  });
});

describe("path lists", () => {
  test("control characters and backslashes are escaped; order is bytewise (UTF-8)", () => {
    expect(escapePath("a\nb\tc\\d\x01")).toBe("a\\nb\\tc\\\\d\\x01");
    expect(sortBytewise(["\u{1F600}", "\uFF5E", "Z", "a"])).toEqual(["Z", "a", "\uFF5E", "\u{1F600}"]);
    expect(sortBytewise(["\uE000", "\u{10000}"])).toEqual(["\uE000", "\u{10000}"]);
    expect(pathList(["b", "a\nx"])).toBe("a\\nx\nb\n");
  });
});

describe("ignore rules", () => {
  test("dot names, ALPENHORN_NODE at the root only, globs", () => {
    const r = new IgnoreRules(["scratch/**", "*.tmp"]);
    expect(r.ignored(".x.lock", ".x.lock", false)).toBe(true);
    expect(r.ignored("ALPENHORN_NODE", "ALPENHORN_NODE", true)).toBe(true);
    expect(r.ignored("a/ALPENHORN_NODE", "ALPENHORN_NODE", false)).toBe(false);
    expect(r.ignored("scratch/a/b", "b", false)).toBe(true);
    expect(r.ignored("x.tmp", "x.tmp", true)).toBe(true);
    expect(r.ignored("acq/x.dat", "x.dat", false)).toBe(false);
    expect(r.ignoredPath("acq/.hidden/f")).toBe(true);
  });
});

const listed = (dir: string, names: string[], dirs: string[] = []): ListedDir => ({
  dir,
  ok: true,
  names,
  sizes: Float64Array.from(names.map(() => 1)),
  times: Float64Array.from(names.map(() => 0)),
  dirs,
  mounts: [],
  specials: [],
});

describe("classification", () => {
  test("rows below an unlisted directory, at any depth, are never missing", () => {
    const t = new CopyTable();
    for (const p of ["data/runB/0001/missi.root", "data/runB/x", "data/runA/gone", "data/runA/here"]) t.add(p, 1, 1, 1, "Y", "2026-01-01 00:00:00");
    const c = new Classifier(t, new IgnoreRules(), Date.now());
    expect(c.onDir("", listed("/r", [], ["data"]))).toEqual(["data"]);
    c.onDir("data", listed("/r/data", [], ["runA", "runB"]));
    c.onDir("data/runA", listed("/r/data/runA", ["here"]));
    c.block("data/runB"); // its listing failed
    expect(c.missingCandidates().map((m) => m.path)).toEqual(["data/runA/gone"]);
  });
  test("a size difference is a mismatch, never missing + orphan; young files are not compared", () => {
    const t = new CopyTable();
    t.add("a/f", 1, 1, 5, "Y", "x");
    t.add("a/g", 2, 2, 5, "Y", "x");
    const c = new Classifier(t, new IgnoreRules(), 1000);
    const d = listed("/r/a", ["f", "g", "new"]);
    d.times[2] = 2000;
    c.onDir("a", d);
    expect(c.mismatches.map((m) => m.path)).toEqual(["a/f", "a/g"]);
    expect(c.orphans).toEqual([]);
    expect(c.counts.young.count).toBe(1);
    expect(c.missingCandidates()).toEqual([]);
  });
});

test("in flight: a file stamped up to a coarse-clock tick (10 ms) before T0 is never reported; --min-age moves the cut", () => {
  const t0 = 1_700_000_000_000;
  // The kernel stamps files from its coarse clock, up to a tick behind the clock T0 is read from.
  expect(inFlightCutoff(t0, 0)).toBeLessThanOrEqual(t0 - 10);
  expect(inFlightCutoff(t0, 0)).toBeGreaterThan(t0 - 1000);
  expect(inFlightCutoff(t0, 3600)).toBe(inFlightCutoff(t0, 0) - 3_600_000);
});
