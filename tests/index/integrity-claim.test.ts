// The set-wise claim of a deletion batch gives each copy the outcome claimForDelete gives it
// alone (absent, not released, too few archive copies, transfer pending, claimed), and the
// set-wise verdicts record the last verdict of a copy given twice.

import { expect, test } from "bun:test";
import { claimBatchForDelete, claimForDelete, recordCheckVerdicts } from "../../src/index/queries/integrity.ts";
import { backendSuites, initialisedIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`integrity queries [${backend}]`, () => {
    async function fixture() {
      const idx = await initialisedIndex(backend);
      const db = idx.db;
      const g = await seed.group(db, { name: "g" });
      const field = await seed.node(db, { name: "field", group_id: g.id, storage_type: "F" });
      const a1 = await seed.node(db, { name: "a1", group_id: (await seed.group(db, { name: "ga1" })).id, storage_type: "A" });
      const a2 = await seed.node(db, { name: "a2", group_id: (await seed.group(db, { name: "ga2" })).id, storage_type: "A" });
      const acq = await seed.acq(db, { name: "acq" });
      const ids: number[] = [];
      // [field copy has/wants, archive copies healthy, transfer pending out of field]
      const cases: Array<[string, string, number, boolean]> = [
        ["Y", "N", 2, false], // claimed
        ["Y", "N", 1, false], // too few
        ["Y", "Y", 2, false], // not released
        ["N", "N", 2, false], // absent
        ["Y", "N", 2, true], // transfer pending
        ["X", "N", 2, false], // claimed (corrupt copies go too)
        ["Y", "M", 2, false], // not released (unless discretionary)
      ];
      for (const [i, [has, wants, archived, transfer]] of cases.entries()) {
        const f = await seed.file(db, { name: `f${i}`, acq_id: acq.id });
        const c = await seed.copy(db, { file_id: f.id, node_id: field.id, has_file: has as "Y", wants_file: wants as "N" });
        ids.push(c.id);
        if (archived >= 1) await seed.copy(db, { file_id: f.id, node_id: a1.id, has_file: "Y", wants_file: "Y" });
        if (archived >= 2) await seed.copy(db, { file_id: f.id, node_id: a2.id, has_file: "Y", wants_file: "Y" });
        if (transfer) await seed.copyRequest(db, { file_id: f.id, group_to_id: g.id, node_from_id: field.id, completed: 0, cancelled: 0 });
      }
      return { idx, ids: [...ids, 999_999] };
    }

    for (const discretionary of [false, true]) {
      test(`a batch's claims equal the one-by-one claims (discretionary ${discretionary})`, async () => {
        const rules = { archiveCopies: 2, discretionary };
        await using one = await fixture().then((f) => f.idx);
        const oneIds = (await one.db.all<{ id: number }>("SELECT id FROM archivefilecopy WHERE node_id = 1 ORDER BY id")).map((r) => Number(r.id));
        const singly = [];
        for (const id of [...oneIds, 999_999]) singly.push(await one.db.transaction((tx) => claimForDelete(tx, id, rules)));
        const f = await fixture();
        await using batch = f.idx;
        const together = await batch.db.transaction((tx) => claimBatchForDelete(tx, f.ids, rules));
        expect(together).toEqual(singly);
        expect(together.map((c) => (c.claimed ? "claimed" : c.reason))).toEqual(
          discretionary
            ? ["claimed", "too-few", "not-released", "absent", "transfer-pending", "claimed", "claimed", "absent"]
            : ["claimed", "too-few", "not-released", "absent", "transfer-pending", "claimed", "not-released", "absent"],
        );
        const state = "SELECT id, has_file, wants_file FROM archivefilecopy ORDER BY id";
        expect(await batch.db.all(state)).toEqual(await one.db.all(state));
      });
    }

    test("verdicts: set-wise, the last of a copy's verdicts wins, released copies are left alone", async () => {
      const f = await fixture();
      await using idx = f.idx;
      const [a, , , absent, , , b] = f.ids as [number, number, number, number, number, number, number];
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M', wants_file = 'Y' WHERE id IN (?, ?)", [a, b]);
      const n = await recordCheckVerdicts(
        idx.db,
        [
          { copyId: a, hasFile: "X" },
          { copyId: b, hasFile: "Y", sizeB: 4096 },
          { copyId: a, hasFile: "Y", sizeB: 8192 },
          { copyId: absent, hasFile: "Y", sizeB: 1 },
        ],
        "2025-01-01 00:00:00.000000",
      );
      expect(n).toBe(2);
      const rows = await idx.db.all<{ id: number; has_file: string; size_b: number | null }>(
        `SELECT id, has_file, size_b FROM archivefilecopy WHERE id IN (?, ?, ?) ORDER BY id`,
        [a, absent, b],
      );
      expect(rows.map((r) => [r.has_file, r.size_b === null ? null : Number(r.size_b)])).toEqual([
        ["Y", 8192],
        ["N", null],
        ["Y", 4096],
      ]);
    });
  });
}
