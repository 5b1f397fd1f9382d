// `alpenhorn acq create` on both backends (alpenhorn/cli/acq/create.py and
// tests/cli/acq/test_create.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`acq create [${backend}]`, () => {
    test("creates the acquisition (test_create)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "create", "TEST"]);
      expect(r).toEqual({ code: 0, out: 'Created acquisition "TEST".\n', err: "" });
      expect(await idx.db.all("SELECT name, comment FROM archiveacq")).toEqual([{ name: "TEST", comment: null }]);
    });

    test("accepts a name with inner slashes", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "create", "a/b/c"]);
      expect(r.code).toBe(0);
      expect(await idx.db.all("SELECT name FROM archiveacq")).toEqual([{ name: "a/b/c" }]);
    });

    test("rejects an invalid name (test_bad_name)", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      const cases: Array<[string, string]> = [
        ["/test/", "invalid start"],
        ["", "empty path"],
        ["..", "invalid path"],
        ["./x", "invalid start"],
        ["x/..", "invalid end"],
        ["a//b", "repeated /"],
        ["a/./b", 'invalid path element "."'],
        ["a/../b", 'invalid path element ".."'],
      ];
      for (const [name, reason] of cases) {
        const r = await cli(["acq", "create", name]);
        expect(r).toEqual({ code: 1, out: "", err: `Error: invalid name: ${reason}\n` });
      }
      expect(await idx.db.all("SELECT name FROM archiveacq")).toEqual([]);
    });

    test("refuses an existing name (test_create_existing)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "TEST" });
      const r = await cliFor(idx)(["acq", "create", "TEST"]);
      expect(r).toEqual({ code: 1, out: "", err: 'Error: Acquisition "TEST" already exists.\n' });
      expect(await idx.db.all("SELECT name FROM archiveacq")).toEqual([{ name: "TEST" }]);
    });

    test("missing NAME is a usage error", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "create"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Missing argument 'NAME'.");
    });
  });
}
