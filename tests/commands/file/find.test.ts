// `alpenhorn file find` on both backends (alpenhorn/cli/file/find.py and
// tests/cli/file/test_find.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";
import { fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const db = env.db;
  const g1 = await seed.group(db, { name: "Group1" });
  const g2 = await seed.group(db, { name: "Group2" });
  const g3 = await seed.group(db, { name: "Group3" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id });
  const n2 = await seed.node(db, { name: "Node2", group_id: g2.id });
  const n3 = await seed.node(db, { name: "Node3", group_id: g3.id });
  const acq1 = await seed.acq(db, { name: "acq1" });
  const acq2 = await seed.acq(db, { name: "acq2" });
  const f1 = await seed.file(db, { name: "file1", acq_id: acq1.id });
  const f2 = await seed.file(db, { name: "file2", acq_id: acq1.id });
  const f3 = await seed.file(db, { name: "file3", acq_id: acq2.id });
  const f4 = await seed.file(db, { name: "file4", acq_id: acq2.id });
  const copy = (f: number, n: number, has: HasFile, wants: WantsFile) => seed.copy(db, { file_id: f, node_id: n, has_file: has, wants_file: wants });
  await copy(f1.id, n1.id, "Y", "Y");
  await copy(f2.id, n1.id, "N", "Y");
  await copy(f3.id, n1.id, "Y", "M");
  await copy(f3.id, n2.id, "Y", "Y");
  await copy(f1.id, n3.id, "Y", "Y");
  await copy(f4.id, n3.id, "Y", "N");
  return { ...env, n1, n2, n3, f1, f2, f3, f4 };
}

const body = (out: string) => out.split("\n").slice(2).filter(Boolean);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file find [${backend}]`, () => {
    test("unknown acq, node, group", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "find", "--acq=nope"])).toMatchObject({ code: 1, err: "Error: No such acquisition: nope\n" });
      expect(await w.run(["file", "find", "--node=nope"])).toMatchObject({ code: 1, err: "Error: no such node: nope\n" });
      expect(await w.run(["file", "find", "--group=nope"])).toMatchObject({ code: 1, err: "Error: no such group: nope\n" });
    });

    test("lists healthy copies everywhere, sorted by path then node", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "find"]);
      expect(r).toMatchObject({
        code: 0,
        out: [
          "File        Node    State",
          "----------  ------  ---------",
          "acq1/file1  Node1   Healthy",
          "acq1/file1  Node3   Healthy",
          "acq2/file3  Node1   Removable",
          "acq2/file3  Node2   Healthy",
          "",
        ].join("\n"),
      });
    });

    test("--acq restricts", async () => {
      await using w = await world(backend);
      expect(body((await w.run(["file", "find", "--acq=acq1"])).out)).toHaveLength(2);
      expect(body((await w.run(["file", "find", "--acq=acq2", "--acq=acq1"])).out)).toHaveLength(4);
    });

    test("--node, --group and both (OR-ed)", async () => {
      await using w = await world(backend);
      const nodes = (await w.run(["file", "find", "--node=Node1", "--node=Node2"])).out;
      expect(body(nodes)).toHaveLength(3);
      expect(hasRow(nodes, "acq2/file3", "Node2", "Healthy")).toBe(true);
      expect(body((await w.run(["file", "find", "--group=Group2", "--group=Group3"])).out)).toHaveLength(2);
      const both = (await w.run(["file", "find", "--group=Group2", "--node=Node3"])).out;
      expect(body(both)).toEqual(["acq1/file1  Node3   Healthy", "acq2/file3  Node2   Healthy"]);
    });

    test("nothing found", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "find", "--corrupt"])).toMatchObject({ code: 0, out: "No match.\n" });
    });

    test("state flags over the whole has/wants gamut, OR-ed", async () => {
      await using env = await fileEnv(backend);
      const g = await seed.group(env.db, { name: "G" });
      const acq = await seed.acq(env.db, { name: "A" });
      const f = await seed.file(env.db, { name: "F", acq_id: acq.id });
      const combos = ["YY", "YM", "YN", "MY", "MM", "MN", "XY", "XM", "XN", "NY", "NM", "NN"] as const;
      for (const c of combos) {
        const n = await seed.node(env.db, { name: `N${c}`, group_id: g.id });
        await seed.copy(env.db, { file_id: f.id, node_id: n.id, has_file: c[0] as HasFile, wants_file: c[1] as WantsFile });
      }
      const sets: Record<string, string[]> = { corrupt: ["NXM", "NXY"], healthy: ["NYM", "NYY"], missing: ["NNY"], suspect: ["NMM", "NMY"] };
      const flags = Object.keys(sets);
      for (let mask = 0; mask < 16; mask++) {
        const on = flags.filter((_, i) => mask & (1 << i));
        const want = (on.length ? on : ["healthy"]).flatMap((k) => sets[k]!).sort();
        const r = await env.run(["file", "find", ...on.map((k) => `--${k}`)]);
        const got = body(r.out).map((l) => l.split(/\s+/)[1]!).sort();
        expect(got).toEqual(want);
      }
    });
  });
}
