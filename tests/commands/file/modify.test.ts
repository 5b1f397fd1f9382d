// `alpenhorn file modify` on both backends (alpenhorn/cli/file/modify.py and
// tests/cli/file/test_modify.py at 632dd41; --md5 without --size as README
// "Differences from alpenhorn" says).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileRow, HasFile, WantsFile } from "../../../src/index/rows.ts";
import { copyState, fileEnv } from "./_fixtures.ts";

const MD5 = "d41d8cd98f00b204e9800998ecf8427e";
const NEW = "0123456789ABCDEF0123456789abcdef";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const g = await seed.group(env.db, { name: "Group" });
  const acq = await seed.acq(env.db, { name: "Acq" });
  const file = await seed.file(env.db, { name: "File", acq_id: acq.id, md5sum: MD5, size_b: 1234 });
  const combos: Array<[HasFile, WantsFile]> = [["Y", "Y"], ["X", "Y"], ["M", "Y"], ["N", "Y"], ["Y", "M"], ["X", "N"]];
  const nodes: number[] = [];
  for (const [has, wants] of combos) {
    const n = await seed.node(env.db, { name: `Node${has}${wants}`, group_id: g.id });
    await seed.copy(env.db, { file_id: file.id, node_id: n.id, has_file: has, wants_file: wants });
    nodes.push(n.id);
  }
  const states = async () => Promise.all(nodes.map((n) => copyState(env.db, file.id, n)));
  const record = async () => (await env.db.get<ArchiveFileRow>("SELECT * FROM archivefile WHERE id = ?", [file.id]))!;
  return { ...env, states, record };
}

const UNCHANGED = ["YY", "XY", "MY", "NY", "YM", "XN"];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file modify [${backend}]`, () => {
    test("needs --md5 or --size", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "modify", "Acq/File"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: at least of --md5 or --size must be used.\n");
    });

    test("negative size and bad hashes are errors", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "modify", "Acq/File", "--size=-1"])).toMatchObject({ code: 1, err: "Error: negative file size.\n" });
      for (const bad of ["", MD5.slice(1), MD5.slice(1) + "g", MD5 + "0"])
        expect(await w.run(["file", "modify", "Acq/File", `--md5=${bad}`])).toMatchObject({ code: 1, err: `Error: invalid hash: ${bad}.  Expected 32 hex digits.\n` });
      expect(await w.states()).toEqual(UNCHANGED);
    });

    test("unknown file", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "modify", "Acq/Nope", "--size=1"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
    });

    test("updates the record and re-verifies present, unreleased copies", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "modify", "Acq/File", `--md5=${NEW}`, "--size=4321"]);
      expect(r).toMatchObject({ code: 0, out: "File updated.  4 copies will be re-verified.\n" });
      expect(await w.record()).toMatchObject({ md5sum: NEW, size_b: 4321 });
      expect(await w.states()).toEqual(["MY", "MY", "MY", "NY", "MM", "XN"]);
    });

    test("one copy to re-verify uses the singular; none gives its own message", async () => {
      await using w = await world(backend);
      await w.db.run("UPDATE archivefilecopy SET has_file = 'N' WHERE has_file <> 'Y' OR wants_file <> 'Y'");
      expect((await w.run(["file", "modify", "Acq/File", "--size=1"])).out).toBe("File updated.  1 copy will be re-verified.\n");
      await w.db.run("UPDATE archivefilecopy SET has_file = 'N'");
      expect((await w.run(["file", "modify", "Acq/File", "--size=2"])).out).toBe("File updated.  No additional copies need re-verification.\n");
    });

    test("the same values change nothing", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "modify", "Acq/File", `--md5=${MD5}`, "--size=1234"])).toMatchObject({ code: 0, out: "No change.\n" });
      expect(await w.states()).toEqual(UNCHANGED);
    });

    test("--no-reverify updates the record only", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "modify", "Acq/File", "--size=99", "--no-reverify"]);
      expect(r).toMatchObject({ code: 0, out: "File updated.  Re-verification skipped.\n" });
      expect((await w.record()).size_b).toBe(99);
      expect(await w.states()).toEqual(UNCHANGED);
    });

    test("--md5 alone keeps the size (alpenhorn's file/modify.py: modify cleared it; fixed); the hash's case is kept", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "modify", "Acq/File", `--md5=${NEW}`, "--no-reverify"])).out).toBe("File updated.  Re-verification skipped.\n");
      expect(await w.record()).toMatchObject({ md5sum: NEW, size_b: 1234 });
      // A case-only difference is a change.
      expect((await w.run(["file", "modify", "Acq/File", `--md5=${NEW.toLowerCase()}`, "--no-reverify"])).out).toBe("File updated.  Re-verification skipped.\n");
      expect((await w.record()).md5sum).toBe(NEW.toLowerCase());
    });

    test("--size alone keeps the hash", async () => {
      await using w = await world(backend);
      await w.run(["file", "modify", "Acq/File", "--size=0", "--no-reverify"]);
      expect(await w.record()).toMatchObject({ md5sum: MD5, size_b: 0 });
    });
  });
}
