// `alpenhorn file create` on both backends (alpenhorn/cli/file/create.py and
// tests/cli/file/test_create.py at 632dd41; a zero --size counts as not given,
// as in alpenhorn/cli/options.py: both_or_neither).

import { expect, test } from "bun:test";
import { chmodSync, mkdirSync } from "node:fs";
import { binaryPath, runBinary } from "../../helpers/binary.ts";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { handOver } from "../../helpers/unprivileged.ts";
import { utcNow } from "../../../src/common/time.ts";
import type { ArchiveFileRow } from "../../../src/index/rows.ts";
import { countRows, fileEnv } from "./_fixtures.ts";

const MD5 = "D41D8CD98F00B204E9800998ECF8427E";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const acq = await seed.acq(env.db, { name: "Acq" });
  const record = (name: string) => env.db.get<ArchiveFileRow>("SELECT * FROM archivefile WHERE name = ?", [name]);
  return { ...env, acq, dir: env.idx.dir, record };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file create [${backend}]`, () => {
    test("usage checks on --md5/--size/--from-file/--prefix", async () => {
      await using w = await world(backend);
      const usage = async (argv: string[], msg: string) => {
        const r = await w.run(["file", "create", "name", "Acq", ...argv]);
        expect(r.code).toBe(2);
        expect(r.err).toBe(`Usage: alpenhorn file create [OPTIONS] NAME ACQ\nTry 'alpenhorn file create -h' for help.\n\nError: ${msg}\n`);
      };
      await usage([], "missing either --from-file or both --md5 and --size");
      await usage([`--md5=${MD5}`], "--md5 and --size must be used together");
      await usage(["--size=3"], "--md5 and --size must be used together");
      // Truthiness: a zero size counts as not given (alpenhorn/cli/options.py: both_or_neither).
      await usage([`--md5=${MD5}`, "--size=0"], "--md5 and --size must be used together");
      await usage(["--from-file", `--md5=${MD5}`, "--size=3"], "cannot use both --from-file and --md5");
      await usage(["--from-file", `--md5=${MD5}`], "--md5 and --size must be used together");
      await usage(["--from-file", "--size=3"], "--md5 and --size must be used together");
      await usage(["--prefix=x", `--md5=${MD5}`, "--size=3"], "--prefix may only be used with --from_file");
      expect(await countRows(w.db, "archivefile")).toBe(0);
    });

    test("bad name, negative size, bad hashes", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "create", "name/../name", "Acq", `--md5=${MD5}`, "--size=3"])).toMatchObject({
        code: 1,
        err: 'Error: invalid name: invalid path element ".."\n',
      });
      expect(await w.run(["file", "create", "name", "Acq", `--md5=${MD5}`, "--size=-3"])).toMatchObject({ code: 1, err: "Error: negative file size.\n" });
      for (const bad of [MD5.slice(1), MD5.slice(1) + "G", MD5 + "0"])
        expect(await w.run(["file", "create", "name", "Acq", `--md5=${bad}`, "--size=3"])).toMatchObject({ code: 1, err: `Error: invalid hash: ${bad}.  Expected 32 hex digits.\n` });
      expect(await countRows(w.db, "archivefile")).toBe(0);
    });

    test("unknown acquisition; existing file", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "create", "name", "Nope", `--md5=${MD5}`, "--size=3"])).toMatchObject({ code: 1, err: "Error: No such acquisition: Nope\n" });
      await seed.file(w.db, { name: "name", acq_id: w.acq.id });
      expect(await w.run(["file", "create", "name", "Acq", `--md5=${MD5}`, "--size=3"])).toMatchObject({ code: 1, err: 'Error: the File "Acq/name" already exists\n' });
      expect(await countRows(w.db, "archivefile")).toBe(1);
    });

    test("a name that clashes only by case or trailing space on MySQL is an existing file", async () => {
      await using w = await world(backend);
      await seed.file(w.db, { name: "name", acq_id: w.acq.id });
      for (const other of ["NAME", "name "]) {
        const r = await w.run(["file", "create", other, "Acq", `--md5=${MD5}`, "--size=3"]);
        // SQLite compares names exactly, so there it is a new file; MySQL's unique index says no.
        if (backend === "sqlite") expect(r).toMatchObject({ code: 0, out: `Registered File Acq/${other}.\n` });
        else expect(r).toMatchObject({ code: 1, out: "", err: `Error: the File "Acq/${other}" already exists\n` });
      }
    });

    test("creates the record with the MD5 as given", async () => {
      await using w = await world(backend);
      const start = utcNow().slice(0, 19);
      expect(await w.run(["file", "create", "name", "Acq", `--md5=${MD5}`, "--size=3"])).toMatchObject({ code: 0, out: "Registered File Acq/name.\n" });
      const row = (await w.record("name"))!;
      expect(row).toMatchObject({ acq_id: w.acq.id, md5sum: MD5, size_b: 3 });
      expect(String(row.registered) >= start).toBe(true);
    });

    test("an MD5 that Python's int(x, 16) accepts is stored verbatim", async () => {
      await using w = await world(backend);
      const odd = "0x" + MD5.slice(2);
      expect((await w.run(["file", "create", "name", "Acq", `--md5=${odd}`, "--size=3"])).code).toBe(0);
      expect((await w.record("name"))!.md5sum).toBe(odd);
      // Python's int() also takes non-ASCII white space and decimal digits; the length is
      // counted in code points. A byte-order mark is not white space to it.
      const rest = MD5.slice(1);
      for (const [i, ok] of [["\u0085" + rest, true], ["\uff10" + rest, true], ["\u{1D7CE}" + rest, true], ["\u0660" + rest, true], ["\ufeff" + rest, false], ["\u00b2" + rest, false]] as const) {
        const r = await w.run(["file", "create", `n${ok}${i.codePointAt(0)}`, "Acq", `--md5=${i}`, "--size=3"]);
        if (ok) expect(r).toMatchObject({ code: 0 });
        else expect(r).toMatchObject({ code: 1, err: `Error: invalid hash: ${i}.  Expected 32 hex digits.\n` });
      }
    });

    test("--from-file: missing, not a regular file", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "create", "name", "Acq", "--from-file"])).toMatchObject({ code: 1, err: "Error: no such file: Acq/name\n" });
      mkdirSync(w.dir.join("Acq", "name"), { recursive: true });
      expect(await w.run(["file", "create", "name", "Acq", "--from-file"])).toMatchObject({ code: 1, err: "Error: Acq/name is not a regular file\n" });
      expect(await countRows(w.db, "archivefile")).toBe(0);
    });

    // Root reads a mode-000 file, so the compiled binary runs as nobody when the tests run as root.
    test("--from-file: unreadable file (binary run unprivileged)", async () => {
      await using w = await world(backend);
      w.dir.write({ "Acq/name": "contents" });
      chmodSync(w.dir.join("Acq", "name"), 0);
      handOver(w.dir.path);
      const args = ["--test-isolation", "-c", w.run.confPath, "file", "create", "name", "Acq", "--from-file"];
      const r = await runBinary(await binaryPath(), args, { cwd: w.dir.path, unprivileged: true });
      expect(r).toEqual({ code: 1, out: "", err: "Error: failed to hash Acq/name: [Errno 13] Permission denied: 'Acq/name'\n" });
      expect(await countRows(w.db, "archivefile")).toBe(0);
    });

    test("--from-file hashes ./ACQ/NAME", async () => {
      await using w = await world(backend);
      w.dir.write({ "Acq/name": "contents" });
      expect(await w.run(["file", "create", "name", "Acq", "--from-file"])).toMatchObject({ code: 0, out: "Registered File Acq/name.\n" });
      expect(await w.record("name")).toMatchObject({ md5sum: "98bf7d8c15784f0a3d63204441e1e2aa", size_b: 8 });
    });

    test("--from-file with a relative and an absolute --prefix", async () => {
      await using w = await world(backend);
      w.dir.write({ "prefix/Acq/rel": "contents", "abs/Acq/abs": "contents" });
      expect((await w.run(["file", "create", "rel", "Acq", "--from-file", "--prefix=prefix"])).code).toBe(0);
      expect(await w.record("rel")).toMatchObject({ md5sum: "98bf7d8c15784f0a3d63204441e1e2aa", size_b: 8 });
      expect((await w.run(["file", "create", "abs", "Acq", "--from-file", `--prefix=${w.dir.join("abs")}`])).code).toBe(0);
      expect(await w.record("abs")).toMatchObject({ size_b: 8 });
      expect(await w.run(["file", "create", "x", "Acq", "--from-file", "--prefix=prefix"])).toMatchObject({ code: 1, err: "Error: no such file: prefix/Acq/x\n" });
      // The path is shown as Python's pathlib prints it: `//` at the start is kept.
      expect(await w.run(["file", "create", "x", "Acq", "--from-file", "--prefix=//nonexistent/./p/"])).toMatchObject({
        code: 1,
        err: "Error: no such file: //nonexistent/p/Acq/x\n",
      });
    });
  });
}
