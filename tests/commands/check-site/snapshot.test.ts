// The "before" snapshot (S0) files a copy without making its path when nothing needs the path
// (src/engine/audit/snapshot.ts: CopyTable.addInDir). Whatever the acquisition and file names
// (dot names, slashes inside, empty, trailing or doubled slashes, NUL) and whatever the rules
// (none; --ignore globs; scopes; nested nodes), and whoever reads the pages (this thread, a
// thread of its own sending packed pages, or this thread again after that one failed), the
// table must be the one filing each row by its whole path (CopyTable.addRow) gives: same rows,
// same directories, same names, same states.

import { expect, test } from "bun:test";
import { readSnapshot, type SnapshotReader } from "../../../src/engine/audit/snapshot.ts";
import { CopyTable, HAS_CODES, stateHash } from "../../../src/engine/audit/copy-table.ts";
import { IgnoreRules } from "../../../src/engine/audit/ignore.ts";
import type { HasFile } from "../../../src/index/rows.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { seedSite } from "./_site.ts";

const ACQS = ["acq1", "a/b", ".hidden", "a/.dot", "x.", "trail/", "dou//ble", "/lead", "sp ace"];
const FILES = ["f.dat", ".lock", "sub/g.dat", "sub/.h", "n\u0000ul", "q'uote", "f..dat"];

interface Row {
  readonly path: string;
  readonly copyId: number;
  readonly fileId: number;
  readonly size: number | null;
  readonly has: HasFile;
  readonly lastUpdate: string;
}

/** The table as the general rule files it: every row by its whole path. */
function byPath(rows: readonly Row[], keep: (path: string) => boolean): CopyTable {
  const t = new CopyTable();
  for (const r of rows) if (keep(r.path)) t.addRow(r.path, r.copyId, r.fileId, r.size === null ? NaN : r.size, HAS_CODES[r.has], stateHash(r.has, r.lastUpdate));
  t.finish();
  return t;
}

/** Everything a later phase can ask of a table, for every directory any row names. */
function contents(t: CopyTable, dirs: readonly string[]) {
  const rows = Array.from({ length: t.length }, (_, i) => [t.copyId[i], t.fileId[i], t.size[i], t.has[i], t.state[i]]);
  const expected = dirs.map((d) => {
    const e = t.expected(d);
    return [d, e && { names: e.names, size: [...e.size], has: [...e.has] }];
  });
  return { rows, expected, unseen: t.unseen() };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`check-site snapshot [${backend}]`, () => {
    test("filing by acquisition gives the table filing by path gives, under every rule", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      const other = await seedSite(idx, { name: "n2" });
      const rows: Row[] = [];
      let k = 0;
      for (const acqName of ACQS) {
        const acq = await seed.acq(idx.db, { name: acqName });
        for (const name of FILES) {
          const file = await seed.file(idx.db, { name, acq_id: acq.id, size_b: k % 3 === 0 ? null : k });
          const has = (["Y", "M", "X", "N"] as const)[k % 4]!;
          const lastUpdate = `2025-01-0${1 + (k % 9)} 00:00:0${k % 10}`;
          const copy = await seed.copy(idx.db, { file_id: file.id, node_id: k % 5 === 4 ? other.nodeId : s.nodeId, has_file: has, last_update: lastUpdate });
          if (k % 5 !== 4) rows.push({ path: `${acqName}/${name}`, copyId: Number(copy.id), fileId: Number(file.id), size: k % 3 === 0 ? null : k, has, lastUpdate });
          k++;
        }
      }
      const stored = await idx.db.all<{ id: number; last_update: string }>("SELECT id, last_update FROM archivefilecopy");
      const lastUpdates = new Map(stored.map((r) => [Number(r.id), String(r.last_update)]));
      const asStored = rows.map((r) => ({ ...r, lastUpdate: lastUpdates.get(r.copyId)! }));
      const dirs = [...new Set(asStored.map((r) => r.path.slice(0, Math.max(0, r.path.lastIndexOf("/")))))];

      const nested = ["a/b"];
      const underNested = (path: string) => nested.some((n) => path === n || path.startsWith(`${n}/`));
      const cases: Array<[string, readonly string[], IgnoreRules, ((p: string) => boolean) | undefined]> = [
        ["no rules", [], new IgnoreRules(), undefined],
        ["a glob", [], new IgnoreRules(["**/f.dat"]), undefined],
        ["scopes", ["acq1", "a"], new IgnoreRules(), undefined],
        ["a nested node", [], new IgnoreRules(), underNested],
      ];
      // Read here, by a thread of its own (packed pages), by two (a range of copy ids each), and by
      // a thread that fails (then here).
      const readers: Array<[string, SnapshotReader | undefined]> = [
        ["this thread", undefined],
        ["a reading thread", { url: idx.url, cwd: idx.dir.path }],
        ["two reading threads", { url: idx.url, cwd: idx.dir.path, splitAbove: 1 }],
        ["a failing thread", { url: `sqlite:///${idx.dir.path}/no/such/dir/index.db`, cwd: idx.dir.path }],
      ];
      let kept = 0;
      for (const [label, scopes, ignore, excluded] of cases) {
        const keep = (p: string) => (scopes.length === 0 || scopes.some((sc) => p === sc || p.startsWith(`${sc}/`))) && !ignore.ignoredPath(p) && !excluded?.(p);
        const want = byPath(asStored, keep);
        for (const [how, reader] of readers) {
          const snap = await readSnapshot(idx.db, s.nodeId, scopes, ignore, excluded, reader);
          expect([label, how, contents(snap.table, dirs)]).toEqual([label, how, contents(want, dirs)]);
          expect([label, how, snap.expectedPresent]).toEqual([label, how, asStored.filter((r) => keep(r.path) && (r.has === "Y" || r.has === "M")).length]);
          expect([label, how, snap.threaded]).toEqual([label, how, how.endsWith("reading thread") || how.endsWith("reading threads")]);
          kept += snap.table.length;
        }
      }
      // The cases keep rows, and not all of them.
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(4 * readers.length * asStored.length);
    });
  });
}
