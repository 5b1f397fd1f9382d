// `alpenhorn node clean` on both backends (alpenhorn/cli/node/clean.py and
// tests/cli/node/test_clean.py at 632dd41; the --days fix as README "Differences from
// alpenhorn" says) and the demo's `node clean demo_storage1 --now --target demo_storage3`
// (doc/demo.rst).

import { expect, test } from "bun:test";
import { formatUtcMicros } from "../../../src/common/time.ts";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileCopyRow, HasFile, WantsFile } from "../../../src/index/rows.ts";

const GiB = 2 ** 30;

/** Node1 (field node, root /node1) in Group1; Acq1/File{i} with one copy each in `states`. */
async function fixture(idx: TestIndex, states: Array<[HasFile, WantsFile]>, opts: { storage_type?: "A" | "F"; sizes?: number[] } = {}) {
  const g1 = await seed.group(idx.db, { name: "Group1" });
  const n1 = await seed.node(idx.db, { name: "Node1", group_id: g1.id, root: "/node1", storage_type: opts.storage_type ?? "F" });
  const acq = await seed.acq(idx.db, { name: "Acq1" });
  const copies: ArchiveFileCopyRow[] = [];
  for (const [i, [has, wants]] of states.entries()) {
    const f = await seed.file(idx.db, { name: `File${i + 1}`, acq_id: acq.id, size_b: opts.sizes?.[i] ?? GiB });
    copies.push(await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: has, wants_file: wants, last_update: "2020-01-01 00:00:00" }));
  }
  return { g1, n1, acq, copies };
}

const wants = async (idx: TestIndex) =>
  (await idx.db.all<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy ORDER BY id")).map((r) => r.wants_file).join("");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node clean [${backend}]`, () => {
    test("demo: node clean demo_storage1 --now --target demo_storage3", async () => {
      await using idx = await initialisedIndex(backend);
      const db = idx.db;
      const g1 = await seed.group(db, { name: "demo_storage1" });
      const g3 = await seed.group(db, { name: "demo_storage3" });
      const n1 = await seed.node(db, { name: "demo_storage1", group_id: g1.id, storage_type: "F" });
      const n3 = await seed.node(db, { name: "demo_storage3", group_id: g3.id, storage_type: "F" });
      const acq = await seed.acq(db, { name: "2025/02/21" });
      for (const [name, size, has1] of [["meta.txt", 52, "N"], ["23/1324.dat", 12, "Y"], ["23/1330.dat", 12, "Y"], ["23/1349.dat", 14, "Y"], ["23/1342.dat", 12, "Y"]] as const) {
        const f = await seed.file(db, { name, acq_id: acq.id, size_b: size });
        await seed.copy(db, { file_id: f.id, node_id: n1.id, has_file: has1, wants_file: has1 === "N" ? "N" : "Y" });
        await seed.copy(db, { file_id: f.id, node_id: n3.id, has_file: "Y" });
      }
      const r = await cliFor(idx)(["node", "clean", "demo_storage1", "--now", "--target", "demo_storage3"], "y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out: "Would release 4 files (50 B).\n\nContinue? [y/N]: \nReleasing 4 files (50 B).\nUpdated 4 files.\n",
      });
      const rows = await db.all<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy WHERE node_id = ? ORDER BY id", [n1.id]);
      expect(rows.map((x) => x.wants_file)).toEqual(["N", "N", "N", "N", "N"]);
    });

    test("test_no_node: an unknown node fails", async () => {
      await using idx = await initialisedIndex(backend);
      expect(await cliFor(idx)(["node", "clean", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: no such node: nope\n" });
    });

    test("test_cancel_now / test_cancel_size / test_check_force / test_bad_days / test_bad_size: usage exits", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"]]);
      const cases: Array<[string[], string]> = [
        [["--cancel", "--now"], "cannot use both --cancel and --now"],
        [["-x", "--size", "3"], "cannot use both --cancel and --size"],
        [["--check", "--force"], "cannot use both --check and --force"],
        [["--days=0"], "--days must be positive"],
        [["--days=-1"], "--days must be positive"],
        [["--size=0"], "--size must be positive"],
        [["-s", "-1"], "--size must be positive"],
      ];
      for (const [argv, msg] of cases) {
        const r = await cliFor(idx)(["node", "clean", "Node1", ...argv]);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`Usage: alpenhorn node clean [OPTIONS] NODE\nTry 'alpenhorn node clean -h' for help.\n\nError: ${msg}\n`);
      }
      expect(await wants(idx)).toBe("Y");
    });

    test("test_run: 'Y' marks only healthy wanted copies; last_update untouched", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "N"], ["M", "Y"], ["X", "Y"]]);
      const r = await cliFor(idx)(["node", "clean", "Node1"], "Y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out:
          "Would mark 1 file (1.000 GiB) for deferred cleaning.\n\nContinue? [y/N]: \n" +
          "Marking 1 file (1.000 GiB) for deferred cleaning.\nUpdated 1 file.\n",
      });
      expect(await wants(idx)).toBe("MNYY");
      const lu = await idx.db.all<{ last_update: string }>("SELECT last_update FROM archivefilecopy");
      expect(lu.every((x) => x.last_update.startsWith("2020-01-01 00:00:00"))).toBe(true);
    });

    test("test_now: --now releases present and marked copies, with a breakdown", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "M"], ["Y", "N"]], { sizes: [2048, 1024, 1] });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--now"], "y\n");
      expect(r.out).toBe(
        "Would release 2 files (3.000 kiB):\n  1 present file (2.000 kiB)\n  1 marked file (1.000 kiB)\n\nContinue? [y/N]: \n" +
          "Releasing 2 files (3.000 kiB):\n  1 present file (2.000 kiB)\n  1 marked file (1.000 kiB)\nUpdated 2 files.\n",
      );
      expect(await wants(idx)).toBe("NNN");
    });

    test("test_cancel: marked and released copies become wanted again", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "M"], ["Y", "N"], ["Y", "Y"], ["N", "N"]], { sizes: [2048, 1024, 1, 1] });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--cancel", "--force"]);
      expect(r.out).toBe("Cancelling 2 files (3.000 kiB) for cleaning:\n  1 marked file (2.000 kiB)\n  1 released file (1.000 kiB)\nUpdated 2 files.\n");
      expect(await wants(idx)).toBe("YYYN");
    });

    test("test_check / test_force / declining", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"]]);
      const cli = cliFor(idx);
      expect((await cli(["node", "clean", "Node1", "--check"])).out).toBe("Would mark 1 file (1.000 GiB) for deferred cleaning.\n");
      const no = await cli(["node", "clean", "Node1"], "\n");
      expect(no).toEqual({ code: 0, err: "", out: "Would mark 1 file (1.000 GiB) for deferred cleaning.\n\nContinue? [y/N]: \nCancelled.\n" });
      expect(await wants(idx)).toBe("Y");
      const force = await cli(["node", "clean", "Node1", "--force"]);
      expect(force.out).toBe("Marking 1 file (1.000 GiB) for deferred cleaning.\nUpdated 1 file.\n");
      expect(await wants(idx)).toBe("M");
      expect((await cli(["node", "clean", "Node1", "--force"])).out).toBe("No files to clean.\n");
    });

    test("test_archive: an archive node is refused, also with --cancel (as in clean.py: _run_query)", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "M"]], { storage_type: "A" });
      const cli = cliFor(idx);
      expect(await cli(["node", "clean", "Node1", "--force"])).toEqual({ code: 1, out: "", err: 'Error: Cannot clean archive node "Node1".\n' });
      expect(await cli(["node", "clean", "Node1", "--cancel", "--force"])).toEqual({ code: 1, out: "", err: 'Error: Cannot clean archive node "Node1".\n' });
      expect(await wants(idx)).toBe("YM");
    });

    test("test_archive_ok: --archive-ok cleans and warns once", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"]], { storage_type: "A" });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--archive-ok"], "y\n");
      expect(r.out).toBe(
        'DANGER: "Node1" is an archive node. Forcing clean.\nWould mark 1 file (1.000 GiB) for deferred cleaning.\n\nContinue? [y/N]: \n' +
          "Marking 1 file (1.000 GiB) for deferred cleaning.\nUpdated 1 file.\n",
      );
      expect(await wants(idx)).toBe("M");
    });

    test("test_bad_target / test_target / test_empty_target", async () => {
      await using idx = await initialisedIndex(backend);
      const { copies } = await fixture(idx, [["Y", "Y"], ["Y", "Y"], ["Y", "Y"]]);
      const g2 = await seed.group(idx.db, { name: "Group2" });
      const g3 = await seed.group(idx.db, { name: "Group3" });
      const n2 = await seed.node(idx.db, { name: "Node2", group_id: g2.id });
      const n3 = await seed.node(idx.db, { name: "Node3", group_id: g3.id });
      await seed.copy(idx.db, { file_id: copies[0]!.file_id, node_id: n2.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: copies[1]!.file_id, node_id: n2.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: copies[1]!.file_id, node_id: n3.id, has_file: "Y" });
      await seed.copy(idx.db, { file_id: copies[2]!.file_id, node_id: n3.id, has_file: "Y" });
      const cli = cliFor(idx);
      expect(await cli(["node", "clean", "Node1", "--target", "Group2", "--target", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: no such group: nope\n" });
      const r = await cli(["node", "clean", "Node1", "--target", "Group2", "--target", "Group3", "--force"]);
      expect(r.out).toBe("Marking 1 file (1.000 GiB) for deferred cleaning.\nUpdated 1 file.\n");
      expect((await idx.db.all<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy WHERE node_id = ? ORDER BY id", [copies[0]!.node_id])).map((x) => x.wants_file)).toEqual(["Y", "M", "Y"]);
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'N' WHERE node_id = ?", [n3.id]);
      const empty = await cli(["node", "clean", "Node1", "--target", "Group2", "--target", "Group3", "--force"]);
      expect(empty).toEqual({ code: 0, out: "Nothing to do: no matching files in target.\n", err: "" });
    });

    test("test_bad_acq / test_acq / test_empty_acq", async () => {
      await using idx = await initialisedIndex(backend);
      const { n1 } = await fixture(idx, [["Y", "Y"]]);
      for (const name of ["Acq2", "Acq3"]) {
        const acq = await seed.acq(idx.db, { name });
        const f = await seed.file(idx.db, { name: "F", acq_id: acq.id, size_b: 1 });
        await seed.copy(idx.db, { file_id: f.id, node_id: n1.id, has_file: "Y" });
      }
      await seed.acq(idx.db, { name: "Empty" });
      const cli = cliFor(idx);
      expect(await cli(["node", "clean", "Node1", "--acq", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: No such acquisition: nope\n" });
      expect((await cli(["node", "clean", "Node1", "--acq", "Empty", "--force"])).out).toBe("No files to clean.\n");
      expect(await wants(idx)).toBe("YYY");
      await cli(["node", "clean", "Node1", "--acq", "Acq1", "--acq", "Acq3", "--force"]);
      expect(await wants(idx)).toBe("MYM");
    });

    test("test_days: --days D selects files registered more than D days ago (upstream's sign bug fixed)", async () => {
      await using idx = await initialisedIndex(backend);
      const { copies } = await fixture(idx, [["Y", "Y"], ["Y", "Y"], ["Y", "Y"], ["Y", "Y"], ["Y", "Y"]]);
      const day = 86_400_000_000n;
      const now = BigInt(Date.now()) * 1000n;
      for (const [i, d] of [-5n, -4n, -2n, -1n, 5n].entries())
        await idx.db.run("UPDATE archivefile SET registered = ? WHERE id = ?", [formatUtcMicros(now + d * day), copies[i]!.file_id]);
      const r = await cliFor(idx)(["node", "clean", "Node1", "--days=3", "--force"]);
      expect(r.out).toBe("Marking 2 files (2.000 GiB) for deferred cleaning.\nUpdated 2 files.\n");
      expect(await wants(idx)).toBe("MMYYY");
    });

    test("test_size: stops once the running total reaches SIZE", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "Y"], ["Y", "Y"], ["Y", "Y"]], { sizes: [GiB, 2 * GiB, 3 * GiB, 4 * GiB] });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--size=5.", "--force"]);
      expect(r.out).toBe("Marking 3 files (6.000 GiB) for deferred cleaning.\nUpdated 3 files.\n");
      expect(await wants(idx)).toBe("MMMY");
    });

    test("test_size_part: already-released files count towards the size", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "N"], ["Y", "Y"], ["Y", "Y"], ["Y", "Y"]], { sizes: [GiB, 2 * GiB, 3 * GiB, 4 * GiB] });
      const r = await cliFor(idx)(["node", "clean", "Node1", "-s", "5"], "y\n");
      expect(r.out).toBe(
        "Would mark 2 files (5.000 GiB) for deferred cleaning.\n1 file (1.000 GiB) already contributing to size constraint.\n\nContinue? [y/N]: \n" +
          "Marking 2 files (5.000 GiB) for deferred cleaning.\n1 file (1.000 GiB) already contributing to size constraint.\nUpdated 2 files.\n",
      );
      expect(await wants(idx)).toBe("NMMY");
    });

    test("test_size_done: nothing more when the released files already reach SIZE", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "N"], ["Y", "N"], ["Y", "Y"]], { sizes: [GiB, 2 * GiB, 3 * GiB] });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--size=2.", "--force"]);
      expect(r).toEqual({ code: 0, out: "No files to clean (size constraint already satisfied).\n", err: "" });
      expect(await wants(idx)).toBe("NNY");
    });

    test("a --size below one byte behaves as no --size (clean.py: clean rounds it to 0 bytes)", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "Y"]]);
      const r = await cliFor(idx)(["node", "clean", "Node1", "--size=1e-10", "--force"]);
      expect(r.out).toBe("Marking 2 files (2.000 GiB) for deferred cleaning.\nUpdated 2 files.\n");
    });

    test("test_include_bad: released bad copies are never downgraded to marked", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "N"], ["M", "N"], ["X", "N"]]);
      const r = await cliFor(idx)(["node", "clean", "Node1", "--force", "--include-bad"]);
      expect(r).toEqual({ code: 0, out: "No files to clean.\n", err: "" });
      expect(await wants(idx)).toBe("NNN");
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'Y'");
      await cliFor(idx)(["node", "clean", "Node1", "--force", "--include-bad"]);
      expect(await wants(idx)).toBe("MMM");
    });

    test("test_file_list: blank lines, comments and root-prefixed paths", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "Y"], ["Y", "Y"]]);
      idx.dir.write({ "list.txt": "Acq1/File1\n\n# Acq1/File2\n/node1/Acq1/File3\n" });
      const r = await cliFor(idx)(["node", "clean", "Node1", "--force", "-F", "list.txt"]);
      expect(r.out).toBe("Marking 2 files (2.000 GiB) for deferred cleaning.\nUpdated 2 files.\n");
      expect(await wants(idx)).toBe("MYM");
    });

    test("-F - without --force forces check mode with a warning", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"], ["Y", "Y"]]);
      const r = await cliFor(idx)(["node", "clean", "Node1", "-F", "-"], "Acq1/File2\n");
      expect(r).toEqual({
        code: 0,
        out: "Would mark 1 file (1.000 GiB) for deferred cleaning.\n",
        err: "WARNING >> stdin has been redirected without --force.  Automatically enabling --check mode.\n",
      });
      expect(await wants(idx)).toBe("YY");
    });

    test("-q hides the messages but not the prompt", async () => {
      await using idx = await initialisedIndex(backend);
      await fixture(idx, [["Y", "Y"]]);
      const r = await cliFor(idx)(["-q", "node", "clean", "Node1"], "y\n");
      expect(r).toEqual({ code: 0, out: "Continue? [y/N]: ", err: "" });
      expect(await wants(idx)).toBe("M");
    });
  });
}
