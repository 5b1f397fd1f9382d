// `alpenhorn node risk` on both backends, over the seeded layout of _risk-layout.ts whose
// answer is known, and over a random index where the set-wise tallies must equal what the
// daemon's pure predicate (riskClassesOf) says of each copy.

import { expect, test } from "bun:test";
import { riskClassesOf, RISK_CLASSES } from "../../../src/common/archive-rule.ts";
import type { HasFile, StorageNodeRow } from "../../../src/index/rows.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { riskLayout } from "./_risk-layout.ts";

const zero = { files: 0, bytes: 0 };

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node risk [${backend}]`, () => {
    test("--json: the classes of every active node (the inactive node and a file with no copy are in none)", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const r = await cliFor(idx)(["node", "risk", "--json"]);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(JSON.parse(r.out)).toEqual([
        { node: "arch1", only_here: { files: 1, bytes: 300 }, under_archived: { files: 2, bytes: 700 }, no_healthy_copy: zero },
        { node: "arch2", only_here: zero, under_archived: zero, no_healthy_copy: { files: 1, bytes: 500 } },
        { node: "arch3", only_here: zero, under_archived: zero, no_healthy_copy: zero },
        { node: "transit", only_here: { files: 1, bytes: 100 }, under_archived: { files: 2, bytes: 500 }, no_healthy_copy: { files: 1, bytes: 500 } },
      ]);
    });

    test("named nodes, inactive ones too; daemon.archive_copy_count changes under_archived", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const three = await cliFor(idx, "daemon:\n  archive_copy_count: 3\n")(["node", "risk", "--json", "old", "arch2"]);
      expect(JSON.parse(three.out)).toEqual([
        // With three required, both files with two archive copies count.
        { node: "old", only_here: zero, under_archived: { files: 1, bytes: 700 }, no_healthy_copy: zero },
        { node: "arch2", only_here: zero, under_archived: { files: 3, bytes: 1700 }, no_healthy_copy: { files: 1, bytes: 500 } },
      ]);
    });

    test("the table, and --list CLASS prints paths one a line", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const cli = cliFor(idx);
      const table = await cli(["node", "risk", "transit", "arch1"]);
      expect(table.code).toBe(0);
      expect(table.out.split("\n")[0]).toMatch(/^Node +Only Here +Size +Under-archived +Size +No Healthy Copy +Size$/);
      expect(hasRow(table.out, "transit", 1, "100 B", 2, "500 B", 1, "500 B")).toBe(true);
      expect(hasRow(table.out, "arch1", 1, "300 B", 2, "700 B", 0, "0 B")).toBe(true);
      expect(await cli(["node", "risk", "transit", "--list", "under_archived"])).toEqual({ code: 0, out: "acq/only_t\nacq/arch_and_t\n", err: "" });
      expect(await cli(["node", "risk", "arch1", "--list", "only_here"])).toEqual({ code: 0, out: "acq/one_arch\n", err: "" });
      expect(await cli(["node", "risk", "--list", "no_healthy_copy"])).toEqual({ code: 0, out: "acq/suspect\nacq/suspect\n", err: "" });
      expect(await cli(["node", "risk", "arch3", "--list", "only_here"])).toEqual({ code: 0, out: "", err: "" });
    });

    test("--help: alpenhorn's usage line for an optional variadic argument", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["node", "risk", "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toStartWith("Usage: alpenhorn node risk [OPTIONS] [NODE]...\n\n  Show files at risk on Storage Nodes.\n");
      expect(r.out).toContain("  --list CLASS  List the files of class CLASS");
    });

    test("bad input: an unknown node, an unknown class", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const cli = cliFor(idx);
      expect(await cli(["node", "risk", "arch1", "nosuch"])).toEqual({ code: 1, out: "", err: "Error: no such node: nosuch\n" });
      const bad = await cli(["node", "risk", "--list", "lost"]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("Error: Invalid value for '--list': 'lost' is not one of 'only_here', 'under_archived', 'no_healthy_copy'.");
    });

    test("more nodes than one statement takes (50): each node still gets its own tallies", async () => {
      await using idx = await initialisedIndex(backend);
      const db = idx.db;
      const g = await seed.group(db, { name: "g" });
      const acq = await seed.acq(db, { name: "a" });
      for (let i = 0; i < 53; i++) {
        const n = await seed.node(db, { name: `n${i}`, group_id: g.id, active: 1, storage_type: "T" });
        const f = await seed.file(db, { name: `f${i}`, acq_id: acq.id, size_b: i + 1 });
        await seed.copy(db, { file_id: f.id, node_id: n.id, has_file: "Y" });
      }
      const r = JSON.parse((await cliFor(idx)(["node", "risk", "--json"])).out) as Array<{ node: string; only_here: { files: number; bytes: number } }>;
      expect(r.map((x) => [x.node, x.only_here.files, x.only_here.bytes])).toEqual(Array.from({ length: 53 }, (_, i) => [`n${i}`, 1, i + 1]));
    });

    test("a random index: the set-wise tallies and lists equal the pure predicate applied copy by copy", async () => {
      await using idx = await initialisedIndex(backend);
      const db = idx.db;
      let seedState = 12345;
      const rand = (n: number) => {
        seedState = (seedState * 1103515245 + 12345) % 2 ** 31;
        return seedState % n;
      };
      const g = await seed.group(db, { name: "g" });
      const nodes: StorageNodeRow[] = [];
      for (let i = 0; i < 6; i++) nodes.push(await seed.node(db, { name: `n${i}`, group_id: g.id, active: 1, storage_type: i < 3 ? "A" : "T" }));
      const acq = await seed.acq(db, { name: "r" });
      const copies: Array<{ file: number; size: number; node: number; has: HasFile }> = [];
      for (let f = 0; f < 150; f++) {
        const size = 1 + rand(1000);
        const file = await seed.file(db, { name: `f${f}`, acq_id: acq.id, size_b: size });
        for (const node of nodes) {
          if (rand(3) !== 0) continue;
          const has = (["Y", "Y", "M", "X", "N"] as HasFile[])[rand(5)]!;
          await seed.copy(db, { file_id: file.id, node_id: node.id, has_file: has, wants_file: rand(4) === 0 ? "N" : "Y" });
          copies.push({ file: file.id, size, node: node.id, has });
        }
      }
      const expected = nodes.map((n) => {
        const out = Object.fromEntries(RISK_CLASSES.map((c) => [c, { files: 0, bytes: 0 }])) as Record<string, { files: number; bytes: number }>;
        for (const c of copies.filter((x) => x.node === n.id)) {
          const all = copies.filter((x) => x.file === c.file && x.has === "Y");
          const archived = all.filter((x) => nodes.findIndex((m) => m.id === x.node) < 3).length;
          for (const cls of riskClassesOf(c.has, all.length, archived, 2)) {
            out[cls]!.files++;
            out[cls]!.bytes += c.size;
          }
        }
        return { node: n.name, ...out };
      });
      const r = await cliFor(idx)(["node", "risk", "--json"]);
      expect(JSON.parse(r.out)).toEqual(expected);
      // Every class is populated, so the comparison means something.
      for (const cls of RISK_CLASSES) expect(expected.some((e) => (e as unknown as Record<string, { files: number }>)[cls]!.files > 0)).toBe(true);
      const listed = await cliFor(idx)(["node", "risk", "n4", "--list", "under_archived"]);
      expect(listed.out.split("\n").filter(Boolean).length).toBe((expected[4] as unknown as Record<string, { files: number }>).under_archived!.files);
    });
  });
}
