// `alpenhorn node stats` on both backends (alpenhorn/cli/node/stats.py and
// tests/cli/node/test_stats.py at 632dd41, and the demo in doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";

const GiB = 2 ** 30;

/**
 * Node1 (Group1, active, host Host1, max 10 GiB): 1 + 2 GiB healthy, plus a suspect copy.
 * Node2 (Group1, inactive, host Host2): a missing copy and a released one.
 * Node3 (Group2, inactive, host Host1, max -1): a removed (N/N) copy.
 * Node4 (Group2, active, host Host2, max 20 GiB): 1 GiB healthy, a corrupt copy, a corrupt released one.
 */
async function layout(db: Db) {
  const g1 = await seed.group(db, { name: "Group1" });
  const g2 = await seed.group(db, { name: "Group2" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id, active: 1, host: "Host1", max_total_gb: 10 });
  const n2 = await seed.node(db, { name: "Node2", group_id: g1.id, active: 0, host: "Host2" });
  const n3 = await seed.node(db, { name: "Node3", group_id: g2.id, active: 0, host: "Host1", max_total_gb: -1 });
  const n4 = await seed.node(db, { name: "Node4", group_id: g2.id, active: 1, host: "Host2", max_total_gb: 20 });
  const acq = await seed.acq(db, { name: "Acq" });
  let i = 0;
  const copy = async (nodeId: number, size: number, has: HasFile, wants: WantsFile = "Y") => {
    const f = await seed.file(db, { name: `File${++i}`, acq_id: acq.id, size_b: size });
    await seed.copy(db, { file_id: f.id, node_id: nodeId, has_file: has, wants_file: wants });
  };
  await copy(n1.id, GiB, "Y");
  await copy(n1.id, 2 * GiB, "Y");
  await copy(n1.id, GiB, "M");
  await copy(n2.id, GiB, "N");
  await copy(n2.id, GiB, "Y", "N");
  await copy(n3.id, GiB, "N", "N");
  await copy(n4.id, GiB, "Y");
  await copy(n4.id, GiB, "X");
  await copy(n4.id, GiB, "X", "M");
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node stats [${backend}]`, () => {
    test("no nodes (test_no_list)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "stats"]);
      expect(r).toEqual({ code: 0, out: "no nodes\n", err: "" });
    });

    test("counts healthy wanted copies; % only with a positive max (test_list, test_negative_total)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out: [
          "Name      File Count    Total Size    % Full",
          "------  ------------  ------------  --------",
          "Node1              2     3.000 GiB     30.00",
          "Node2              0             -         -",
          "Node3              0             -         -",
          "Node4              1     1.000 GiB      5.00",
          "",
        ].join("\n"),
      });
    });

    test("an all-numeric % column keeps two decimals", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const n4 = await seed.node(idx.db, { name: "N4", group_id: g.id, max_total_gb: 0.01 });
      const n5 = await seed.node(idx.db, { name: "N5", group_id: g.id, max_total_gb: 1 });
      const acq = await seed.acq(idx.db, { name: "A" });
      const f1 = await seed.file(idx.db, { name: "f1", acq_id: acq.id, size_b: 1088 * 1024 * 1.0 });
      const f2 = await seed.file(idx.db, { name: "f2", acq_id: acq.id, size_b: 10 * 1024 * 1024 + 256 * 1024 });
      await seed.copy(idx.db, { file_id: f1.id, node_id: n4.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: f2.id, node_id: n5.id, has_file: "Y" });
      const r = await cliFor(idx)(["node", "stats"]);
      expect(r.out).toBe(
        [
          "Name      File Count    Total Size    % Full",
          "------  ------------  ------------  --------",
          "N4                 1     1.062 MiB     10.38",
          "N5                 1     10.25 MiB      1.00",
          "",
        ].join("\n"),
      );
    });

    test("--extra-stats counts corrupt/suspect/missing wanted copies (test_extra)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats", "--extra-stats"]);
      expect(r.code).toBe(0);
      expect(r.out.split("\n").slice(0, 2)).toEqual([
        "Name      File Count    Total Size    % Full    Corrupt Files    Suspect Files    Missing Files",
        "------  ------------  ------------  --------  ---------------  ---------------  ---------------",
      ]);
      expect(hasRow(r.out, "Node1", 2, "3.000 GiB", "30.00", "-", 1, "-")).toBe(true);
      expect(hasRow(r.out, "Node2", 0, "-", "-", "-", "-", 1)).toBe(true);
      expect(hasRow(r.out, "Node3", 0, "-", "-", "-", "-", "-")).toBe(true);
      expect(hasRow(r.out, "Node4", 1, "1.000 GiB", "5.00", 1, "-", "-")).toBe(true);
    });

    test("--active / --inactive (test_active, test_inactive)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const cli = cliFor(idx);
      const act = await cli(["node", "stats", "--active"]);
      expect(act.out).toContain("Node1");
      expect(act.out).toContain("Node4");
      expect(act.out).not.toContain("Node2");
      expect(act.out).not.toContain("Node3");
      const inact = await cli(["node", "stats", "--inactive"]);
      expect(inact.out).not.toContain("Node1");
      expect(inact.out).toContain("Node2");
      expect(inact.out).toContain("Node3");
      expect(inact.out).not.toContain("Node4");
    });

    test("--host (test_host)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats", "--host=Host1"]);
      expect(r.out).toContain("Node1");
      expect(r.out).toContain("Node3");
      expect(r.out).not.toContain("Node2");
      expect(r.out).not.toContain("Node4");
    });

    test("--group (test_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats", "--group=Group2"]);
      expect(r.out).toContain("Node3");
      expect(r.out).toContain("Node4");
      expect(r.out).not.toContain("Node1");
      expect(r.out).not.toContain("Node2");
    });

    test("unknown --group (test_limit_bad_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats", "--group=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: no such group: Missing\n" });
    });

    test("filters matching nothing (test_limit_nothing)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["node", "stats", "--active", "--host=Host3"]);
      expect(r).toEqual({ code: 0, out: "no nodes\n", err: "" });
    });

    test("demo layout: two nodes, one empty", async () => {
      await using idx = await initialisedIndex(backend);
      const g1 = await seed.group(idx.db, { name: "demo_storage1" });
      const g2 = await seed.group(idx.db, { name: "demo_storage2" });
      const n1 = await seed.node(idx.db, { name: "demo_storage1", group_id: g1.id, storage_type: "F" });
      await seed.node(idx.db, { name: "demo_storage2", group_id: g2.id, storage_type: "F" });
      const acq = await seed.acq(idx.db, { name: "2025/02/21" });
      for (const [name, size] of [["meta.txt", 52], ["23/1324.dat", 12], ["23/1330.dat", 12], ["23/1342.dat", 12], ["23/1349.dat", 14]] as const) {
        const f = await seed.file(idx.db, { name, acq_id: acq.id, size_b: size });
        await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: "Y", size_b: 4096 });
      }
      const cli = cliFor(idx);
      const r = await cli(["node", "stats"]);
      expect(r.out).toBe(
        [
          "Name             File Count    Total Size    % Full",
          "-------------  ------------  ------------  --------",
          "demo_storage1             5         102 B         -",
          "demo_storage2             0             -         -",
          "",
        ].join("\n"),
      );
      const x = await cli(["node", "stats", "--extra-stats"]);
      expect(x.out).toBe(
        [
          "Name             File Count    Total Size    % Full    Corrupt Files    Suspect Files    Missing Files",
          "-------------  ------------  ------------  --------  ---------------  ---------------  ---------------",
          "demo_storage1             5         102 B         -                -                -                -",
          "demo_storage2             0             -         -                -                -                -",
          "",
        ].join("\n"),
      );
    });

    test("-q suppresses the table", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["-q", "node", "stats"]);
      expect(r).toEqual({ code: 0, out: "", err: "" });
    });
  });
}
