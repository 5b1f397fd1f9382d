// The archive rules of the CLI read `archive` on an index in upstream main's table layout:
// `node clean` refuses an archive node without --archive-ok, `file clean` says "is an archive
// node"; `node rename` and `group show` work unchanged there.

import { expect, test } from "bun:test";
import { backendSuites, mainLayoutIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

async function site(idx: TestIndex, archive: number) {
  const g = await seed.group(idx.db, { name: "G" });
  const n = await seed.mainNode(idx.db, { name: "N", group_id: g.id, archive });
  const acq = await seed.acq(idx.db, { name: "acq" });
  const f = await seed.file(idx.db, { name: "f", acq_id: acq.id, size_b: 10 });
  await seed.copy(idx.db, { file_id: f.id, node_id: Number(n.id), has_file: "Y", wants_file: "Y" });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`archive rules on upstream main's layout [${backend}]`, () => {
    test("node clean refuses an archive node, and cleans a non-archive one", async () => {
      await using idx = await mainLayoutIndex(backend);
      await site(idx, 1);
      const cli = cliFor(idx);
      expect(await cli(["node", "clean", "N", "--force"])).toEqual({ code: 1, out: "", err: 'Error: Cannot clean archive node "N".\n' });
      expect((await idx.db.get<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy"))!.wants_file).toBe("Y");
      const forced = await cli(["node", "clean", "N", "--force", "--archive-ok"]);
      expect(forced.out).toContain('DANGER: "N" is an archive node. Forcing clean.');
      await idx.db.run("UPDATE storagenode SET archive = 0");
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'Y'");
      const plain = await cli(["node", "clean", "N", "--force"]);
      expect(plain.code).toBe(0);
      expect(plain.out).not.toContain("archive node");
      expect((await idx.db.get<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy"))!.wants_file).toBe("M");
    });

    test("file clean on an archive node is refused by name", async () => {
      await using idx = await mainLayoutIndex(backend);
      await site(idx, 1);
      const r = await cliFor(idx)(["file", "clean", "acq/f", "--node=N"]);
      expect(r.out).toContain('Not done: Node "N" is an archive node.');
      expect((await idx.db.get<{ wants_file: string }>("SELECT wants_file FROM archivefilecopy"))!.wants_file).toBe("Y");
    });

    test("node rename keeps the node's host and role", async () => {
      await using idx = await mainLayoutIndex(backend);
      const h = await seed.host(idx.db, { name: "H" });
      const g = await seed.group(idx.db, { name: "G" });
      await seed.mainNode(idx.db, { name: "OLD", group_id: g.id, host_id: h.id, archive: 1 });
      expect(await cliFor(idx)(["node", "rename", "OLD", "NEW"])).toEqual({ code: 0, out: 'Storage node "OLD" renamed to "NEW".\n', err: "" });
      expect(await idx.db.get("SELECT name, host_id, archive FROM storagenode")).toEqual({ name: "NEW", host_id: h.id, archive: 1 });
    });
  });
}
