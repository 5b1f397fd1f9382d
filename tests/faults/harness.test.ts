// The fault matrix's own checks must be able to fail: each invariant is shown a world where it
// is broken (a leftover of each kind, a changed sentinel, a wrong and a missing `Y` copy, a
// cancelled request) and must report it; and a trial's seed must reproduce its plan.

import { expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seed } from "../helpers/seed.ts";
import { checkInvariants, healthyFiles, watch } from "./trial/invariants.ts";
import { Rng, trialSeed } from "./trial/plan.ts";
import { makeFiles, relOf, World } from "./trial/world.ts";

test("every invariant reports what breaks it", async () => {
  await using world = await World.create("sqlite", new Rng(1));
  const n1 = await world.node("demo_storage1", { archive: true });
  const files = makeFiles(new Rng(2), 4, 10, 100);
  world.put(n1, files);
  await world.register(n1, files);
  const healthyBefore = await healthyFiles(world, [n1]);
  expect([...healthyBefore].sort()).toEqual(files.map(relOf).sort());
  const watched = [watch("sentinel", world.sentinel)];
  expect(await checkInvariants(world, [n1], watched, healthyBefore)).toEqual({ dropped: [], wrongY: [], touched: [], leftovers: [], lost: [] });

  const [changed, gone] = files as [(typeof files)[0], (typeof files)[0]];
  const bad = Buffer.from(changed.bytes);
  bad[0] = bad[0]! ^ 1;
  writeFileSync(join(n1.root, relOf(changed)), bad);
  rmSync(join(n1.root, relOf(gone)));
  const dir = join(n1.root, changed.acq);
  for (const name of [".x.dat.placeholder", ".alpentemp.0a1b2c.77", ".x.dat.Ab12Cd"]) writeFileSync(join(dir, name), "");
  writeFileSync(join(world.sentinel, "s0", "intruder"), "");
  const fileId = (await world.idx.db.get<{ id: number }>("SELECT id FROM archivefile WHERE name = ?", [changed.name]))!.id;
  await seed.copyRequest(world.idx.db, { file_id: fileId, node_from_id: n1.id, group_to_id: n1.groupId, cancelled: 1 });

  const f = await checkInvariants(world, [n1], watched, healthyBefore);
  expect(f.dropped).toHaveLength(1);
  expect(f.wrongY.map((w) => w.split(" on node")[0]).sort()).toEqual([relOf(changed), relOf(gone)].sort());
  expect(f.touched).toHaveLength(1);
  expect(f.touched[0]).toStartWith("sentinel: s0/intruder: (new) file 0 ");
  expect(f.leftovers.map((l) => l.split("/").pop()).sort()).toEqual([".alpentemp.0a1b2c.77", ".x.dat.Ab12Cd", ".x.dat.placeholder"]);
  expect(f.lost.sort()).toEqual([relOf(changed), relOf(gone)].sort());
}, 60_000);

test("a trial's seed reproduces its plan; other trials differ", () => {
  expect(trialSeed(7, "import", "sqlite", 0)).toBe(trialSeed(7, "import", "sqlite", 0));
  expect(new Set([trialSeed(7, "import", "sqlite", 0), trialSeed(7, "import", "mysql", 0), trialSeed(7, "import", "sqlite", 1), trialSeed(8, "import", "sqlite", 0)]).size).toBe(4);
  const a = new Rng(42);
  const b = new Rng(42);
  expect([a.int(0, 1000), a.bytes(9).toString("hex"), a.pick(["x", "y", "z"])]).toEqual([b.int(0, 1000), b.bytes(9).toString("hex"), b.pick(["x", "y", "z"])]);
});
