// `alpenhorn file state` on both backends (alpenhorn/cli/file/state.py and
// tests/cli/file/test_state.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileCopyRow, HasFile, WantsFile } from "../../../src/index/rows.ts";
import { countRows, fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const g = await seed.group(env.db, { name: "Group" });
  const node = await seed.node(env.db, { name: "Node", group_id: g.id });
  const acq = await seed.acq(env.db, { name: "Acq" });
  const file = await seed.file(env.db, { name: "File", acq_id: acq.id });
  const copy = async (has: HasFile, wants: WantsFile, ready = 0) => seed.copy(env.db, { file_id: file.id, node_id: node.id, has_file: has, wants_file: wants, ready });
  const row = async () => env.db.get<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [file.id, node.id]);
  return { ...env, node, file, copy, row };
}

const GET: Array<[HasFile, WantsFile, string]> = [
  ["Y", "Y", "Healthy"],
  ["M", "Y", "Suspect"],
  ["X", "Y", "Corrupt"],
  ["N", "Y", "Missing"],
  ["Y", "M", "Healthy Removable"],
  ["M", "M", "Suspect Removable"],
  ["X", "M", "Corrupt Removable"],
  ["N", "M", "Absent"],
  ["Y", "N", "Healthy Released"],
  ["M", "N", "Suspect Released"],
  ["X", "N", "Corrupt Released"],
  ["N", "N", "Absent"],
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file state [${backend}]`, () => {
    test("unknown file or node (show mode and update mode)", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "state", "Acq/Nope", "Node"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
      expect(await w.run(["file", "state", "Acq/File", "Nope"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
      expect(await w.run(["file", "state", "Acq/Nope", "Node", "--ready"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
      expect(await w.run(["file", "state", "Acq/File", "Nope", "--ready"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
    });

    test("no copy row shows Absent", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "state", "Acq/File", "Node"])).toMatchObject({ code: 0, out: "Absent\n" });
    });

    test("shows all twelve has/wants combinations, with Ready when present", async () => {
      await using w = await world(backend);
      const c = await w.copy("Y", "Y");
      for (const [has, wants, word] of GET) {
        for (const ready of [0, 1]) {
          await w.db.run("UPDATE archivefilecopy SET has_file = ?, wants_file = ?, ready = ? WHERE id = ?", [has, wants, ready, c.id]);
          const want = ready && has !== "N" ? `${word} Ready` : word;
          expect(await w.run(["file", "state", "Acq/File", "Node"])).toMatchObject({ code: 0, out: `${want}\n` });
        }
      }
    });

    test("--ready with --unready and a bad --set are usage errors", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "state", "Acq/File", "Node", "--ready", "--unready"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: cannot use both --ready and --unready\n");
      const s = await w.run(["file", "state", "Acq/File", "Node", "--set=Other"]);
      expect(s.code).toBe(2);
      expect(s.err).toEndWith("Error: invalid state for --set: Other\n");
    });

    test("--set changes has_file (and wants_file where needed)", async () => {
      await using w = await world(backend);
      const cases: Array<[HasFile, WantsFile, string, string]> = [
        ["N", "N", "Healthy", "YY"],
        ["X", "M", "healthy", "YM"],
        ["N", "N", "Suspect", "MY"],
        ["X", "M", "SUSPECT", "MM"],
        ["N", "N", "Corrupt", "XY"],
        ["X", "M", "Corrupt", "XM"],
        ["Y", "M", "Missing", "NY"],
        ["Y", "Y", "Absent", "NN"],
      ];
      const c = await w.copy("N", "N");
      for (const [has, wants, set, after] of cases) {
        await w.db.run("UPDATE archivefilecopy SET has_file = ?, wants_file = ? WHERE id = ?", [has, wants, c.id]);
        expect(await w.run(["file", "state", "Acq/File", "Node", `--set=${set}`])).toMatchObject({ code: 0, out: "State updated.\n" });
        const row = (await w.row())!;
        expect(row.has_file + row.wants_file).toBe(after);
      }
    });

    test("--set=Absent creates nothing; --set=Suspect creates an M/Y row, not ready", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "state", "Acq/File", "Node", "--set=Absent"])).toMatchObject({ code: 0, out: "No change.\n" });
      expect(await countRows(w.db, "archivefilecopy")).toBe(0);
      expect(await w.run(["file", "state", "Acq/File", "Node", "--set=Suspect"])).toMatchObject({ code: 0, out: "State updated.\n" });
      const row = (await w.row())!;
      expect([row.has_file, row.wants_file, Number(row.ready), row.size_b]).toEqual(["M", "Y", 0, null]);
      expect(row.last_update).toBeTruthy();
    });

    test("--ready needs a present copy", async () => {
      await using w = await world(backend);
      const notPresent = "Error: can't set ready bit: file not present.\n";
      expect(await w.run(["file", "state", "Acq/File", "Node", "--ready", "--set=Missing"])).toMatchObject({ code: 1, err: notPresent });
      expect(await w.run(["file", "state", "Acq/File", "Node", "--ready"])).toMatchObject({ code: 1, err: notPresent });
      expect(await countRows(w.db, "archivefilecopy")).toBe(0);
      await w.copy("N", "N");
      expect(await w.run(["file", "state", "Acq/File", "Node", "--ready"])).toMatchObject({ code: 1, err: notPresent });
      expect(Number((await w.row())!.ready)).toBe(0);
      expect(await w.run(["file", "state", "Acq/File", "Node", "--ready", "--set=Healthy"])).toMatchObject({ code: 0, out: "State updated.\n" });
      const row = (await w.row())!;
      expect([row.has_file, row.wants_file, Number(row.ready)]).toEqual(["Y", "Y", 1]);
    });

    test("--ready on a healthy copy, then the demo's Corrupt Ready", async () => {
      await using w = await world(backend);
      await w.copy("Y", "Y");
      expect((await w.run(["file", "state", "Acq/File", "Node", "--ready"])).out).toBe("State updated.\n");
      expect((await w.run(["file", "state", "Acq/File", "Node", "--set=corrupt"])).out).toBe("State updated.\n");
      expect((await w.run(["file", "state", "Acq/File", "Node"])).out).toBe("Corrupt Ready\n");
    });

    test("--unready: no row → No change; clears the bit; with --set=Corrupt", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "state", "Acq/File", "Node", "--unready"])).toMatchObject({ code: 0, out: "No change.\n" });
      expect(await countRows(w.db, "archivefilecopy")).toBe(0);
      const c = await w.copy("N", "N", 1);
      expect((await w.run(["file", "state", "Acq/File", "Node", "--unready"])).out).toBe("State updated.\n");
      expect(Number((await w.row())!.ready)).toBe(0);
      await w.db.run("UPDATE archivefilecopy SET ready = 1 WHERE id = ?", [c.id]);
      expect((await w.run(["file", "state", "Acq/File", "Node", "--unready", "--set=Corrupt"])).out).toBe("State updated.\n");
      const row = (await w.row())!;
      expect([row.has_file, row.wants_file, Number(row.ready)]).toEqual(["X", "Y", 0]);
    });

    test("an update never touches last_update", async () => {
      await using w = await world(backend);
      const c = await w.copy("Y", "Y");
      await w.db.run("UPDATE archivefilecopy SET last_update = '2001-01-01 00:00:00' WHERE id = ?", [c.id]);
      await w.run(["file", "state", "Acq/File", "Node", "--set=Suspect"]);
      expect(String((await w.row())!.last_update)).toStartWith("2001-01-01 00:00:00");
    });
  });
}
