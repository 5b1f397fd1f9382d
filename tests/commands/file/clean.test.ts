// `alpenhorn file clean` on both backends (alpenhorn/cli/file/clean.py and
// tests/cli/file/test_clean.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { copyState, fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const g = await seed.group(env.db, { name: "Group" });
  const node = await seed.node(env.db, { name: "Node", group_id: g.id, storage_type: "F" });
  const other = await seed.node(env.db, { name: "Other", group_id: g.id, storage_type: "F" });
  const arch = await seed.node(env.db, { name: "Arch", group_id: g.id, storage_type: "A" });
  const acq = await seed.acq(env.db, { name: "Acq" });
  const file = await seed.file(env.db, { name: "File", acq_id: acq.id });
  return { ...env, node, other, arch, file };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file clean [${backend}]`, () => {
    test("needs --cancel or --node", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "clean", "Acq/File"]);
      expect(r.code).toBe(2);
      expect(r.err).toBe("Usage: alpenhorn file clean [OPTIONS] FILE\nTry 'alpenhorn file clean -h' for help.\n\nError: missing --cancel or --node\n");
    });

    test("refuses --cancel with --now", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "clean", "Acq/File", "--cancel", "--now"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: cannot use both --cancel and --now\n");
    });

    test("unknown file and unknown node are errors", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "clean", "Acq/Missing", "--node=Node"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Missing\n" });
      expect(await w.run(["file", "clean", "Acq/File", "--node=Nope"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
    });

    test("marks the copy on the given node only for discretionary cleaning", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "Y" });
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.other.id, has_file: "Y", wants_file: "Y" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Node"]);
      expect(r).toMatchObject({ code: 0, out: 'Marked "Acq/File" for discretionary cleaning on Node "Node".\n' });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBe("YM");
      expect(await copyState(w.db, w.file.id, w.other.id)).toBe("YY");
    });

    test("re-marking an already marked copy keeps it marked (matched-row count)", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "M" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Node"]);
      expect(r).toMatchObject({ code: 0, out: 'Marked "Acq/File" for discretionary cleaning on Node "Node".\n' });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBe("YM");
    });

    test("--now releases the copy (demo)", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "Y" });
      const r = await w.run(["file", "clean", "--now", "--node=Node", "Acq/File"]);
      expect(r).toMatchObject({ code: 0, out: 'Released "Acq/File" for immediate removal on Node "Node".\n' });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBe("YN");
    });

    test("refuses an archive node without --archive-ok", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.arch.id, has_file: "Y", wants_file: "Y" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Arch"]);
      expect(r).toMatchObject({ code: 0, out: 'Not done: Node "Arch" is an archive node.\n' });
      expect(await copyState(w.db, w.file.id, w.arch.id)).toBe("YY");
    });

    test("--archive-ok forces cleaning on an archive node", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.arch.id, has_file: "Y", wants_file: "Y" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Arch", "--archive-ok"]);
      expect(r).toMatchObject({
        code: 0,
        out: 'Node "Arch" is an archive node: forcing clean.\nMarked "Acq/File" for discretionary cleaning on Node "Arch".\n',
      });
      expect(await copyState(w.db, w.file.id, w.arch.id)).toBe("YM");
    });

    test("--cancel --node resets wants_file to Y on that node", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "N" });
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.other.id, has_file: "Y", wants_file: "M" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Node", "--cancel"]);
      expect(r).toMatchObject({ code: 0, out: 'Cancelled cleaning for "Acq/File" on Node "Node".\n' });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBe("YY");
      expect(await copyState(w.db, w.file.id, w.other.id)).toBe("YM");
    });

    test("--cancel alone resets every copy, even a removed one (N/N becomes N/Y)", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "M" });
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.other.id, has_file: "N", wants_file: "N" });
      const r = await w.run(["file", "clean", "Acq/File", "-x"]);
      expect(r).toMatchObject({ code: 0, out: 'Cancelled 2 cleaning requests for "Acq/File".\n' });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBe("YY");
      expect(await copyState(w.db, w.file.id, w.other.id)).toBe("NY");
    });

    test("--cancel alone with one copy uses the singular", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.node.id, has_file: "Y", wants_file: "N" });
      const r = await w.run(["file", "clean", "Acq/File", "--cancel"]);
      expect(r.out).toBe('Cancelled 1 cleaning request for "Acq/File".\n');
    });

    test("a node without a copy: No change, other copies untouched", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.other.id, has_file: "Y", wants_file: "Y" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Node"]);
      expect(r).toMatchObject({ code: 0, out: "No change.\n" });
      expect(await copyState(w.db, w.file.id, w.node.id)).toBeUndefined();
      expect(await copyState(w.db, w.file.id, w.other.id)).toBe("YY");
    });

    test("cancelling on a node without a copy leaves the other node's release alone", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.other.id, has_file: "Y", wants_file: "N" });
      const r = await w.run(["file", "clean", "Acq/File", "--node=Node", "--cancel"]);
      expect(r).toMatchObject({ code: 0, out: "No change.\n" });
      expect(await copyState(w.db, w.file.id, w.other.id)).toBe("YN");
    });
  });
}
