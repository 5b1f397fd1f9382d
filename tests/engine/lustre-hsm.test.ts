// LustreHSM node, remote and group I/O (alpenhorn's tests/io/test_lustrehsmnode.py and
// test_lustrehsmgroup.py at 632dd41 as the checklist), on a real index (both backends), real
// files and the stand-in lfs (tests/fixtures/lfs/lfs) run as a child process.

import { describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prettyBytes } from "../../src/common/format.ts";
import type { CheckOutcome, GroupMember, NodeIO, PullOffer } from "../../src/engine/extension-api.ts";
import { indexOps } from "../../src/engine/io/index-ops.ts";
import { LustreHSMGroupIO } from "../../src/engine/io/lustre/hsm-group.ts";
import { LustreHSMNodeIO } from "../../src/engine/io/lustre/hsm-node.ts";
import { lustreHSMNodeRemote } from "../../src/engine/io/lustre/hsm-remote.ts";
import { nodeInfo } from "../../src/engine/io/node-info.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { backendSuites, initialisedIndex, type Backend } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { md5 } from "./_integrity.ts";

/** A pull offer of `size` bytes (only the size matters to a LustreHSM group). */
const offer = (size: number): PullOffer => ({
  rel: "a/x",
  size,
  source: { id: 9, name: "src", root: "/src", host: "h", archive: true } as never,
  local: true,
  destinationOk: async () => true,
  fits: async () => true,
});
import { LFS, lustreContext, runReady, standin, type HsmStateName } from "./_lustre.ts";

const GIB = 2 ** 30;
const SIZES = [100000, 300000, 400000, 800000, 50000, 300000, 200000];
const LAST_UPDATES = [3, 1, 6, 7, 2, 4, 5];
const OLD = (n: number) => `2001-01-0${n} 00:00:00.000000`;

/** A LustreHSM node holding file1…file7 of `simpleacq` (present, ready copies; sizes as alpenhorn's test). */
async function fixture(backend: Backend, config: Record<string, unknown> = {}) {
  const idx = await initialisedIndex(backend);
  const s = standin();
  s.quota(0, 10 ** 9);
  const root = idx.dir.join("hsm");
  mkdirSync(join(root, "simpleacq"), { recursive: true });
  const group = await seed.group(idx.db, { name: "hsmgroup", io_class: "LustreHSM" });
  let row = await seed.node(idx.db, { name: "hsm", group_id: group.id, root, host: "testhost", active: 1, io_class: "LustreHSM", storage_type: "A" });
  const acq = await seed.acq(idx.db, { name: "simpleacq" });
  const copies: number[] = [];
  const fileIds: number[] = [];
  for (const [i, size] of SIZES.entries()) {
    const data = Buffer.alloc(size, i + 1);
    writeFileSync(join(root, "simpleacq", `file${i + 1}`), data);
    const file = await seed.file(idx.db, { name: `file${i + 1}`, acq_id: acq.id, size_b: size, md5sum: md5(data) });
    const copy = await seed.copy(idx.db, { file_id: file.id, node_id: row.id, has_file: "Y", wants_file: "Y", ready: 1, size_b: 10, last_update: OLD(LAST_UPDATES[i]!) });
    copies.push(copy.id);
    fileIds.push(file.id);
  }
  const ctx = lustreContext(idx.db);
  const io = new LustreHSMNodeIO({
    node: nodeInfo(row),
    config: { quota_id: "qid", quota_type: "group", headroom: 10250, release_check_count: 7, restore_wait: 1, lfs: LFS, ...config },
    services: ioServices(ctx, "Node:hsm:1"),
  });
  const path = (n: number) => join(root, "simpleacq", `file${n}`);
  const setState = (n: number, st: HsmStateName) => s.set(path(n), st);
  const copy = (n: number) =>
    idx.db.get<{ has_file: string; ready: number; last_update: string }>("SELECT has_file, ready, last_update FROM archivefilecopy WHERE id = ?", [copies[n - 1]!]).then((r) => r!);
  const setAvail = (bytes: number | null) => {
    row = { ...row, avail_gb: bytes === null ? null : bytes / GIB };
    io.setNode(nodeInfo(row));
  };
  return {
    idx,
    s,
    ctx,
    io,
    root,
    path,
    setState,
    copy,
    copies,
    fileIds,
    setAvail,
    nodeId: row.id,
    async [Symbol.asyncDispose]() {
      s[Symbol.dispose]();
      await idx[Symbol.asyncDispose]();
    },
  };
}

const exp = (n: number) => {
  const data = Buffer.alloc(SIZES[n - 1]!, n);
  return { size: data.length, md5: md5(data) };
};

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`LustreHSMNodeIO [${backend}]`, () => {
    test("release_files: nothing when the headroom is free; else restored ready copies, oldest first, until the deficit is covered", async () => {
      await using f = await fixture(backend);
      f.setAvail(20_000_000);
      f.io.releaseFiles();
      expect(f.ctx.queue.qsize).toBe(0);

      for (const n of [1, 2, 3, 4, 5]) f.setState(n, "restored");
      f.setState(6, "unarchived");
      f.setState(7, "restoring");
      await f.idx.db.run("UPDATE archivefilecopy SET ready = 0 WHERE id = ?", [f.copies[6]!]);
      f.setAvail(10_000_000);
      f.io.releaseFiles();
      expect(f.ctx.queue.qsize).toBe(1);
      // Headroom 10250 kiB = 10 496 000 B, 10 000 000 B free: 496 000 B to release.
      expect(await runReady(f.ctx)).toEqual([`Node hsm: HSM release ${prettyBytes(496000)}`]);
      // file2 (300 kB, oldest), file5 (50 kB), file1 (100 kB), file6 skipped (unarchived),
      // file7 skipped (not ready), file3 (400 kB): 850 kB ≥ 496 kB, so file4 stays.
      for (const n of [1, 2, 3, 5]) {
        expect(Number((await f.copy(n)).ready)).toBe(0);
        expect((await f.copy(n)).last_update > OLD(9)).toBe(true);
        expect(f.s.get(f.path(n))).toBe("released");
      }
      expect(Number((await f.copy(4)).ready)).toBe(1);
      expect(f.s.get(f.path(4))).toBe("restored");
      expect((await f.copy(6)).last_update.startsWith(OLD(4).slice(0, 19))).toBe(true);
      expect((await f.copy(7)).last_update.startsWith(OLD(5).slice(0, 19))).toBe(true);
      expect(f.s.get(f.path(6))).toBe("unarchived");
      expect(f.s.get(f.path(7))).toBe("restoring");
      expect(f.ctx.messages).toContain(`INFO [MainThread] Released ${prettyBytes(850000)} in 4 files on node hsm`);
      // Free space unknown: nothing.
      f.setAvail(null);
      f.io.releaseFiles();
      expect(f.ctx.queue.qsize).toBe(0);
      expect(f.ctx.messages).toContain("DEBUG [MainThread] Skipping release_files: free space unknown.");
    });

    test("beforeUpdate queues the release only when idle, and never cancels the update", async () => {
      await using f = await fixture(backend);
      f.setAvail(10_000_000);
      expect(await f.io.beforeUpdate(false)).toBe(true);
      expect(f.ctx.queue.qsize).toBe(0);
      expect(await f.io.beforeUpdate(true)).toBe(true);
      expect(f.ctx.queue.qsize).toBe(1);
    });

    test("exists: by hsm_state; unknown state counts as present; outside the root absent; always initialised", async () => {
      await using f = await fixture(backend);
      expect(await f.io.exists("simpleacq/file1")).toBe(true);
      expect(await f.io.exists("simpleacq/nope")).toBe(false);
      expect(await f.io.exists("../x")).toBe(false);
      f.s.flag("fail-hsm_state");
      expect(await f.io.exists("simpleacq/nope")).toBe(true);
      expect(await f.io.checkInit()).toBe(true);
      expect(await f.io.init()).toBe(true);
    });

    test("readyPath: restored/unarchived ready; released not ready but restoring; restoring and missing not ready", async () => {
      await using f = await fixture(backend);
      f.setState(1, "released");
      f.setState(2, "restored");
      f.setState(3, "restoring");
      expect(await f.io.readyPath("simpleacq/file1")).toBe(false);
      expect(f.s.get(f.path(1))).toBe("restoring");
      expect(await f.io.readyPath("simpleacq/file2")).toBe(true);
      expect(await f.io.readyPath("simpleacq/file3")).toBe(false);
      expect(await f.io.readyPath(f.path(6))).toBe(true);
      expect(await f.io.readyPath("simpleacq/nope")).toBe(false);
    });

    test("check: missing file → missing, no restore; restored → the Default check, left restored", async () => {
      await using f = await fixture(backend);
      expect(await f.io.check("simpleacq/nope", { size: 1, md5: null }, { id: 99, fileId: 99 })).toEqual({ result: "missing" });
      f.setState(1, "restored");
      const r = await f.io.check("simpleacq/file1", exp(1), { id: f.copies[0]!, fileId: f.fileIds[0]! });
      expect(r.result).toBe("ok");
      expect(f.s.get(f.path(1))).toBe("restored");
      expect(f.s.calls().filter((c) => c[0] === "hsm_restore" || c[0] === "hsm_release")).toEqual([]);
      // A corrupt file is reported as such after the restore step.
      writeFileSync(f.path(2), "garbage");
      f.setState(2, "restored");
      expect((await f.io.check("simpleacq/file2", exp(2), { id: f.copies[1]!, fileId: f.fileIds[1]! })).result).toBe("size");
    });

    test("check of a released, not-ready copy: restore, wait, a second check skipped, check, released again", async () => {
      await using f = await fixture(backend);
      f.setState(1, "released");
      await f.idx.db.run("UPDATE archivefilecopy SET ready = 0 WHERE id = ?", [f.copies[0]!]);
      const ref = { id: f.copies[0]!, fileId: f.fileIds[0]! };
      const first = await f.io.check("simpleacq/file1", exp(1), ref);
      expect(first.result).toBe("wait");
      expect((first as { seconds: number }).seconds).toBe(1);
      expect(f.s.get(f.path(1))).toBe("restoring");
      expect(f.io.restoresInProgress).toEqual(["simpleacq/file1"]);
      // Another check while the restore runs adds nothing.
      expect(await f.io.check("simpleacq/file1", exp(1), ref)).toEqual({ result: "retry", why: "restore in progress" });
      expect(f.ctx.messages).toContain(`DEBUG [MainThread] Skipping check of ${f.path(1)}: restore in progress.`);
      // Still restoring: wait again.
      const resume = (o: CheckOutcome) => (o as Extract<CheckOutcome, { result: "wait" }>).resume();
      const second = await resume(first);
      expect(second.result).toBe("wait");
      f.setState(1, "restored");
      const third = await resume(second);
      expect(third.result).toBe("ok");
      expect(f.ctx.messages.some((m) => m.startsWith("INFO [MainThread] simpleacq/file1 restored on node hsm after "))).toBe(true);
      // The index says not ready: released again.
      expect(f.s.get(f.path(1))).toBe("released");
      expect(f.io.restoresInProgress).toEqual([]);
    });

    test("check of a released but ready copy: restored, checked, kept on disk", async () => {
      await using f = await fixture(backend);
      f.setState(2, "released");
      f.s.flag("restore-immediate");
      const first = await f.io.check("simpleacq/file2", exp(2), { id: f.copies[1]!, fileId: f.fileIds[1]! });
      expect(first.result).toBe("wait");
      expect(f.s.get(f.path(2))).toBe("restored");
      const done = await (first as Extract<CheckOutcome, { result: "wait" }>).resume();
      expect(done.result).toBe("ok");
      expect(f.s.get(f.path(2))).toBe("restored");
    });

    test("restore bookkeeping: a failed request gives up (and forgets); a timed-out one keeps waiting", async () => {
      await using f = await fixture(backend);
      f.setState(1, "released");
      f.setState(2, "released");
      f.s.flag("enoent-hsm_restore");
      expect(await f.io.check("simpleacq/file1", exp(1), { id: f.copies[0]!, fileId: f.fileIds[0]! })).toEqual({ result: "retry", why: "restore failed" });
      expect(f.ctx.messages).toContain(`WARNING [MainThread] Restore request failed: ${f.path(1)}`);
      expect(f.ctx.messages).toContain(`DEBUG [MainThread] Aborting check of ${f.path(1)} after failed restore.`);
      expect(f.io.restoresInProgress).toEqual([]);
      f.s.flag("enoent-hsm_restore", "", false);
      f.s.flag("fail-hsm_restore");
      expect((await f.io.check("simpleacq/file2", exp(2), { id: f.copies[1]!, fileId: f.fileIds[1]! })).result).toBe("wait");
      expect(f.ctx.messages).toContain(`WARNING [MainThread] Restore request timeout: ${f.path(2)}`);
      expect(f.io.restoresInProgress).toEqual(["simpleacq/file2"]);
    });

    test("readyPull: restored → ready; released → one deferred task (a second ready adds none), file restoring", async () => {
      await using f = await fixture(backend);
      f.setState(1, "restored");
      await f.idx.db.run("UPDATE archivefilecopy SET ready = 0 WHERE id IN (?, ?)", [f.copies[0]!, f.copies[1]!]);
      f.io.readyPull({ rel: "simpleacq/file1", fileId: f.fileIds[0]! });
      expect(f.ctx.queue.qsize).toBe(1);
      expect(await runReady(f.ctx)).toEqual(["Ready file simpleacq/file1 on node hsm"]);
      expect(Number((await f.copy(1)).ready)).toBe(1);
      expect(f.ctx.messages).toContain("INFO [MainThread] File copy simpleacq/file1 on node hsm now restored");

      f.setState(2, "released");
      f.io.readyPull({ rel: "simpleacq/file2", fileId: f.fileIds[1]! });
      await runReady(f.ctx);
      expect(f.ctx.queue.deferredSize).toBe(1);
      expect(f.s.get(f.path(2))).toBe("restoring");
      f.io.readyPull({ rel: "simpleacq/file2", fileId: f.fileIds[1]! });
      expect(f.ctx.queue.qsize + f.ctx.queue.deferredSize).toBe(1);
      expect(f.ctx.messages).toContain("DEBUG [MainThread] Skipping ready of simpleacq/file2 on node hsm: restore in progress.");
      expect(Number((await f.copy(2)).ready)).toBe(0);
    });

    test("idleUpdate: no present copies → no task; else one state check correcting ready and has_file", async () => {
      await using f = await fixture(backend);
      await f.idx.db.run("UPDATE archivefilecopy SET has_file = 'N'");
      await f.io.idleUpdate(false);
      expect(f.ctx.queue.qsize).toBe(0);
      await f.idx.db.run("UPDATE archivefilecopy SET has_file = 'Y'");
      await f.idx.db.run("UPDATE archivefilecopy SET ready = 0 WHERE id IN (?, ?)", [f.copies[1]!, f.copies[5]!]);
      f.setState(1, "released"); // ready → false
      f.setState(2, "restored"); // not ready → true
      f.setState(3, "restoring"); // ready → false
      f.setState(4, "restored"); // stays ready
      f.setState(6, "unarchived"); // not ready → true
      f.setState(7, "restored");
      rmSync(f.path(5)); // missing → has_file N
      await f.io.idleUpdate(false);
      expect(f.ctx.queue.qsize).toBe(1);
      expect(await runReady(f.ctx)).toEqual(["Node hsm: HSM state check of 7 files"]);
      const ready = await Promise.all([1, 2, 3, 4, 5, 6, 7].map(async (n) => Number((await f.copy(n)).ready)));
      expect(ready).toEqual([0, 1, 0, 1, 0, 1, 1]);
      expect((await f.copy(5)).has_file).toBe("N");
      expect(f.ctx.messages).toContain("WARNING [MainThread] File copy simpleacq/file5 on node hsm is missing!");
      expect(f.ctx.messages).toContain("INFO [MainThread] Updating file copy simpleacq/file1: ready -> False");
      expect(f.ctx.messages).toContain("INFO [MainThread] Updating file copy simpleacq/file2: ready -> True");
    });

    test("NodeRemote.pullReady is the copy's ready flag (no copy: not ready)", async () => {
      await using f = await fixture(backend);
      await f.idx.db.run("UPDATE archivefilecopy SET ready = 0 WHERE id = ?", [f.copies[1]!]);
      const row = (await f.idx.db.get<StorageNodeRow>("SELECT * FROM storagenode WHERE id = ?", [f.nodeId]))!;
      const remote = lustreHSMNodeRemote(nodeInfo(row), {}, indexOps(f.idx.db));
      expect(await remote.pullReady("simpleacq", "file1")).toBe(true);
      expect(await remote.pullReady("simpleacq", "file2")).toBe(false);
      expect(await remote.pullReady("simpleacq", "nope")).toBe(false);
      expect(remote.filePath("simpleacq", "file1")).toBe(f.path(1));
    });
  });
}

describe("LustreHSMGroupIO", () => {
  const member = (id: number, ioClass: string | null, has: string[] = []): GroupMember => ({
    node: nodeInfo({ id, name: `n${id}`, root: `/n${id}`, group_id: 1, io_class: ioClass } as unknown as StorageNodeRow),
    io: { exists: async (rel: string) => has.includes(rel) } as unknown as NodeIO,
    idle: true,
  });
  const group = (config: Record<string, unknown> = {}) => new LustreHSMGroupIO({ group: { id: 1, name: "g", ioClass: "LustreHSM" }, config, services: null as never });
  const message = (fn: () => void) => {
    try {
      fn();
      return "accepted";
    } catch (err) {
      return (err as Error).message;
    }
  };

  test("exactly two nodes, exactly one LustreHSM, either order; members are [small-file, HSM]; a rejected list keeps the pair", () => {
    const g = group();
    const hsm = member(1, "LustreHSM");
    const small = member(2, null);
    expect(message(() => g.setMembers([hsm]))).toBe("need exactly two nodes in StorageGroup group g (have 1)");
    expect(message(() => g.setMembers([small, member(3, "Default")]))).toBe("no LustreHSM node in StorageGroup g");
    expect(message(() => g.setMembers([hsm, member(3, "LustreHSM")]))).toBe("Can't use two LustreHSM nodes in StorageGroup g");
    expect(g.getMembers()).toEqual([]);
    g.setMembers([hsm, small]);
    expect(g.getMembers().map((m) => m.node.id)).toEqual([2, 1]);
    g.setMembers([small, hsm]);
    expect(g.getMembers().map((m) => m.node.id)).toEqual([2, 1]);
    expect(message(() => g.setMembers([hsm]))).toContain("need exactly two nodes");
    expect(g.getMembers().map((m) => m.node.id)).toEqual([2, 1]);
    expect(g.doPullSearch).toBe(false);
  });

  test("exists prefers the small-file node; pulls up to the threshold go there, bigger ones to HSM", async () => {
    const g = group();
    g.setMembers([member(1, "LustreHSM", ["a/both", "a/hsm"]), member(2, "Default", ["a/both", "a/small"])]);
    expect((await g.exists("a/both"))?.node.id).toBe(2);
    expect((await g.exists("a/hsm"))?.node.id).toBe(1);
    expect((await g.exists("a/small"))?.node.id).toBe(2);
    expect(await g.exists("a/none")).toBeNull();
    expect(g.pullDestination("a/x", offer(1))?.node.id).toBe(2);
    expect(g.pullDestination("a/x", offer(1e9))?.node.id).toBe(2);
    expect(g.pullDestination("a/x", offer(1e10))?.node.id).toBe(1);
    const t = group({ threshold: 10 });
    t.setMembers([member(1, "LustreHSM"), member(2, null)]);
    expect(t.pullDestination("a/x", offer(11))?.node.id).toBe(1);
    expect(t.pullDestination("a/x", offer(10))?.node.id).toBe(2);
  });
});
