// `alpenhorn file verify` on both backends (alpenhorn/cli/file/verify.py and
// tests/cli/file/test_verify.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";
import { copyState, fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const g = await seed.group(env.db, { name: "Group" });
  const node = await seed.node(env.db, { name: "Node", group_id: g.id });
  const acq = await seed.acq(env.db, { name: "Acq" });
  const file = await seed.file(env.db, { name: "File", acq_id: acq.id });
  const copy = (has: HasFile, wants: WantsFile) => seed.copy(env.db, { file_id: file.id, node_id: node.id, has_file: has, wants_file: wants });
  const state = () => copyState(env.db, file.id, node.id);
  return { ...env, copy, state };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file verify [${backend}]`, () => {
    test("unknown file or node", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "verify", "Acq/Nope", "Node"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
      expect(await w.run(["file", "verify", "Acq/File", "Nope"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
    });

    test("no copy, or a removed one, is an error", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "verify", "Acq/File", "Node"])).toMatchObject({ code: 1, err: "Error: File not present on node.\n" });
      await w.copy("N", "N");
      expect(await w.run(["file", "verify", "Acq/File", "Node"])).toMatchObject({ code: 1, err: "Error: File not present on node.\n" });
      expect(await w.state()).toBe("NN");
    });

    const cases: Array<[HasFile, string]> = [
      ["N", 'Requesting verification of missing file "Acq/File".\n'],
      ["X", 'Requesting verification of corrupt file "Acq/File".\n'],
      ["Y", 'Requesting verification of file "Acq/File".\n'],
    ];
    for (const [has, msg] of cases)
      test(`a ${has}/Y copy becomes M/Y`, async () => {
        await using w = await world(backend);
        await w.copy(has, "Y");
        expect(await w.run(["file", "verify", "Acq/File", "Node"])).toMatchObject({ code: 0, out: msg });
        expect(await w.state()).toBe("MY");
      });

    test("a suspect copy is already scheduled", async () => {
      await using w = await world(backend);
      await w.copy("M", "Y");
      expect(await w.run(["file", "verify", "Acq/File", "Node"])).toMatchObject({ code: 0, out: "File already scheduled for verification.\n" });
      expect(await w.state()).toBe("MY");
    });
  });
}
