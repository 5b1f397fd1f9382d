// `alpenhorn group sync` on both backends (alpenhorn/cli/group/sync.py and tests/cli/group/
// test_sync.py and test_sync_cancel.py at 632dd41), plus the demo's
// `group sync demo_storage2 demo_storage1 --show-files` (doc/demo.rst).

import { describe, expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileCopyRequestRow } from "../../../src/index/rows.ts";

/** Group1 ⊃ Node1 (source), Group2 ⊃ Node2 (dest); Acq1 with File1..File3 healthy on Node1. */
async function fixture(idx: TestIndex) {
  const db = idx.db;
  const g1 = await seed.group(db, { name: "Group1" });
  const g2 = await seed.group(db, { name: "Group2" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id, root: "/node1" });
  const n2 = await seed.node(db, { name: "Node2", group_id: g2.id, root: "/node2" });
  const acq = await seed.acq(db, { name: "Acq1" });
  const files = [];
  for (const [i, size] of [[1, 1000], [2, 2000], [3, 3000]] as const) {
    const f = await seed.file(db, { name: `File${i}`, acq_id: acq.id, size_b: size });
    await seed.copy(db, { file_id: f.id, node_id: n1.id, has_file: "Y", wants_file: "Y" });
    files.push(f);
  }
  return { g1, g2, n1, n2, acq, files };
}

const requests = (idx: TestIndex) => idx.db.all<ArchiveFileCopyRequestRow>("SELECT * FROM archivefilecopyrequest ORDER BY id");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`group sync [${backend}]`, () => {
    test("the demo: --show-files lists the new requests, then 'y' adds them", async () => {
      await using idx = await initialisedIndex(backend);
      const db = idx.db;
      const s1 = await seed.group(db, { name: "demo_storage1" });
      const s2 = await seed.group(db, { name: "demo_storage2" });
      const n1 = await seed.node(db, { name: "demo_storage1", group_id: s1.id });
      const n2 = await seed.node(db, { name: "demo_storage2", group_id: s2.id });
      const acq = await seed.acq(db, { name: "2025/02/21" });
      const meta = await seed.file(db, { name: "meta.txt", acq_id: acq.id, size_b: 52 });
      await seed.copy(db, { file_id: meta.id, node_id: n1.id, has_file: "Y" });
      await seed.copy(db, { file_id: meta.id, node_id: n2.id, has_file: "Y" });
      for (const [name, size] of [["23/1324.dat", 12], ["23/1330.dat", 12], ["23/1349.dat", 14], ["23/1342.dat", 12]] as const) {
        const f = await seed.file(db, { name, acq_id: acq.id, size_b: size });
        await seed.copy(db, { file_id: f.id, node_id: n1.id, has_file: "Y" });
      }
      const r = await cliFor(idx)(["group", "sync", "demo_storage2", "demo_storage1", "--show-files"], "y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out:
          'Would sync 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2":\n\n' +
          "2025/02/21/23/1324.dat\n2025/02/21/23/1330.dat\n2025/02/21/23/1342.dat\n2025/02/21/23/1349.dat\n" +
          "\nContinue? [y/N]: \n" +
          'Syncing 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2".\n\nAdded 4 new copy requests.\n',
      });
      const reqs = await requests(idx);
      expect(reqs.length).toBe(4);
      expect(new Set(reqs.map((q) => q.timestamp)).size).toBe(1);
      for (const q of reqs) expect(q).toMatchObject({ node_from_id: n1.id, group_to_id: s2.id, completed: 0, cancelled: 0 });
    });

    test("test_no_node / test_check_force / test_all_no_cancel / test_all_with_node / test_cancel_target: usage exits", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const cases: Array<[string[], string]> = [
        [["group", "sync", "Group2"], "NODE or --all must be provided."],
        [["group", "sync", "Group2", "Node1", "--check", "--force"], "cannot use both --check and --force"],
        [["group", "sync", "Group2", "--all"], "--all may only be used with --cancel"],
        [["group", "sync", "Group2", "Node1", "--all", "--cancel"], "Can't use --all with NODE."],
        [["group", "sync", "Group2", "Node1", "--cancel", "--target", "Group1"], "cannot use both --cancel and --target"],
      ];
      for (const [argv, msg] of cases) {
        const r = await cliFor(idx)(argv);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`Usage: alpenhorn group sync [OPTIONS] GROUP NODE\nTry 'alpenhorn group sync -h' for help.\n\nError: ${msg}\n`);
      }
      expect(await requests(idx)).toEqual([]);
    });

    test("test_bad_group / test_bad_node / test_bad_acq / test_bad_target: error exits", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const cli = cliFor(idx);
      const cases: Array<[string[], string]> = [
        [["group", "sync", "Missing", "Node1", "--force"], "No such group: Missing"],
        [["group", "sync", "Group2", "Missing", "--force"], "No such node: Missing"],
        [["group", "sync", "Group2", "Node1", "--acq", "Missing", "--force"], "No such acquisition: Missing"],
        [["group", "sync", "Group2", "Node1", "--target", "Missing", "--force"], "no such group: Missing"],
      ];
      for (const [argv, msg] of cases) expect(await cli(argv)).toEqual({ code: 1, out: "", err: `Error: ${msg}\n` });
      expect(await requests(idx)).toEqual([]);
    });

    test("test_sync: only files absent from the destination group are requested", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1, n2, g2, files } = await fixture(idx);
      await seed.copy(idx.db, { file_id: files[1]!.id, node_id: n2.id, has_file: "Y", wants_file: "N" });
      const before = new Date().toISOString().replace("T", " ").slice(0, 19);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1"], "Y\n");
      expect(r.out).toBe(
        'Would sync 2 files (3.906 kiB) from Node "Node1" to Group "Group2".\n\nContinue? [y/N]: \n' +
          'Syncing 2 files (3.906 kiB) from Node "Node1" to Group "Group2".\n\nAdded 2 new copy requests.\n',
      );
      const reqs = await requests(idx);
      expect(reqs.map((q) => q.file_id)).toEqual([files[0]!.id, files[2]!.id]);
      for (const q of reqs) {
        expect(q).toMatchObject({ node_from_id: n1.id, group_to_id: g2.id, completed: 0, cancelled: 0 });
        expect(q.timestamp! >= before).toBe(true);
      }
    });

    test("test_sync_existing: a pending request is not duplicated", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1, g2, files } = await fixture(idx);
      for (const f of files) await seed.copyRequest(idx.db, { file_id: f.id, node_from_id: n1.id, group_to_id: g2.id, timestamp: "2020-01-01 00:00:00" });
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--force"]);
      expect(r).toEqual({
        code: 0,
        err: "",
        out: '3 files (5.859 kiB) already scheduled for sync from Node "Node1" to Group "Group2"\nNo additional files to sync.\n',
      });
      const reqs = await requests(idx);
      expect(reqs.length).toBe(3);
      expect(reqs.every((q) => q.timestamp === "2020-01-01 00:00:00")).toBe(true);
    });

    test("test_sync_prior: a cancelled request does not count; partly scheduled prints both lines", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1, g2, files } = await fixture(idx);
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: n1.id, group_to_id: g2.id, cancelled: 1 });
      await seed.copyRequest(idx.db, { file_id: files[1]!.id, node_from_id: n1.id, group_to_id: g2.id });
      await idx.db.run("UPDATE archivefile SET size_b = NULL WHERE id = ?", [files[2]!.id]);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1"], "yes\n");
      expect(r.out).toBe(
        '1 file (1.953 kiB) already scheduled for sync from Node "Node1" to Group "Group2"\n' +
          'Would sync 2 files (unknown size) from Node "Node1" to Group "Group2".\n\nContinue? [y/N]: \n' +
          '1 file (1.953 kiB) already scheduled for sync from Node "Node1" to Group "Group2"\n' +
          'Syncing 2 files (unknown size) from Node "Node1" to Group "Group2".\n\nAdded 2 new copy requests.\n',
      );
      const reqs = await requests(idx);
      expect(reqs.length).toBe(4);
      expect(reqs.slice(2).map((q) => [q.file_id, q.cancelled])).toEqual([[files[0]!.id, 0], [files[2]!.id, 0]]);
    });

    test("test_sync_different: requests for other files or directions don't count", async () => {
      await using idx = await initialisedIndex(backend);
      const { g1, g2, n1, n2, files } = await fixture(idx);
      await seed.copy(idx.db, { file_id: files[1]!.id, node_id: n2.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: files[2]!.id, node_id: n2.id, has_file: "Y" });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: n2.id, group_to_id: g2.id });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: n1.id, group_to_id: g1.id });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: n2.id, group_to_id: g1.id });
      await seed.copyRequest(idx.db, { file_id: files[1]!.id, node_from_id: n1.id, group_to_id: g2.id });
      await seed.copyRequest(idx.db, { file_id: files[2]!.id, node_from_id: n1.id, group_to_id: g2.id });
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--force"]);
      expect(r.code).toBe(0);
      const reqs = await requests(idx);
      expect(reqs.length).toBe(6);
      expect(reqs[5]).toMatchObject({ file_id: files[0]!.id, node_from_id: n1.id, group_to_id: g2.id });
    });

    test("test_sync_declined: 'N' adds nothing and prints Cancelled.", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1"], "N\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out: 'Would sync 3 files (5.859 kiB) from Node "Node1" to Group "Group2".\n\nContinue? [y/N]: \nCancelled.\n',
      });
      expect(await requests(idx)).toEqual([]);
    });

    test("test_sync_force / test_sync_check: --force ignores input; --check inserts nothing", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const check = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--check"], "y\n");
      expect(check).toEqual({ code: 0, err: "", out: 'Would sync 3 files (5.859 kiB) from Node "Node1" to Group "Group2".\n' });
      expect(await requests(idx)).toEqual([]);
      const force = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--force"], "N\n");
      expect(force.out).toBe('Syncing 3 files (5.859 kiB) from Node "Node1" to Group "Group2".\n\nAdded 3 new copy requests.\n');
      expect((await requests(idx)).length).toBe(3);
    });

    test("test_sync_acq: two --acq limit the requests", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1 } = await fixture(idx);
      for (const name of ["Acq2", "Acq3"]) {
        const acq = await seed.acq(idx.db, { name });
        const f = await seed.file(idx.db, { name: "File", acq_id: acq.id, size_b: 10 });
        await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: "Y" });
      }
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--acq", "Acq2", "--acq", "Acq1", "--force"]);
      expect(r.out).toContain("Syncing 4 files");
      const rows = await idx.db.all<{ name: string }>(
        "SELECT a.name FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id JOIN archiveacq a ON a.id = f.acq_id",
      );
      expect(rows.map((x) => x.name).sort()).toEqual(["Acq1", "Acq1", "Acq1", "Acq2"]);
    });

    test("test_sync_target: files healthy in any target group are skipped", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await fixture(idx);
      const g3 = await seed.group(idx.db, { name: "Group3" });
      const g4 = await seed.group(idx.db, { name: "Group4" });
      const n3 = await seed.node(idx.db, { name: "Node3", group_id: g3.id });
      const n4 = await seed.node(idx.db, { name: "Node4", group_id: g4.id });
      await seed.copy(idx.db, { file_id: files[0]!.id, node_id: n3.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: files[1]!.id, node_id: n4.id, has_file: "Y", wants_file: "M" });
      await seed.copy(idx.db, { file_id: files[2]!.id, node_id: n4.id, has_file: "Y", wants_file: "N" });
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--target", "Group3", "--target", "Group4", "--force"]);
      expect(r.out).toContain("Syncing 1 file (2.930 kiB)");
      expect((await requests(idx)).map((q) => q.file_id)).toEqual([files[2]!.id]);
    });

    test("a released (wants N) source copy is still a candidate (group/sync.py: run_query checks has_file only)", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await fixture(idx);
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE file_id = ?", [files[0]!.id]);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--check"]);
      expect(r.out).toContain("Would sync 3 files");
    });

    test("test_sync_show_acqs / test_sync_show_acqs_files / test_sync_show_files: listings", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1, g2, files } = await fixture(idx);
      const acq2 = await seed.acq(idx.db, { name: "Acq2" });
      const f = await seed.file(idx.db, { name: "File1", acq_id: acq2.id, size_b: 1 });
      await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: "Y" });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: n1.id, group_to_id: g2.id });
      const cli = cliFor(idx);
      const acqs = await cli(["group", "sync", "Group2", "Node1", "--check", "--show-acqs"]);
      expect(acqs.out).toBe(
        '1 file (1000 B) already scheduled for sync from Node "Node1" to Group "Group2"\n' +
          'Would sync 3 files (4.884 kiB) from Node "Node1" to Group "Group2":\n\nAcq1 [3 files]\nAcq2 [1 file]\n',
      );
      const both = await cli(["group", "sync", "Group2", "Node1", "--check", "--show-acqs", "--show-files"]);
      expect(both.out).toContain(":\n\nAcq1 [3 files]\n    Acq1/File1\n    Acq1/File2\n    Acq1/File3\nAcq2 [1 file]\n    Acq2/File1\n");
      const paths = await cli(["group", "sync", "Group2", "Node1", "--show-files"], "y\n");
      expect(paths.out).toBe(
        '1 file (1000 B) already scheduled for sync from Node "Node1" to Group "Group2"\n' +
          'Would sync 3 files (4.884 kiB) from Node "Node1" to Group "Group2":\n\nAcq1/File2\nAcq1/File3\nAcq2/File1\n\nContinue? [y/N]: \n' +
          '1 file (1000 B) already scheduled for sync from Node "Node1" to Group "Group2"\n' +
          'Syncing 3 files (4.884 kiB) from Node "Node1" to Group "Group2".\n\nAdded 3 new copy requests.\n',
      );
    });

    test("No files to sync. when nothing qualifies (exit 0, no prompt)", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const r = await cliFor(idx)(["group", "sync", "Group1", "Node1"]);
      expect(r).toEqual({ code: 0, out: "No files to sync.\n", err: "" });
    });

    test("invalid input re-prompts on stdout; end of input aborts", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1"], "maybe\n");
      expect(r.code).toBe(1);
      expect(r.out).toBe('Would sync 3 files (5.859 kiB) from Node "Node1" to Group "Group2".\n\nContinue? [y/N]: Error: invalid input\nContinue? [y/N]: ');
      expect(r.err).toBe("Aborted!\n");
      expect(await requests(idx)).toEqual([]);
    });

    test("test_file_list_missing / test_file_list_bad_file / test_file_list", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await fixture(idx);
      const cli = cliFor(idx);
      const missing = await cli(["group", "sync", "Group2", "Node1", "--force", "-F", "nope.txt"]);
      expect(missing.code).toBe(2);
      expect(missing.err).toContain("Error: Invalid value for '-F' / '--file-list': File 'nope.txt' does not exist.\n");
      idx.dir.write({ "bad.txt": "Acq1/File1\nAcq1/File9\n", "list.txt": "# comment\nAcq1/File1\n\nAcq1/File3" });
      const bad = await cli(["group", "sync", "Group2", "Node1", "--force", "-F", "bad.txt"]);
      expect(bad).toEqual({ code: 1, out: "", err: "Error: No such file on line 2 of bad.txt: Acq1/File9\n" });
      expect(await requests(idx)).toEqual([]);
      const good = await cli(["group", "sync", "Group2", "Node1", "--force", "--file-list", "list.txt"]);
      expect(good.code).toBe(0);
      expect((await requests(idx)).map((q) => [q.id, q.file_id])).toEqual([[1, files[0]!.id], [2, files[2]!.id]]);
    });

    test("test_from_stdin / test_from_stdin_unforced", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await fixture(idx);
      const cli = cliFor(idx);
      const unforced = await cli(["group", "sync", "Group2", "Node1", "-F", "-"], "Acq1/File1\nAcq1/File3\n");
      expect(unforced).toEqual({
        code: 0,
        out: 'Would sync 2 files (3.906 kiB) from Node "Node1" to Group "Group2".\n',
        err: "WARNING >> stdin has been redirected without --force.  Automatically enabling --check mode.\n",
      });
      expect(await requests(idx)).toEqual([]);
      const forced = await cli(["group", "sync", "Group2", "Node1", "-F", "-", "--force"], "Acq1/File1\nAcq1/File3\n");
      expect(forced.code).toBe(0);
      expect((await requests(idx)).map((q) => q.file_id)).toEqual([files[0]!.id, files[2]!.id]);
    });

    test("test_from_file_good_root / test_from_file_bad_root", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await fixture(idx);
      idx.dir.write({ "good.txt": "/node1/Acq1/File1\n/node1//Acq1/./File3\n", "bad.txt": "/node2/Acq1/File1\n" });
      const cli = cliFor(idx);
      const bad = await cli(["group", "sync", "Group2", "Node1", "--force", "-F", "bad.txt"]);
      expect(bad).toEqual({ code: 1, out: "", err: "Error: No such file on line 1 of bad.txt: /node2/Acq1/File1\n" });
      expect(await requests(idx)).toEqual([]);
      const good = await cli(["group", "sync", "Group2", "Node1", "--force", "-F", "good.txt"]);
      expect(good.code).toBe(0);
      expect((await requests(idx)).map((q) => q.file_id)).toEqual([files[0]!.id, files[2]!.id]);
    });

    test("an empty file list (only comments) means no restriction (options.py: files_from_file returns no files)", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx);
      idx.dir.write({ "empty.txt": "# nothing\n\n" });
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--check", "-F", "empty.txt"]);
      expect(r.out).toBe('Would sync 3 files (5.859 kiB) from Node "Node1" to Group "Group2".\n');
    });
  });

  describe(`group sync --cancel [${backend}]`, () => {
    /** Pending requests: #1 File1 N1→G2, #2 Acq2/File1 N1→G2, #3 File1 N3→G2, #4 N1→G3, #5 N2→G1, #6 N3→G1. */
    async function cancelFixture(idx: TestIndex) {
      const base = await fixture(idx);
      const g3 = await seed.group(idx.db, { name: "Group3" });
      const n3 = await seed.node(idx.db, { name: "Node3", group_id: g3.id });
      const acq2 = await seed.acq(idx.db, { name: "Acq2" });
      const other = await seed.file(idx.db, { name: "File1", acq_id: acq2.id, size_b: 5 });
      const f = base.files[0]!;
      const edges = [
        [f, base.n1, base.g2],
        [other, base.n1, base.g2],
        [f, n3, base.g2],
        [f, base.n1, g3],
        [f, base.n2, base.g1],
        [f, n3, base.g1],
      ] as const;
      for (const [file, node, group] of edges) await seed.copyRequest(idx.db, { file_id: file.id, node_from_id: node.id, group_to_id: group.id });
      return base;
    }
    const cancelled = async (idx: TestIndex) => (await requests(idx)).filter((q) => q.cancelled).map((q) => q.id);

    test("test_cancel: only NODE → GROUP requests are cancelled", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      const r = await cliFor(idx)(["group", "sync", "Group2", "Node1", "--cancel"], "y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out: "Would cancel 2 pending transfer requests.\n\nContinue? [y/N]: \nCancelling 2 pending transfer requests.\n\nCancelled 2 transfer requests.\n",
      });
      expect(await cancelled(idx)).toEqual([1, 2]);
    });

    test("test_decline / test_force / test_check", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      const cli = cliFor(idx);
      const no = await cli(["group", "sync", "Group2", "Node1", "-x"], "n\n");
      expect(no.out).toBe("Would cancel 2 pending transfer requests.\n\nContinue? [y/N]: \nCancelled.\n");
      const check = await cli(["group", "sync", "Group2", "Node1", "-x", "-c"]);
      expect(check.out).toBe("Would cancel 2 pending transfer requests.\n");
      expect(await cancelled(idx)).toEqual([]);
      const force = await cli(["group", "sync", "Group2", "Node1", "-x", "--force"], "n\n");
      expect(force.out).toBe("Cancelling 2 pending transfer requests.\n\nCancelled 2 transfer requests.\n");
      expect(await cancelled(idx)).toEqual([1, 2]);
      const again = await cli(["group", "sync", "Group2", "Node1", "-x", "--force"]);
      expect(again).toEqual({ code: 0, out: "No requests to cancel.\n", err: "" });
    });

    test("test_cancel_acq: only requests for files in --acq", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      await cliFor(idx)(["group", "sync", "Group2", "Node1", "--cancel", "--acq", "Acq2", "--force"]);
      expect(await cancelled(idx)).toEqual([2]);
    });

    test("test_show_acqs / test_show_acqs_files / test_show_files", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      const cli = cliFor(idx);
      const acqs = await cli(["group", "sync", "Group2", "Node1", "--cancel", "--check", "--show-acqs"]);
      expect(acqs.out).toBe("Would cancel 2 pending transfer requests:\n\nAcq1 [1 request]\nAcq2 [1 request]\n");
      const both = await cli(["group", "sync", "Group2", "Node1", "--cancel", "--check", "--show-acqs", "--show-files"]);
      expect(both.out).toBe("Would cancel 2 pending transfer requests:\n\nAcq1 [1 request]\n    Acq1/File1\nAcq2 [1 request]\n    Acq2/File1\n");
      const files = await cli(["group", "sync", "Group2", "--all", "--cancel", "--show-files"], "y\n");
      expect(files.out).toBe(
        "Would cancel 3 pending transfer requests:\n\nAcq1/File1\nAcq1/File1\nAcq2/File1\n\nContinue? [y/N]: \n" +
          "Cancelling 3 pending transfer requests.\n\nCancelled 3 transfer requests.\n",
      );
    });

    test("test_all: GROUP --cancel --all cancels from every source node", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      await cliFor(idx)(["group", "sync", "Group2", "--cancel", "--all", "--force"]);
      expect(await cancelled(idx)).toEqual([1, 2, 3]);
    });

    test("test_file_list: --cancel --all -F cancels only listed files", async () => {
      await using idx = await initialisedIndex(backend);
      await cancelFixture(idx);
      idx.dir.write({ "list.txt": "Acq1/File1\n" });
      await cliFor(idx)(["group", "sync", "Group2", "--cancel", "--all", "--force", "-F", "list.txt"]);
      expect(await cancelled(idx)).toEqual([1, 3]);
    });
  });
}
