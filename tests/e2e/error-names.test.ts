// A crash of the COMPILED binary names the real error class and the real functions: the build
// must not rename identifiers (scripts/compile.ts), and our error classes name themselves
// (src/common/errors.ts). Provoked by an index whose schema version is right but whose
// `storagenode` table is missing: start-up passes, the first query of the update loop fails
// and the daemon ends with alpenhorn's `Fatal error!` and the traceback.

import { expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { binaryCopyIn, runBinary } from "../helpers/binary.ts";
import { backendSuites, emptyIndex } from "../helpers/index.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`dist/alpenhorn crash report [${backend}]`, () => {
    test("Fatal error! prints `IndexError: <message>` and unminified function names", async () => {
      await using idx = await emptyIndex(backend);
      await idx.db.run(`CREATE TABLE dataindexversion (id INTEGER PRIMARY KEY, component VARCHAR(255) NOT NULL, version INTEGER NOT NULL)`);
      await idx.db.run("INSERT INTO dataindexversion (id, component, version) VALUES (1, 'alpenhorn', 2)");
      const bin = await binaryCopyIn(idx.dir.path);
      writeFileSync(idx.dir.join("a.conf"), `database:\n  url: ${JSON.stringify(idx.url)}\ndaemon:\n  host: h1\n`);
      const r = await runBinary(bin, ["--test-isolation", "-c", "a.conf", "serve", "--once"], { cwd: idx.dir.path });
      expect(r.code).toBe(1);
      const lines = r.err.split("\n");
      const at = lines.findIndex((l) => l.endsWith(" ERROR >> [MainThread] Fatal error!"));
      expect(at).toBeGreaterThan(0);
      // SQLite: `no such table: storagenode`; MariaDB: `Table 't_….storagenode' doesn't exist`.
      expect(lines[at + 1]).toMatch(backend === "sqlite" ? /^IndexError: no such table: storagenode$/ : /^IndexError: Table '\w+\.storagenode' doesn't exist$/);
      // The traceback names our functions and files, as the source does.
      const trace = lines.slice(at + 2).join("\n");
      expect(trace).toMatch(/^ {4}at .*\bselectNodes \(src\/index\/queries\/nodes\.ts:\d+:\d+\)$/m);
      expect(trace).toMatch(/^ {4}at .*\brunDaemon \(src\/engine\/daemon\.ts:\d+:\d+\)$/m);
    });
  });
}
