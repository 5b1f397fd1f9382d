// The "after" read of orphan candidates by path (S1): a path `x/y/z` may be the file `y/z` of
// acquisition `x` or the file `z` of `x/y`. Few candidates are looked up by name, many by one
// more streamed pass; both must find exactly the node's rows at those paths.

import { expect, test } from "bun:test";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { readStatesByPath } from "../../../src/engine/audit/snapshot.ts";
import { auditTestHooks } from "../../../src/engine/audit/test-hooks.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { reportDirOf, seedSite } from "./_site.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`check-site after-read by path [${backend}]`, () => {
    test("lookups by name and the streamed pass agree, on every split of a path", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      const other = await seedSite(idx, { name: "n2" });
      const a1 = await seed.acq(idx.db, { name: "x" });
      const a2 = await seed.acq(idx.db, { name: "x/y" });
      const f1 = await seed.file(idx.db, { name: "y/z", acq_id: a1.id });
      const f2 = await seed.file(idx.db, { name: "z", acq_id: a2.id });
      const f3 = await seed.file(idx.db, { name: "w", acq_id: a2.id });
      const f4 = await seed.file(idx.db, { name: "v", acq_id: a2.id });
      const c1 = await seed.copy(idx.db, { file_id: f1.id, node_id: s.nodeId, has_file: "N", last_update: "2025-01-02 03:04:05" });
      await seed.copy(idx.db, { file_id: f3.id, node_id: s.nodeId, has_file: "Y" });
      await seed.copy(idx.db, { file_id: f4.id, node_id: other.nodeId, has_file: "Y" });
      void f2;
      const paths = new Set(["x/y/z", "x/y/w", "x/y/v", "x/nothing", "nowhere", "x/y/z/deeper"]);
      const looked = await readStatesByPath(idx.db, s.nodeId, paths);
      const streamed = await readStatesByPath(idx.db, s.nodeId, paths, 0);
      expect([...looked.keys()].sort()).toEqual(["x/y/w", "x/y/z"]);
      expect(looked.get("x/y/z")).toMatchObject({ copyId: c1.id, has: "N", lastUpdate: "2025-01-02 03:04:05" });
      expect(looked.get("x/y/w")!.has).toBe("Y");
      expect(new Map([...streamed].sort())).toEqual(new Map([...looked].sort()));
    });

    test("an orphan registered during the audit is dropped, another reported (few candidates: lookups)", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      for (let i = 0; i < 40; i++) await s.both(`acq/sub/f${i}`, 1);
      s.write("acq/sub/late", 2);
      s.write("acq/sub/stray", 3);
      auditTestHooks.current = { afterSnapshot: async () => void (await s.register("acq/sub/late", 2)) };
      try {
        const r = await s.cli(["check-site", "n1", "--report-dir", idx.dir.path]);
        expect(r.err).toBe("");
        expect(r.code).toBe(1);
        expect(readFileSync(join(reportDirOf(r.out), "orphan.txt"), "utf8")).toBe("acq/sub/stray\n");
      } finally {
        auditTestHooks.current = null;
      }
    });
  });
}
