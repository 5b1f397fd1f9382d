// Node totals (src/index/node-totals.ts): once enabled, triggers keep them equal to a recount
// of the copies through every kind of write, `node stats` reads the same figures from them as
// from the copies, and a half-made or drifted state is reported, never silently used.

import { expect, test } from "bun:test";
import { dropNodeTotals, enableNodeTotals, nodeTotalsDrift, nodeTotalsState, NODE_TOTALS_TABLE } from "../../src/index/node-totals.ts";
import { getNodeCounts } from "../../src/index/queries/stats.ts";
import type { Db } from "../../src/index/driver/types.ts";
import { backendSuites, initialisedIndex } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";

/** Three nodes, files with and without sizes, copies in every state. */
async function site(db: Db) {
  const g = await seed.group(db, { name: "g" });
  const n1 = await seed.node(db, { name: "n1", group_id: g.id });
  const n2 = await seed.node(db, { name: "n2", group_id: g.id });
  const n3 = await seed.node(db, { name: "n3", group_id: g.id });
  const acq = await seed.acq(db, { name: "a" });
  const files = [];
  for (let i = 0; i < 12; i++) files.push(await seed.file(db, { name: `f${i}`, acq_id: acq.id, size_b: i % 4 === 0 ? null : 1000 * (i + 1) }));
  const states: Array<["Y" | "M" | "X" | "N", "Y" | "M" | "N"]> = [["Y", "Y"], ["Y", "N"], ["X", "Y"], ["M", "Y"], ["N", "Y"], ["Y", "M"]];
  for (const [i, f] of files.entries()) {
    const [has, wants] = states[i % states.length]!;
    await seed.copy(db, { file_id: f.id, node_id: n1.id, has_file: has, wants_file: wants });
    if (i % 2 === 0) await seed.copy(db, { file_id: f.id, node_id: n2.id, has_file: "Y", wants_file: "Y" });
  }
  return { nodes: [n1.id, n2.id, n3.id], files: files.map((f) => f.id), acq: acq.id };
}

/** getNodeCounts with the totals on, and again counted from the copies. */
async function bothWays(db: Db, nodes: number[]) {
  const fromTotals = await getNodeCounts(db, nodes, true);
  await dropNodeTotals(db);
  const counted = await getNodeCounts(db, nodes, true);
  await enableNodeTotals(db);
  const norm = (m: Map<number, { size: unknown }>): unknown[] => [...m].map(([id, c]) => [id, { ...c, size: c.size === null ? null : Number(c.size) }]);
  return { fromTotals: norm(fromTotals), counted: norm(counted) };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node totals [${backend}]`, () => {
    test("enabled on an index with copies: they match a recount and node stats reads the same figures", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes } = await site(idx.db);
      expect(await nodeTotalsState(idx.db)).toBe("off");
      await enableNodeTotals(idx.db);
      expect(await nodeTotalsState(idx.db)).toBe("on");
      expect(await nodeTotalsDrift(idx.db)).toEqual([]);
      const { fromTotals, counted } = await bothWays(idx.db, nodes);
      expect(fromTotals).toEqual(counted);
      // n1: copies Y/Y of files f0 (no size) and f6 (7000 B).
      expect(fromTotals[0]).toEqual([nodes[0], { count: 2, size: 7000, corrupt: 2, suspect: 2, missing: 2 }]);
      expect(fromTotals[2]).toEqual([nodes[2], { count: 0, size: null, corrupt: 0, suspect: 0, missing: 0 }]);
    });

    test("every kind of copy and file write, by any writer, keeps them equal to a recount", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes, files, acq } = await site(idx.db);
      await enableNodeTotals(idx.db);
      const db = idx.db;
      // Plain SQL, as alpenhorn's Python daemon or an operator would write it.
      await db.run("UPDATE archivefilecopy SET has_file = 'Y' WHERE has_file = 'M'");
      await db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE node_id = ? AND file_id = ?", [nodes[1]!, files[0]!]);
      await db.run("UPDATE archivefilecopy SET last_update = '2030-01-01 00:00:00', ready = 1");
      await db.run("UPDATE archivefilecopy SET node_id = ? WHERE node_id = ? AND file_id = ?", [nodes[2]!, nodes[0]!, files[1]!]);
      await db.run("DELETE FROM archivefilecopy WHERE has_file = 'N'");
      await db.run("UPDATE archivefile SET size_b = 5 WHERE size_b IS NULL");
      await db.run("UPDATE archivefile SET size_b = NULL WHERE id = ?", [files[2]!]);
      await db.run("UPDATE archivefile SET size_b = size_b * 2 WHERE id = ?", [files[3]!]);
      await db.transaction(async (tx) => {
        const f = await seed.file(tx, { name: "new", acq_id: acq, size_b: 123 });
        await seed.copy(tx, { file_id: f.id, node_id: nodes[2]!, has_file: "Y", wants_file: "Y" });
        await tx.run("INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, last_update) VALUES (?, ?, 'X', 'Y', 0, '2030-01-01 00:00:00')", [f.id, nodes[0]!]);
      });
      // A rolled-back write leaves no trace in the totals either.
      await expect(
        db.transaction(async (tx) => {
          await tx.run("DELETE FROM archivefilecopy");
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(await nodeTotalsDrift(db)).toEqual([]);
      const { fromTotals, counted } = await bothWays(db, nodes);
      expect(fromTotals).toEqual(counted);
    });

    test("the CLI turns them on and off, reports a half-made state and drift, and exits 1 for both", async () => {
      await using idx = await initialisedIndex(backend);
      await site(idx.db);
      const cli = cliFor(idx);
      expect(await cli(["db", "node-totals"])).toEqual({ code: 0, out: "Node totals are off.\n", err: "" });
      expect(await cli(["db", "node-totals", "--enable"])).toMatchObject({ code: 0, out: "Node totals enabled.\n" });
      expect(await cli(["db", "node-totals", "--check"])).toMatchObject({ code: 0, out: "Node totals match the copies.\n" });

      await idx.db.run(`UPDATE ${NODE_TOTALS_TABLE} SET copies = copies + 5 WHERE has_file = 'Y' AND wants_file = 'Y'`);
      const drifted = await cli(["db", "node-totals", "--check"]);
      expect(drifted.code).toBe(1);
      expect(drifted.out).toMatch(/^Node id \d+, has_file Y, wants_file Y: stored \d+ copies, \d+ sized, \d+ bytes; counted \d+ copies/m);
      expect(drifted.err).toContain("Node totals differ from the copies in 2 places: use --enable to rebuild them.");

      await idx.db.run(`DROP TRIGGER ${idx.db.dialect.quote(`${NODE_TOTALS_TABLE}_copy_delete`)}`);
      const partial = await cli(["db", "node-totals"]);
      expect(partial.code).toBe(1);
      expect(partial.out).toContain("Node totals are half made");
      // A half-made state is not read: node stats counts from the copies.
      expect(await nodeTotalsState(idx.db)).toBe("partial");
      const stats = await cli(["node", "stats"]);
      expect(stats.out).toMatch(/^n1 +2 /m);

      expect(await cli(["db", "node-totals", "--enable"])).toMatchObject({ code: 0 });
      expect(await cli(["db", "node-totals", "--check"])).toMatchObject({ code: 0 });
      expect(await cli(["db", "node-totals", "--disable"])).toMatchObject({ code: 0, out: "Node totals disabled.\n" });
      expect(await nodeTotalsState(idx.db)).toBe("off");
      expect(await cli(["db", "node-totals", "--check"])).toMatchObject({ code: 1, err: expect.stringContaining("Node totals are off.") });
      expect((await cli(["db", "node-totals", "--enable", "--disable"])).code).toBe(2);
    });
  });
}
