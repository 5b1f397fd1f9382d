// `alpenhorn acq list` on both backends (alpenhorn/cli/acq/list.py and
// tests/cli/acq/test_list.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { Db } from "../../../src/index/driver/types.ts";

/** Acq1 (2 files: Y on Node1, Y on Node2), Acq2 (1 file: Y on Node2, N on Node1), Acq3 (empty). */
async function layout(db: Db) {
  const g1 = await seed.group(db, { name: "Group1" });
  const g2 = await seed.group(db, { name: "Group2" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id });
  const n2 = await seed.node(db, { name: "Node2", group_id: g1.id });
  await seed.node(db, { name: "Node3", group_id: g2.id });
  const a1 = await seed.acq(db, { name: "Acq1" });
  const a2 = await seed.acq(db, { name: "Acq2" });
  await seed.acq(db, { name: "Acq3" });
  const f1 = await seed.file(db, { name: "File1", acq_id: a1.id });
  const f2 = await seed.file(db, { name: "File2", acq_id: a1.id });
  const f3 = await seed.file(db, { name: "File3", acq_id: a2.id });
  await seed.copy(db, { file_id: f1.id, node_id: n1.id, has_file: "Y" });
  await seed.copy(db, { file_id: f2.id, node_id: n2.id, has_file: "Y" });
  await seed.copy(db, { file_id: f3.id, node_id: n2.id, has_file: "Y" });
  await seed.copy(db, { file_id: f3.id, node_id: n1.id, has_file: "N" });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`acq list [${backend}]`, () => {
    test("no acquisitions (test_no_list)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "list"]);
      expect(r).toEqual({ code: 0, out: "No acquisitions\n", err: "" });
    });

    test("schema version mismatch (test_schema_mismatch)", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.run("UPDATE dataindexversion SET version = 3 WHERE component = 'alpenhorn'");
      const r = await cliFor(idx)(["acq", "list"]);
      expect(r.code).toBe(1);
      expect(r.err).toContain("Data Index version mismatch");
    });

    test("all acquisitions with file counts, empty ones too (test_list)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out: ["Name      Files", "------  -------", "Acq1          2", "Acq2          1", "Acq3          0", ""].join("\n"),
      });
    });

    test("--node counts only has_file=Y copies there (test_list_node)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list", "--node=Node1"]);
      expect(hasRow(r.out, "Acq1", 1)).toBe(true);
      expect(r.out).not.toContain("Acq2");
      expect(r.out).not.toContain("Acq3");
    });

    test("unknown --node (test_list_no_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "list", "--node=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such node: Missing\n" });
    });

    test("--node without files (test_no_list_node)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list", "--node=Node3"]);
      expect(r).toEqual({ code: 0, out: "No acquisitions\n", err: "" });
    });

    test("--group counts has_file=Y copies on the group's nodes (test_list_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list", "--group=Group1"]);
      expect(hasRow(r.out, "Acq1", 2)).toBe(true);
      expect(hasRow(r.out, "Acq2", 1)).toBe(true);
      expect(r.out).not.toContain("Acq3");
    });

    test("unknown --group (test_list_no_group)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "list", "--group=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such group: Missing\n" });
    });

    test("--group without files (test_no_list_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list", "--group=Group2"]);
      expect(r).toEqual({ code: 0, out: "No acquisitions\n", err: "" });
    });

    test("--node with --group is a usage error (test_list_node_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db);
      const r = await cliFor(idx)(["acq", "list", "--node=Node1", "--group=Group1"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: cannot use both --node and --group");
    });

    test("all-numeric names make a right-aligned Name column", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "20240101" });
      await seed.acq(idx.db, { name: "7" });
      const r = await cliFor(idx)(["acq", "list"]);
      expect(r.out).toBe(["    Name    Files", "--------  -------", "20240101        0", "       7        0", ""].join("\n"));
    });
  });
}
