// The up/down directory-tree lock (alpenhorn/io/default/updownlock.py at 632dd41; tests/io/
// default/test_updownlock.py): many holders in one state, never both states at once, served in
// arrival order; and a deletion's removal of empty directories waits for a pull that is
// creating its destination directory.

import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { DefaultNodeIO } from "../../src/engine/io/default/node.ts";
import { nodeInfo } from "../../src/engine/io/node-info.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import { UpDownLock } from "../../src/engine/scheduler/tree-lock.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { tempDir } from "../helpers/tmp.ts";
import { bareContext } from "./_ctx.ts";

const tick = () => Bun.sleep(5);

test("holders share a state; the other state waits until they are all gone", async () => {
  const lock = new UpDownLock();
  const events: string[] = [];
  let releaseUp!: () => void;
  const upHeld = new Promise<void>((r) => (releaseUp = r));
  const up1 = lock.hold("up", async () => {
    events.push("up1 in");
    await upHeld;
    events.push("up1 out");
  });
  const up2 = lock.hold("up", async () => void events.push("up2 in"));
  await tick();
  expect(lock.status).toEqual({ state: "up", holders: 1, waiting: 0 });
  const down = lock.hold("down", async () => void events.push("down in"));
  // Arrival order: an "up" asked for after the waiting "down" waits behind it.
  const up3 = lock.hold("up", async () => void events.push("up3 in"));
  await tick();
  expect(events).toEqual(["up1 in", "up2 in"]);
  expect(lock.status).toMatchObject({ state: "up", waiting: 2 });
  releaseUp();
  await Promise.all([up1, up2, down, up3]);
  expect(events).toEqual(["up1 in", "up2 in", "up1 out", "down in", "up3 in"]);
  expect(lock.status).toEqual({ state: null, holders: 0, waiting: 0 });
});

test("a holder that throws releases the lock", async () => {
  const lock = new UpDownLock();
  await expect(lock.hold("down", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
  expect(lock.status).toEqual({ state: null, holders: 0, waiting: 0 });
});

test("a deletion's directory pruning waits for a pull creating the same directory", async () => {
  using dir = tempDir("node");
  const root = dir.write({ "acq/day/old.dat": "old" });
  const ctx = bareContext();
  const row = { id: 1, name: "n1", root, group_id: 1, storage_type: "F", avail_gb: null, max_total_gb: null } as unknown as StorageNodeRow;
  const io = new DefaultNodeIO({ node: nodeInfo(row), config: {}, services: ioServices(ctx, "Node:n1:1") });
  let removal: ReturnType<DefaultNodeIO["remove"]> | undefined;
  // A pull holds the lock "up" while it makes its destination directory and writes into it.
  await ctx.treeLock.hold("up", async () => {
    mkdirSync(dir.join("acq/day"), { recursive: true });
    removal = io.remove(["acq/day/old.dat"]);
    // The old file goes at once; without the lock the emptied directory would follow it now.
    await Bun.sleep(100);
    writeFileSync(dir.join("acq/day/new.dat"), "pulled");
  });
  const { files, dirs } = await removal!;
  expect(files).toEqual(["removed"]);
  expect(dirs).toEqual([]);
  expect(existsSync(dir.join("acq/day/old.dat"))).toBe(false);
  expect(readFileSync(dir.join("acq/day/new.dat"), "utf8")).toBe("pulled");
});
