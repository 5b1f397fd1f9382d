// `file list --node=N`'s listing on both plans (walk every file in name order, or sort the
// node's own copies), chosen by the node's sampled share of the index: the same paths, in the
// same order, whichever plan runs; and the sample reads a share close to the real one.

import { expect, test } from "bun:test";
import { valueRows } from "../../src/index/dialect/types.ts";
import { filePathChunksOnNode, nodeShareOfFiles } from "../../src/index/queries/files.ts";
import { backendSuites, initialisedIndex, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";

const ACQS = 20;
const PER_ACQ = 1000;
const EVERY = 40; // node "few" holds every 40th file: 2.5 %

/** 20,000 files in 20 acquisitions, inserted in an order unlike their name order. */
async function bigIndex(idx: TestIndex): Promise<{ all: number; few: number; paths: string[]; fewPaths: string[] }> {
  const g = await seed.group(idx.db, { name: "g" });
  const all = (await seed.node(idx.db, { name: "all", group_id: g.id })).id;
  const few = (await seed.node(idx.db, { name: "few", group_id: g.id })).id;
  const paths: string[] = [];
  const fewPaths: string[] = [];
  let n = 0;
  for (let a = ACQS - 1; a >= 0; a--) {
    const acqName = `acq${String(a).padStart(2, "0")}`;
    const acq = await seed.acq(idx.db, { name: acqName });
    const names = Array.from({ length: PER_ACQ }, (_, j) => `f${String((j * 7919) % PER_ACQ).padStart(4, "0")}`);
    await idx.db.transaction(async (tx) => {
      for (let i = 0; i < names.length; i += 500) {
        const part = names.slice(i, i + 500);
        await tx.run(`INSERT INTO archivefile (acq_id, name, size_b, md5sum, registered) VALUES ${valueRows(5, part.length)}`, part.flatMap((name) => [acq.id, name, 1, null, "2025-01-01 00:00:00"]));
      }
      const ids = await tx.all<{ id: number; name: string }>("SELECT id, name FROM archivefile WHERE acq_id = ? ORDER BY id", [acq.id]);
      const copies: Array<[number, number]> = [];
      for (const f of ids) {
        copies.push([f.id, all]);
        paths.push(`${acqName}/${f.name}`);
        if (n++ % EVERY === 0) {
          copies.push([f.id, few]);
          fewPaths.push(`${acqName}/${f.name}`);
        }
      }
      for (let i = 0; i < copies.length; i += 500) {
        const part = copies.slice(i, i + 500);
        await tx.run(
          `INSERT INTO archivefilecopy (file_id, node_id, has_file, wants_file, ready, size_b, last_update) VALUES ${valueRows(7, part.length)}`,
          part.flatMap(([file, node]) => [file, node, "Y", "Y", 1, 1, "2025-01-01 00:00:00"]),
        );
      }
    });
  }
  const byName = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return { all, few, paths: paths.sort(byName), fewPaths: fewPaths.sort(byName) };
}

async function listing(idx: TestIndex, node: number, acqIds: number[] = []): Promise<{ paths: string[]; chunks: number }> {
  const paths: string[] = [];
  let chunks = 0;
  for await (const part of filePathChunksOnNode(idx.db, node, {}, acqIds)) {
    paths.push(...part);
    chunks++;
  }
  return { paths, chunks };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file paths on a node [${backend}]`, () => {
    test("a node holding every file and one holding a few list the same way, sorted, in chunks", async () => {
      await using idx = await initialisedIndex(backend);
      const { all, few, paths, fewPaths } = await bigIndex(idx);

      // The sample sees the shares that pick the two plans.
      expect(await nodeShareOfFiles(idx.db, all, { sql: "c.has_file = 'Y'", params: [] })).toBe(1);
      const fewShare = await nodeShareOfFiles(idx.db, few, { sql: "c.has_file = 'Y'", params: [] });
      expect(fewShare).toBeGreaterThan(0.01);
      expect(fewShare).toBeLessThan(0.05);

      const everything = await listing(idx, all);
      expect(everything.paths).toEqual(paths);
      expect(everything.chunks).toBe(2); // 20,000 rows in chunks of 10,000
      expect((await listing(idx, few)).paths).toEqual(fewPaths);

      const acq03 = (await idx.db.get<{ id: number }>("SELECT id FROM archiveacq WHERE name = 'acq03'"))!.id;
      expect((await listing(idx, all, [acq03])).paths).toEqual(paths.filter((p) => p.startsWith("acq03/")));
      expect((await listing(idx, few, [acq03])).paths).toEqual(fewPaths.filter((p) => p.startsWith("acq03/")));
    }, 120_000);

    test("a node without copies, and an index without files, list nothing", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      const n = await seed.node(idx.db, { name: "n", group_id: g.id });
      expect(await nodeShareOfFiles(idx.db, n.id, { sql: "c.has_file = 'Y'", params: [] })).toBe(0);
      expect((await listing(idx, n.id)).paths).toEqual([]);
    });
  });
}
