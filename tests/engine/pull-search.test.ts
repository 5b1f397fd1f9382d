// The pre-pull search (alpenhorn/io/default/group.py: group_search_async and
// alpenhorn/io/default/check.py: force_check_filecopy, with tests/io/test_transport.py's
// test_group_search_* at 632dd41): before a pull into a group that asks for it, every member
// is searched for a file the index does not know there; one found is checked instead of pulled
// over. Direct runs of the search on real node I/O and a real index, then the whole cycle in a
// running daemon (search → check → request cancelled as a duplicate), on both backends.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { DaemonContext } from "../../src/engine/context.ts";
import { defaultNodeIO } from "../../src/engine/io/default/node.ts";
import { nodeInfo } from "../../src/engine/io/node-info.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import { TransportGroupIO } from "../../src/engine/io/transport.ts";
import { searchGroup } from "../../src/engine/pull/search.ts";
import type { PullRequest } from "../../src/index/queries/pulls.ts";
import { pullFacts } from "../../src/index/queries/pull-facts.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { bareContext } from "./_ctx.ts";
import { HOST, demoIndex, runServe, until } from "./_daemon.ts";
import { md5 } from "./_integrity.ts";
import { copyOn, request, requestRow } from "./_pull.ts";

const TEXT = "0123456789ab";
const REL = "simplefile_acq/simplefile";

/** A Transport group of three transport nodes with real roots and Default I/O, a file, and a request into the group. */
async function searchFleet(idx: TestIndex) {
  const ctx = { ...bareContext(), db: idx.db } as unknown as DaemonContext & { messages: string[] };
  const group = await seed.group(idx.db, { name: "group", io_class: "Transport" });
  const io = new TransportGroupIO({ group: { id: group.id, name: group.name, ioClass: "Transport" }, config: {}, services: ioServices(ctx, "Group:group:t") });
  const rows: StorageNodeRow[] = [];
  for (const [i, availGb] of [10, 20, 40].entries()) {
    const root = idx.dir.join(`node${i + 1}`);
    mkdirSync(root, { recursive: true });
    rows.push(await seed.node(idx.db, { name: `node${i + 1}`, group_id: group.id, root, host: HOST, active: 1, storage_type: "T", avail_gb: availGb }));
  }
  io.setMembers(
    rows.map((row) => {
      const node = nodeInfo(row);
      return { node, io: defaultNodeIO({ node, config: {}, services: ioServices(ctx, `Node:${row.name}:t`, row.name) }), idle: true };
    }),
  );
  const acq = await seed.acq(idx.db, { name: "simplefile_acq" });
  const file = await seed.file(idx.db, { name: "simplefile", acq_id: acq.id, size_b: TEXT.length, md5sum: md5(TEXT) });
  // The source does not matter to the search: node1 itself, as in the original tests.
  const reqId = await request(idx, file.id, rows[0]!.id, group.id);
  const req = (await pullFacts(idx.db, group.id)).pending.find((r) => r.id === reqId) as PullRequest;
  const put = (i: number) => {
    const p = join(rows[i]!.root!, REL);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, TEXT);
  };
  const dispatched: number[] = [];
  const run = () => searchGroup(ctx, { id: group.id, name: group.name }, io, req, async () => void dispatched.push(req.id));
  return { ctx, group, rows, fileId: file.id, reqId, put, run, dispatched };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pre-pull search [${backend}]`, () => {
    test("test_group_search_dispatch: nothing on disk → the pull is dispatched (did_search)", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      expect(await f.run()).toBe(true);
      expect(f.dispatched).toEqual([f.reqId]);
      expect(f.ctx.messages.filter((m) => /^(WARNING|INFO)/.test(m))).toEqual([]);
    });

    test("test_group_search_in_db: a healthy copy in the group by now → request cancelled, no pull", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      f.put(0);
      await seed.copy(idx.db, { file_id: f.fileId, node_id: f.rows[0]!.id, has_file: "Y" });
      expect(await f.run()).toBe(false);
      expect(f.dispatched).toEqual([]);
      expect(f.ctx.messages).toContain(`INFO [MainThread] Cancelling pull request for ${REL}: file already in group group.`);
      expect(await requestRow(idx, f.reqId)).toMatchObject({ cancelled: 1, completed: 0 });
    });

    test("a copy waiting for its check (M) in the group also cancels the request", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      await seed.copy(idx.db, { file_id: f.fileId, node_id: f.rows[2]!.id, has_file: "M" });
      expect(await f.run()).toBe(false);
      expect(f.dispatched).toEqual([]);
      expect(await requestRow(idx, f.reqId)).toMatchObject({ cancelled: 1 });
    });

    test("test_group_search_existing: an unregistered file on disk → a copy to check (M), no pull", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      f.put(0);
      expect(await f.run()).toBe(false);
      expect(f.dispatched).toEqual([]);
      const copy = await copyOn(idx, f.fileId, f.rows[0]!.id);
      expect(copy).toMatchObject({ has_file: "M", wants_file: "Y", ready: 0 });
      // size_b is the storage used (blocks), as force_check_filecopy records it.
      expect(Number(copy!.size_b)).toBeGreaterThan(0);
      expect(f.ctx.messages).toContain(`INFO [MainThread] Requesting check of ${REL} on node node1.`);
      expect(f.ctx.messages).toContain(`WARNING [MainThread] Skipping pull request for ${REL}: file already on disk in group group.`);
      expect(await requestRow(idx, f.reqId)).toMatchObject({ cancelled: 0, completed: 0 });
    });

    test("test_group_search_hasN: a copy recorded absent (N) but on disk → M, wanted again", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      f.put(0);
      await seed.copy(idx.db, { file_id: f.fileId, node_id: f.rows[0]!.id, has_file: "N", wants_file: "N", size_b: 7 });
      expect(await f.run()).toBe(false);
      expect(f.dispatched).toEqual([]);
      // An existing row keeps its size_b.
      expect(await copyOn(idx, f.fileId, f.rows[0]!.id)).toMatchObject({ has_file: "M", wants_file: "Y", ready: 0 });
      expect(Number((await copyOn(idx, f.fileId, f.rows[0]!.id))!.size_b)).toBe(7);
    });

    test("test_group_search_corrupt: a corrupt copy does not hide unknown files on other nodes", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      for (const i of [0, 1, 2]) f.put(i);
      await seed.copy(idx.db, { file_id: f.fileId, node_id: f.rows[1]!.id, has_file: "X", wants_file: "Y" });
      expect(await f.run()).toBe(false);
      expect(f.dispatched).toEqual([]);
      expect((await copyOn(idx, f.fileId, f.rows[0]!.id))!.has_file).toBe("M");
      expect((await copyOn(idx, f.fileId, f.rows[1]!.id))!.has_file).toBe("X");
      expect((await copyOn(idx, f.fileId, f.rows[2]!.id))!.has_file).toBe("M");
      expect(f.ctx.messages.filter((m) => m.includes("Requesting check of"))).toEqual([
        `INFO [MainThread] Requesting check of ${REL} on node node1.`,
        `INFO [MainThread] Requesting check of ${REL} on node node3.`,
      ]);
    });

    test("in the daemon: an unregistered file found by the search is checked, then the request is cancelled as a duplicate", async () => {
      await using idx = await demoIndex(backend);
      const f = await searchFleet(idx);
      // node1 is the source here: give it a healthy registered copy and its ALPENHORN_NODE;
      // node3's disk holds the file unregistered. The source is no transport node: in its own group.
      const srcGroup = await seed.group(idx.db, { name: "src_group" });
      await idx.db.run("UPDATE storagenode SET group_id = ?, storage_type = 'A' WHERE id = ?", [srcGroup.id, f.rows[0]!.id]);
      f.put(0);
      await seed.copy(idx.db, { file_id: f.fileId, node_id: f.rows[0]!.id, has_file: "Y" });
      f.put(2);
      for (const row of f.rows) writeFileSync(join(row.root!, "ALPENHORN_NODE"), `${row.name}\n`);

      const r = await runServe(idx, {
        once: false,
        during: () => until(async () => (await requestRow(idx, f.reqId)).cancelled === 1, 60000, "the request cancelled"),
      });
      expect(r.messages).toContain(`INFO Beginning task Pre-pull search for ${REL} in group`);
      expect(r.messages).toContain(`INFO Requesting check of ${REL} on node node3.`);
      expect(r.messages).toContain(`WARNING Skipping pull request for ${REL}: file already on disk in group group.`);
      expect(r.messages).toContain(`INFO Beginning task Check file ${REL} on node3`);
      expect(r.messages).toContain(`INFO Cancelling pull request for ${REL}: already present in group group`);
      expect(r.messages.some((m) => /Beginning task AFCR#/.test(m))).toBe(false);
      expect(await copyOn(idx, f.fileId, f.rows[2]!.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
      expect(await copyOn(idx, f.fileId, f.rows[1]!.id)).toBeUndefined();
    });
  });
}
