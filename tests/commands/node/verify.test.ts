// `alpenhorn node verify` on both backends (alpenhorn/cli/node/verify.py and
// tests/cli/node/test_verify.py at 632dd41) and the demo's `node verify --all --acq=2025/02/21
// demo_storage1` (doc/demo.rst).

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";

const HAS: HasFile[] = ["Y", "M", "X", "N"];
const WANTS: WantsFile[] = ["Y", "M", "N"];

/** Node1 (root /node1) with the gamut of 12 copies: Acq1/{has}{wants}, each of 1 kiB. */
async function gamut(idx: TestIndex) {
  const g = await seed.group(idx.db, { name: "Group1" });
  const node = await seed.node(idx.db, { name: "Node1", group_id: g.id, root: "/node1" });
  const acq = await seed.acq(idx.db, { name: "Acq1" });
  for (const has of HAS)
    for (const wants of WANTS) {
      const f = await seed.file(idx.db, { name: `${has}${wants}`, acq_id: acq.id, size_b: 1024 });
      await seed.copy(idx.db, { file_id: f.id, node_id: node.id, has_file: has, wants_file: wants, last_update: "2020-01-01 00:00:00" });
    }
  return { g, node, acq };
}

/** Names of files whose has_file changed from the gamut, with the new value: `XY→M`. */
async function changed(idx: TestIndex): Promise<string[]> {
  const rows = await idx.db.all<{ name: string; has_file: string }>("SELECT f.name, c.has_file FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id ORDER BY c.id");
  return rows.filter((r) => r.name.length === 2 && r.name[0] !== r.has_file).map((r) => `${r.name}→${r.has_file}`);
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node verify [${backend}]`, () => {
    test("demo: node verify --all --acq=2025/02/21 demo_storage1", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "demo_storage1" });
      const node = await seed.node(idx.db, { name: "demo_storage1", group_id: g.id });
      const acq = await seed.acq(idx.db, { name: "2025/02/21" });
      for (const [name, size] of [["meta.txt", 52], ["23/1324.dat", 12], ["23/1330.dat", 12], ["23/1349.dat", 14], ["23/1342.dat", 12]] as const) {
        const f = await seed.file(idx.db, { name, acq_id: acq.id, size_b: size });
        await seed.copy(idx.db, { file_id: f.id, node_id: node.id, has_file: "Y" });
      }
      const r = await cliFor(idx)(["node", "verify", "--all", "--acq=2025/02/21", "demo_storage1"], "y\n");
      expect(r).toEqual({
        code: 0,
        err: "",
        out: "Would request verification of 5 files (102 B).\n\nContinue? [y/N]: \nRequesting verification of 5 files (102 B).\nUpdated 5 files.\n",
      });
      const rows = await idx.db.all<{ has_file: string }>("SELECT has_file FROM archivefilecopy");
      expect(rows.map((x) => x.has_file)).toEqual(["M", "M", "M", "M", "M"]);
    });

    test("test_no_node / test_check_force / test_cancel_multistatus", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      const cli = cliFor(idx);
      expect(await cli(["node", "verify", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: no such node: nope\n" });
      const usage = (msg: string) => `Usage: alpenhorn node verify [OPTIONS] NODE\nTry 'alpenhorn node verify -h' for help.\n\nError: ${msg}\n`;
      expect(await cli(["node", "verify", "Node1", "--check", "--force"])).toEqual({ code: 2, out: "", err: usage("cannot use both --check and --force") });
      for (const [a, b] of [["corrupt", "healthy"], ["corrupt", "missing"], ["healthy", "missing"]])
        expect(await cli(["node", "verify", "Node1", "--cancel", `--${b}`, `--${a}`])).toEqual({ code: 2, out: "", err: usage(`cannot use both --${a} and --${b}`) });
      expect(await changed(idx)).toEqual([]);
    });

    test("test_run: by default corrupt and missing copies are re-verified", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      const r = await cliFor(idx)(["node", "verify", "Node1"], "y\n");
      expect(r.out).toBe(
        "Would request verification of 3 files (3.000 kiB).\n\nContinue? [y/N]: \nRequesting verification of 3 files (3.000 kiB).\nUpdated 3 files.\n",
      );
      expect(await changed(idx)).toEqual(["XY→M", "XM→M", "NY→M"]);
      const lu = await idx.db.all<{ last_update: string }>("SELECT last_update FROM archivefilecopy");
      expect(lu.every((x) => x.last_update.startsWith("2020-01-01 00:00:00"))).toBe(true);
    });

    const selections: Array<[string, string[], string[]]> = [
      ["test_verify_corrupt", ["--corrupt"], ["XY→M", "XM→M"]],
      ["test_verify_missing", ["--missing"], ["NY→M"]],
      ["test_verify_healthy", ["--healthy"], ["YY→M", "YM→M"]],
      ["test_corrupt_missing", ["--corrupt", "--missing"], ["XY→M", "XM→M", "NY→M"]],
      ["test_corrupt_healtyh", ["--corrupt", "--healthy"], ["YY→M", "YM→M", "XY→M", "XM→M"]],
      ["test_healthy_missing", ["--healthy", "--missing"], ["YY→M", "YM→M", "NY→M"]],
      ["test_hmc", ["--healthy", "--missing", "--corrupt"], ["YY→M", "YM→M", "XY→M", "XM→M", "NY→M"]],
      ["test_all", ["-a"], ["YY→M", "YM→M", "XY→M", "XM→M", "NY→M"]],
      ["test_cancel", ["--cancel"], ["MY→X", "MM→X"]],
      ["test_cancel_corrupt", ["--cancel", "--corrupt"], ["MY→X", "MM→X"]],
      ["test_cancel_missing (--healthy)", ["--cancel", "--healthy"], ["MY→Y", "MM→Y"]],
      ["--cancel --missing", ["--cancel", "--missing"], ["MY→N", "MM→N"]],
      ["test_cancel_all", ["--cancel", "--all"], ["MY→X", "MM→X"]],
    ];
    for (const [name, flags, expected] of selections)
      test(`${name}: ${flags.join(" ")}`, async () => {
        await using idx = await initialisedIndex(backend);
        await gamut(idx);
        const r = await cliFor(idx)(["node", "verify", "Node1", "--force", ...flags]);
        expect(r.code).toBe(0);
        expect(r.out).toEndWith(`Updated ${expected.length} ${expected.length === 1 ? "file" : "files"}.\n`);
        expect(await changed(idx)).toEqual(expected);
      });

    test("cancel wording: Would force status … to healthy", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      const r = await cliFor(idx)(["node", "verify", "Node1", "--cancel", "--healthy", "--check"]);
      expect(r).toEqual({ code: 0, err: "", out: "Would force status of 2 files (2.000 kiB) to healthy.\n" });
      const f = await cliFor(idx)(["node", "verify", "Node1", "--cancel", "--force"]);
      expect(f.out).toBe("Forcing status of 2 files (2.000 kiB) to corrupt.\nUpdated 2 files.\n");
      expect((await cliFor(idx)(["node", "verify", "Node1", "--cancel", "--force"])).out).toBe("No matching files found.\n");
    });

    test("sizes: NULL sizes are skipped; unknown only when all are NULL", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      await idx.db.run("UPDATE archivefile SET size_b = NULL WHERE name = 'XY'");
      expect((await cliFor(idx)(["node", "verify", "Node1", "--check", "--corrupt"])).out).toBe("Would request verification of 2 files (1.000 kiB).\n");
      await idx.db.run("UPDATE archivefile SET size_b = NULL WHERE name = 'XM'");
      expect((await cliFor(idx)(["node", "verify", "Node1", "--check", "--corrupt"])).out).toBe("Would request verification of 2 files (unknown size).\n");
    });

    test("test_verify_bad_acq / test_verify_acq", async () => {
      await using idx = await initialisedIndex(backend);
      const { node } = await gamut(idx);
      for (const name of ["Acq2", "Acq3"]) {
        const acq = await seed.acq(idx.db, { name });
        const f = await seed.file(idx.db, { name: "F", acq_id: acq.id, size_b: 1 });
        await seed.copy(idx.db, { file_id: f.id, node_id: node.id, has_file: "X" });
      }
      const cli = cliFor(idx);
      expect(await cli(["node", "verify", "Node1", "--acq", "nope", "--force"])).toEqual({ code: 1, out: "", err: "Error: No such acquisition: nope\n" });
      const r = await cli(["node", "verify", "Node1", "--acq", "Acq2", "--acq", "Acq3", "--force"]);
      expect(r.out).toBe("Requesting verification of 2 files (2 B).\nUpdated 2 files.\n");
      expect(await changed(idx)).toEqual([]);
    });

    test("test_file_list: only listed files, relative and root-prefixed", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      idx.dir.write({ "list.txt": "Acq1/XY\n/node1/Acq1/NY\nAcq1/YY\n" });
      const r = await cliFor(idx)(["node", "verify", "Node1", "--force", "-F", "list.txt"]);
      expect(r.out).toBe("Requesting verification of 2 files (2.000 kiB).\nUpdated 2 files.\n");
      expect(await changed(idx)).toEqual(["XY→M", "NY→M"]);
    });

    test("file list: a `//root/…` line is not under the root `/root` (PurePosixPath anchors)", async () => {
      await using idx = await initialisedIndex(backend);
      await gamut(idx);
      idx.dir.write({ "list.txt": "Acq1/XY\n//node1/Acq1/NY\n" });
      const r = await cliFor(idx)(["node", "verify", "Node1", "--force", "-F", "list.txt"]);
      expect(r).toEqual({ code: 1, out: "", err: "Error: No such file on line 2 of list.txt: //node1/Acq1/NY\n" });
      expect(await changed(idx)).toEqual([]);
    });
  });
}
