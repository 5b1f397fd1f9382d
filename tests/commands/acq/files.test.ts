// `alpenhorn acq files` on both backends (alpenhorn/cli/acq/files.py and
// tests/cli/acq/test_files.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor, hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";

const count = (text: string, word: string) => text.split(word).length - 1;

/** One file per has/wants pair on `nodeId`, named File{has}{wants}. */
async function gamut(db: Db, acqId: number, nodeId: number, pairs: string[], sizes: Record<string, [number | null, number | null]> = {}) {
  for (const p of pairs) {
    const [fsize, csize] = sizes[p] ?? [null, null];
    const f = await seed.file(db, { name: `File${p}`, acq_id: acqId, size_b: fsize });
    await seed.copy(db, { file_id: f.id, node_id: nodeId, has_file: p[0] as HasFile, wants_file: p[1] as WantsFile, size_b: csize });
  }
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`acq files [${backend}]`, () => {
    test("missing ACQ is a usage error (test_no_acq)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "files"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: Missing argument 'ACQ'.");
    });

    test("unknown acquisition (test_acq_not_found)", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["acq", "files", "Acq"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such Acquisition: Acq\n" });
    });

    test("acquisition without files (test_no_files)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "Acq" });
      const r = await cliFor(idx)(["acq", "files", "Acq"]);
      expect(r).toEqual({ code: 0, out: "No files.\n", err: "" });
    });

    test("lists the files of one acquisition (test_list)", async () => {
      await using idx = await initialisedIndex(backend);
      const a1 = await seed.acq(idx.db, { name: "Acq1" });
      await seed.file(idx.db, { name: "File1", acq_id: a1.id, size_b: 123, md5sum: "0123456789abcdef0123456789abcdef" });
      await seed.file(idx.db, { name: "File2", acq_id: a1.id, size_b: 45678, md5sum: "fedcba9876543210fedcba9876543210" });
      const a2 = await seed.acq(idx.db, { name: "Acq2" });
      await seed.file(idx.db, { name: "File3", acq_id: a2.id, size_b: 9, md5sum: "fedcba98765432100123456789abcdef" });
      const r = await cliFor(idx)(["acq", "files", "Acq1"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        [
          "Name    Size       MD5",
          "------  ---------  --------------------------------",
          "File1   123 B      0123456789abcdef0123456789abcdef",
          "File2   44.61 kiB  fedcba9876543210fedcba9876543210",
          "",
        ].join("\n"),
      );
      expect(count(r.out, "File")).toBe(2);
    });

    test("--node lists copy states, hiding removed ones (test_list_node)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n1 = await seed.node(idx.db, { name: "Node1", group_id: g.id });
      const n2 = await seed.node(idx.db, { name: "Node2", group_id: g.id });
      const a1 = await seed.acq(idx.db, { name: "Acq1" });
      await gamut(idx.db, a1.id, n1.id, ["YY"], { YY: [123, null] });
      const f2 = await seed.file(idx.db, { name: "File2", acq_id: a1.id, size_b: 456 });
      await seed.copy(idx.db, { file_id: f2.id, node_id: n2.id, has_file: "Y" });
      await gamut(idx.db, a1.id, n1.id, ["MY", "XY", "NY", "YM", "MM", "XM", "NM", "YN", "MN", "XN", "NN"], {
        MY: [789, 1234],
        XY: [5678, 0],
        NY: [0, null],
      });
      const a2 = await seed.acq(idx.db, { name: "Acq2" });
      const f3 = await seed.file(idx.db, { name: "File3", acq_id: a2.id });
      await seed.copy(idx.db, { file_id: f3.id, node_id: n1.id, has_file: "N" });

      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node1"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "FileYY", "123 B", "Healthy", "-")).toBe(true);
      expect(hasRow(r.out, "FileMY", "789 B", "Suspect", "1.205 kiB")).toBe(true);
      expect(hasRow(r.out, "FileXY", "5.545 kiB", "Corrupt", "0 B")).toBe(true);
      expect(hasRow(r.out, "FileNY", "0 B", "Missing", "-")).toBe(true);
      expect(hasRow(r.out, "FileYM", "-", "Removable", "-")).toBe(true);
      expect(hasRow(r.out, "FileMM", "-", "Suspect", "-")).toBe(true);
      expect(hasRow(r.out, "FileXM", "-", "Corrupt", "-")).toBe(true);
      for (const p of ["YN", "MN", "XN"]) expect(hasRow(r.out, `File${p}`, "-", "Released", "-")).toBe(true);
      for (const w of ["File2", "File3", "FileNM", "FileNN"]) expect(r.out).not.toContain(w);
      expect(count(r.out, "File")).toBe(10);
      expect(r.out.split("\n")[0]).toBe("Name    Size       Node State    Size on Node    MD5");
    });

    // alpenhorn/cli/acq/files.py (files at 632dd41) has no ORDER BY; MariaDB returns the rows
    // in file-id order, which we keep on both databases.
    test("--node lists in file-id order, not copy-id or name order", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n1 = await seed.node(idx.db, { name: "Node1", group_id: g.id });
      const a1 = await seed.acq(idx.db, { name: "Acq1" });
      const files = [];
      for (const name of ["FileZeta", "FileAlpha", "FileMid"]) files.push(await seed.file(idx.db, { name, acq_id: a1.id }));
      for (const i of [2, 0, 1]) await seed.copy(idx.db, { file_id: files[i]!.id, node_id: n1.id, has_file: "Y" });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node1"]);
      expect(r.code).toBe(0);
      expect(r.out.split("\n").slice(2, -1).map((l) => l.split(" ")[0])).toEqual(["FileZeta", "FileAlpha", "FileMid"]);
    });

    test("--node --show-removed shows removed copies (test_list_node_removed)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group" });
      const n1 = await seed.node(idx.db, { name: "Node1", group_id: g.id });
      const a1 = await seed.acq(idx.db, { name: "Acq1" });
      await gamut(idx.db, a1.id, n1.id, ["YY", "NY", "YM", "NM", "YN", "NN"], { YY: [123, null], NY: [0, null] });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node1", "--show-removed"]);
      expect(hasRow(r.out, "FileYY", "123 B", "Healthy", "-")).toBe(true);
      expect(hasRow(r.out, "FileNY", "0 B", "Missing", "-")).toBe(true);
      expect(hasRow(r.out, "FileYM", "-", "Removable", "-")).toBe(true);
      expect(hasRow(r.out, "FileNM", "-", "Removed", "-")).toBe(true);
      expect(hasRow(r.out, "FileYN", "-", "Released", "-")).toBe(true);
      expect(hasRow(r.out, "FileNN", "-", "Removed", "-")).toBe(true);
      expect(count(r.out, "File")).toBe(6);
    });

    test("--group --show-removed shows group states and nodes (test_list_group_removed)", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group1" });
      const n1 = await seed.node(idx.db, { name: "Node1", group_id: g.id });
      const a1 = await seed.acq(idx.db, { name: "Acq1" });
      await gamut(idx.db, a1.id, n1.id, ["YY", "NY", "YM", "NM", "YN", "NN"], { YY: [123, null], NY: [0, null] });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--group=Group1", "--show-removed"]);
      expect(r.code).toBe(0);
      expect(hasRow(r.out, "FileYY", "123 B", "Present", "Node1")).toBe(true);
      expect(hasRow(r.out, "FileNY", "0 B", "Removed", "-")).toBe(true);
      expect(hasRow(r.out, "FileYM", "-", "Present", "Node1")).toBe(true);
      expect(hasRow(r.out, "FileNM", "-", "Removed", "-")).toBe(true);
      expect(hasRow(r.out, "FileYN", "-", "Present", "Node1")).toBe(true);
      expect(hasRow(r.out, "FileNN", "-", "Removed", "-")).toBe(true);
      expect(count(r.out, "File")).toBe(6);
      expect(r.out.split("\n")[0]).toBe("Name    Size    Group State    Node    MD5");
    });

    test("--group prefers Y, then M, then X copies across the group's nodes", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const n1 = await seed.node(idx.db, { name: "N1", group_id: g.id });
      const n2 = await seed.node(idx.db, { name: "N2", group_id: g.id });
      const acq = await seed.acq(idx.db, { name: "A" });
      const plan: Array<[string, HasFile, HasFile]> = [
        ["FYX", "X", "Y"],
        ["FMX", "X", "M"],
        ["FXN", "N", "X"],
      ];
      for (const [name, h1, h2] of plan) {
        const f = await seed.file(idx.db, { name, acq_id: acq.id });
        await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: h1 });
        await seed.copy(idx.db, { file_id: f.id, node_id: n2.id, has_file: h2 });
      }
      const r = await cliFor(idx)(["acq", "files", "A", "--group=G"]);
      expect(hasRow(r.out, "FYX", "-", "Present", "N2")).toBe(true);
      expect(hasRow(r.out, "FMX", "-", "Needs Check", "N2")).toBe(true);
      expect(hasRow(r.out, "FXN", "-", "Corrupt", "N2")).toBe(true);
    });

    test("unknown --node (test_list_no_node)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "Acq1" });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such Storage Node: Missing\n" });
    });

    async function removedOnNode1(db: Db, twoGroups: boolean) {
      const g1 = await seed.group(db, { name: "Group1" });
      const n1 = await seed.node(db, { name: "Node1", group_id: g1.id });
      const g2 = twoGroups ? await seed.group(db, { name: "Group2" }) : g1;
      const n2 = await seed.node(db, { name: "Node2", group_id: g2.id });
      const acq = await seed.acq(db, { name: "Acq1" });
      const f = await seed.file(db, { name: "File1", acq_id: acq.id, size_b: twoGroups ? null : 123 });
      await seed.copy(db, { file_id: f.id, node_id: n1.id, has_file: "N", wants_file: "N" });
      await seed.copy(db, { file_id: f.id, node_id: n2.id, has_file: "Y", wants_file: "Y" });
    }

    test("only removed copies on the node: nothing listed (test_no_list_node)", async () => {
      await using idx = await initialisedIndex(backend);
      await removedOnNode1(idx.db, false);
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node1"]);
      expect(r).toEqual({ code: 0, out: "No files.\n", err: "" });
    });

    test("only removed copies on the node, --show-removed (test_list_node_only_removed)", async () => {
      await using idx = await initialisedIndex(backend);
      await removedOnNode1(idx.db, false);
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node1", "--show-removed"]);
      expect(hasRow(r.out, "File1", "123 B", "Removed", "-")).toBe(true);
    });

    test("unknown --group (test_list_no_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "Acq1" });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--group=Missing"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such Storage Group: Missing\n" });
    });

    test("only removed copies in the group: nothing listed (test_no_list_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await removedOnNode1(idx.db, true);
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--group=Group1"]);
      expect(r).toEqual({ code: 0, out: "No files.\n", err: "" });
    });

    test("only removed copies in the group, --show-removed (test_list_group_only_removed)", async () => {
      await using idx = await initialisedIndex(backend);
      await removedOnNode1(idx.db, true);
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--group=Group1", "--show-removed"]);
      expect(hasRow(r.out, "File1", "-", "Removed", "-")).toBe(true);
    });

    test("--node with --group is a usage error (test_list_node_group)", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.acq(idx.db, { name: "Acq1" });
      const g = await seed.group(idx.db, { name: "Group" });
      await seed.node(idx.db, { name: "Node", group_id: g.id });
      const r = await cliFor(idx)(["acq", "files", "Acq1", "--node=Node", "--group=Group"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: cannot use both --node and --group");
    });
  });
}
