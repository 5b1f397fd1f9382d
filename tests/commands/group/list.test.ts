// `alpenhorn group list` on both backends (alpenhorn/cli/group/list.py and
// tests/cli/group/test_list.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group list [${backend}]`, () => {
    test("test_schema_mismatch: a wrong schema version fails", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("UPDATE dataindexversion SET version = 3 WHERE component = 'alpenhorn'");
      const r = await cliFor(idx)(["group", "list"]);
      expect(r).toMatchObject({ code: 1, out: "", err: "Error: Data Index version mismatch:  wanted version 2; found version 3\n" });
    });

    test("test_list: names, classes (NULL shown as Default) and notes", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "Group1", notes: "Note1" });
      await seed.group(idx.db, { name: "Group2", io_class: "Class2" });
      const r = await cliFor(idx)(["group", "list"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "Group1", "Default", "Note1")).toBe(true);
      expect(hasRow(r.out, "Group2", "Class2")).toBe(true);
      expect(r.out).toBe(
        ["Name    I/O Class    Notes", "------  -----------  -------", "Group1  Default      Note1", "Group2  Class2", ""].join("\n"),
      );
    });

    test("test_no_list: no groups prints no table", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["group", "list"]);
      expect(r).toEqual({ code: 0, out: "No storage groups found.\n", err: "" });
    });
  });
}
