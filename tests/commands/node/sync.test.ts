// `alpenhorn node sync` on both backends (alpenhorn/cli/node/sync.py, which runs
// alpenhorn/cli/group/sync.py: run_query, and tests/cli/node/test_sync.py at 632dd41) and the
// three `node sync` commands of the demo in doc/demo.rst; the engine itself is covered in
// group/sync.test.ts.

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileCopyRequestRow } from "../../../src/index/rows.ts";

/** The demo: storage1..3 each its own group; 2025/02/21 with meta.txt and four .dat files. */
async function demo(idx: TestIndex) {
  const db = idx.db;
  const groups = [];
  const nodes = [];
  for (const name of ["demo_storage1", "demo_storage2", "demo_storage3"]) {
    const g = await seed.group(db, { name });
    groups.push(g);
    nodes.push(await seed.node(db, { name, group_id: g.id, root: "/data", storage_type: "F" }));
  }
  const acq = await seed.acq(db, { name: "2025/02/21" });
  const files = [];
  for (const [name, size] of [["meta.txt", 52], ["23/1324.dat", 12], ["23/1330.dat", 12], ["23/1349.dat", 14], ["23/1342.dat", 12]] as const) {
    const f = await seed.file(db, { name, acq_id: acq.id, size_b: size });
    await seed.copy(db, { file_id: f.id, node_id: nodes[0]!.id, has_file: "Y" });
    files.push(f);
  }
  return { groups, nodes, acq, files };
}

const requests = (idx: TestIndex) => idx.db.all<ArchiveFileCopyRequestRow>("SELECT * FROM archivefilecopyrequest ORDER BY id");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node sync [${backend}]`, () => {
    test("demo: node sync demo_storage1 demo_storage2 --show-files", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes, groups, files } = await demo(idx);
      await seed.copy(idx.db, { file_id: files[0]!.id, node_id: nodes[1]!.id, has_file: "Y" });
      const r = await cliFor(idx)(["node", "sync", "demo_storage1", "demo_storage2", "--show-files"], "y\n");
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
      expect(reqs.map((q) => [q.file_id, q.node_from_id, q.group_to_id, q.completed, q.cancelled])).toEqual(
        files.slice(1).map((f) => [f.id, nodes[0]!.id, groups[1]!.id, 0, 0]),
      );
    });

    test("demo: node sync demo_storage2 demo_storage1 (the corrupt copy is re-synced)", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes, groups, files } = await demo(idx);
      for (const f of files) await seed.copy(idx.db, { file_id: f.id, node_id: nodes[1]!.id, has_file: "Y" });
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'X' WHERE node_id = ? AND file_id = ?", [nodes[0]!.id, files[1]!.id]);
      const r = await cliFor(idx)(["node", "sync", "demo_storage2", "demo_storage1"], "y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out:
          'Would sync 1 file (12 B) from Node "demo_storage2" to Group "demo_storage1".\n\nContinue? [y/N]: \n' +
          'Syncing 1 file (12 B) from Node "demo_storage2" to Group "demo_storage1".\n\nAdded 1 new copy request.\n',
      });
      expect((await requests(idx)).map((q) => [q.file_id, q.node_from_id, q.group_to_id])).toEqual([[files[1]!.id, nodes[1]!.id, groups[0]!.id]]);
    });

    test("demo: node sync --force demo_storage2 demo_storage3", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes, files } = await demo(idx);
      for (const f of files) await seed.copy(idx.db, { file_id: f.id, node_id: nodes[1]!.id, has_file: "Y" });
      const r = await cliFor(idx)(["node", "sync", "--force", "demo_storage2", "demo_storage3"]);
      expect(r).toEqual({ code: 0, err: "", out: 'Syncing 5 files (102 B) from Node "demo_storage2" to Group "demo_storage3".\n\nAdded 5 new copy requests.\n' });
      expect((await requests(idx)).length).toBe(5);
    });

    test("test_no_group / test_check_force / test_all_no_cancel / test_all_with_node / test_cancel_target: usage exits", async () => {
      await using idx = await initialisedIndex(backend);
      await demo(idx);
      const cases: Array<[string[], string]> = [
        [["node", "sync", "demo_storage1"], "GROUP or --all must be provided."],
        [["node", "sync", "demo_storage1", "demo_storage2", "--check", "--force"], "cannot use both --check and --force"],
        [["node", "sync", "demo_storage1", "-a"], "--all may only be used with --cancel"],
        [["node", "sync", "demo_storage1", "demo_storage2", "--all", "--cancel"], "Can't use --all with GROUP."],
        [["node", "sync", "demo_storage1", "demo_storage2", "-x", "--target", "demo_storage3"], "cannot use both --cancel and --target"],
      ];
      for (const [argv, msg] of cases) {
        const r = await cliFor(idx)(argv);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`Usage: alpenhorn node sync [OPTIONS] NODE GROUP\nTry 'alpenhorn node sync -h' for help.\n\nError: ${msg}\n`);
      }
      expect(await requests(idx)).toEqual([]);
    });

    test("test_bad_node / test_bad_group: error exits", async () => {
      await using idx = await initialisedIndex(backend);
      await demo(idx);
      const cli = cliFor(idx);
      expect(await cli(["node", "sync", "nope", "demo_storage2", "--force"])).toEqual({ code: 1, out: "", err: "Error: No such node: nope\n" });
      expect(await cli(["node", "sync", "demo_storage1", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: No such group: nope\n" });
      // With a file list the node's root is looked up first, with the same message.
      idx.dir.write({ "list.txt": "2025/02/21/meta.txt\n" });
      expect(await cli(["node", "sync", "nope", "demo_storage2", "--force", "-F", "list.txt"])).toEqual({ code: 1, out: "", err: "Error: No such node: nope\n" });
      expect(await requests(idx)).toEqual([]);
    });

    test("test_all: NODE --cancel --all cancels requests to every group", async () => {
      await using idx = await initialisedIndex(backend);
      const { nodes, groups, files } = await demo(idx);
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: nodes[0]!.id, group_to_id: groups[1]!.id });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: nodes[0]!.id, group_to_id: groups[2]!.id });
      await seed.copyRequest(idx.db, { file_id: files[0]!.id, node_from_id: nodes[1]!.id, group_to_id: groups[2]!.id });
      const r = await cliFor(idx)(["node", "sync", "demo_storage1", "--cancel", "--all", "--force"]);
      expect(r.out).toBe("Cancelling 2 pending transfer requests.\n\nCancelled 2 transfer requests.\n");
      expect((await requests(idx)).map((q) => q.cancelled)).toEqual([1, 1, 0]);
    });

    test("test_file_list: listed files only, relative and under the node root", async () => {
      await using idx = await initialisedIndex(backend);
      const { files } = await demo(idx);
      idx.dir.write({ "list.txt": "2025/02/21/meta.txt\n#2025/02/21/23/1324.dat\n/data/2025/02/21/23/1330.dat\n" });
      const r = await cliFor(idx)(["node", "sync", "demo_storage1", "demo_storage2", "--force", "-F", "list.txt"]);
      expect(r.out).toBe('Syncing 2 files (64 B) from Node "demo_storage1" to Group "demo_storage2".\n\nAdded 2 new copy requests.\n');
      expect((await requests(idx)).map((q) => q.file_id)).toEqual([files[0]!.id, files[2]!.id]);
    });
  });
}
