// `alpenhorn acq show` on both backends (alpenhorn/cli/acq/show.py and
// tests/cli/acq/test_show.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import type { HasFile } from "../../../src/index/rows.ts";

const count = (text: string, word: string) => text.split(word).length - 1;

/**
 * Groups Group1 (Node1, Node2), Group2 (Node3, Node4), Group3 (Node5) and acquisition "Acq"
 * with File1..File4 (123, 456, 456, 789 B); `states` gives the has_file of the copies
 * File1@Node1, File1@Node2, File2@Node1, File3@Node2, File4@Node3.
 */
async function layout(db: Db, states: HasFile[]): Promise<void> {
  const g1 = await seed.group(db, { name: "Group1" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id });
  const n2 = await seed.node(db, { name: "Node2", group_id: g1.id });
  const g2 = await seed.group(db, { name: "Group2" });
  const n3 = await seed.node(db, { name: "Node3", group_id: g2.id });
  await seed.node(db, { name: "Node4", group_id: g2.id });
  const g3 = await seed.group(db, { name: "Group3" });
  await seed.node(db, { name: "Node5", group_id: g3.id });
  const acq = await seed.acq(db, { name: "Acq" });
  const f1 = await seed.file(db, { name: "File1", acq_id: acq.id, size_b: 123 });
  const f2 = await seed.file(db, { name: "File2", acq_id: acq.id, size_b: 456 });
  const f3 = await seed.file(db, { name: "File3", acq_id: acq.id, size_b: 456 });
  const f4 = await seed.file(db, { name: "File4", acq_id: acq.id, size_b: 789 });
  const copies: Array<[number, number]> = [
    [f1.id, n1.id],
    [f1.id, n2.id],
    [f2.id, n1.id],
    [f3.id, n2.id],
    [f4.id, n3.id],
  ];
  for (const [i, [file_id, node_id]] of copies.entries()) await seed.copy(db, { file_id, node_id, has_file: states[i]! });
}

const HEAD = "Acquisition: Acq\n File Count: 4\n Total Size: 1.781 kiB\n";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`acq show [${backend}]`, () => {
    test("missing ACQ is a usage error (test_no_acq)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "show"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: Missing argument 'ACQ'.");
    });

    test("unknown acquisition (test_acq_not_found)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "show", "Acq"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such Acquisition: Acq\n" });
    });

    test("shows count and total size (test_simple_show)", async () => {
      await using idx = await initialisedIndex(backend);
      const acq = await seed.acq(idx.db, { name: "Acq" });
      await seed.file(idx.db, { name: "File1", acq_id: acq.id, size_b: 123 });
      await seed.file(idx.db, { name: "File2", acq_id: acq.id, size_b: 456 });
      const r = await cliFor(idx)(["acq", "show", "Acq"]);
      expect(r).toEqual({ code: 0, out: "Acquisition: Acq\n File Count: 2\n Total Size: 579 B\n", err: "" });
    });

    test("an acquisition without files shows count 0 and 0 B (upstream crashes)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "Empty" });
      const r = await cliFor(idx)(["acq", "show", "Empty", "--show-nodes"]);
      expect(r).toEqual({
        code: 0,
        out: "Acquisition: Empty\n File Count: 0\n Total Size: 0 B\n\nNode breakdown:\n\nNo nodes with data\n",
        err: "",
      });
    });

    test("files of unknown size total `-`", async () => {
      await using idx = await initialisedIndex(backend);
      const acq = await seed.acq(idx.db, { name: "Acq" });
      await seed.file(idx.db, { name: "File1", acq_id: acq.id });
      const r = await cliFor(idx)(["acq", "show", "Acq"]);
      expect(r.out).toBe("Acquisition: Acq\n File Count: 1\n Total Size: -\n");
    });

    test("--show-nodes (test_show_nodes)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["Y", "N", "Y", "Y", "N"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-nodes"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "Node1", 2, "579 B")).toBe(true);
      expect(hasRow(r.out, "Node2", 1, "456 B")).toBe(true);
      expect(r.out).not.toContain("Node3");
      expect(r.out).toBe(
        HEAD + "\nNode breakdown:\n\n" + ["Node      Count  Size", "------  -------  ------", "Node1         2  579 B", "Node2         1  456 B", ""].join("\n"),
      );
    });

    test("--show-groups (test_show_groups)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["Y", "N", "Y", "Y", "Y"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-groups"]);
      expect(hasRow(r.out, "Group1", 3, "1.011 kiB")).toBe(true);
      expect(hasRow(r.out, "Group2", 1, "789 B")).toBe(true);
      expect(r.out).not.toContain("Group3");
      expect(r.out).toContain("\nGroup breakdown:\n\n");
    });

    test("--show-groups --show-nodes: left-aligned counts and blank separator rows (test_show_groups_nodes)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["Y", "N", "Y", "Y", "Y"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-groups", "--show-nodes"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out:
          HEAD +
          "\nGroup/Node breakdown:\n\n" +
          [
            "Group/Node    Count    Size",
            "------------  -------  ---------",
            "Group1        3        1.011 kiB",
            "-- Node1      2        579 B",
            "-- Node2      1        456 B",
            "",
            "Group2        1        789 B",
            "-- Node3      1        789 B",
            "",
            "",
          ].join("\n"),
      });
      for (const w of ["Node4", "Group3", "Node5"]) expect(r.out).not.toContain(w);
    });

    test("--show-nodes with only M/X/N copies (test_show_no_nodes)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["M", "N", "X", "N", "N"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-nodes"]);
      expect(r.code).toBe(0);
      expect(count(r.out, "Size")).toBe(1);
      expect(r.out).toEndWith("\nNode breakdown:\n\nNo nodes with data\n");
    });

    test("--show-groups with only M/X/N copies (test_show_no_groups)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["X", "N", "M", "N", "N"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-groups"]);
      expect(count(r.out, "Size")).toBe(1);
      expect(r.out).toEndWith("\nGroup breakdown:\n\nNo nodes with data\n");
    });

    test("both flags with only M/X/N copies (test_show_no_groups_nodes)", async () => {
      await using idx = await initialisedIndex(backend);
      await layout(idx.db, ["N", "N", "X", "M", "N"]);
      const r = await cliFor(idx)(["acq", "show", "Acq", "--show-groups", "--show-nodes"]);
      expect(count(r.out, "Size")).toBe(1);
      expect(r.out).toEndWith("\nGroup/Node breakdown:\n\nNo nodes with data\n");
    });
  });
}
