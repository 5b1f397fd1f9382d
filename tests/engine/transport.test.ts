// The Transport group I/O (alpenhorn/io/transport.py: TransportGroupIO and its
// tests/io/test_transport.py at 632dd41): only transport nodes are members, the fullest
// first; pulls go to the first member with room that passes the destination checks, and only
// from local sources. The members here are real Default node I/O instances on temp dirs; the
// pull choices are made by the daemon itself (--once) on both backends, with the example
// "Capped" I/O class giving each transport node a fixed free space (as the original test fixes
// bytes_avail to avail_gb).

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { TransportGroupIO } from "../../src/engine/io/transport.ts";
import { defaultNodeIO } from "../../src/engine/io/default/node.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import type { GroupMember, NodeInfo, PullOffer } from "../../src/engine/extension-api.ts";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { bareContext } from "./_ctx.ts";
import { HOST, demoIndex, runServe } from "./_daemon.ts";
import { nodeWithFiles } from "./_integrity.ts";
import { copyOn, request, requestRow } from "./_pull.ts";

const CAPPED = resolve(import.meta.dir, "../../examples/example-io-class.ts");
const EXTRA = `extensions:\n  - pattern_importer\n  - ${CAPPED}\nlogging:\n  level: debug\n`;

// ---------------------------------------------------------------------------------------------
// The group I/O alone: members, their order, exists, non-local requests.

function info(id: number, name: string, root: string, f: { availGb: number | null; transport?: boolean }): NodeInfo {
  return {
    id,
    name,
    root,
    groupId: 1,
    host: HOST,
    username: null,
    address: null,
    active: true,
    archive: false,
    transport: f.transport ?? true,
    ioClass: null,
    autoImport: false,
    autoVerify: 0,
    availGb: f.availGb,
    minAvailGb: 0,
    maxTotalGb: null,
  };
}

/** node1..node4 as in test_transport.py: 10, 20, 40 GiB and unknown; real Default I/O on temp dirs. */
function unitFleet(root: string, transport: boolean[] = [true, true, true, true]) {
  const ctx = bareContext();
  const avail = [10, 20, 40, null];
  const members: GroupMember[] = avail.map((availGb, i) => {
    const node = info(i + 1, `node${i + 1}`, join(root, `node${i + 1}`), { availGb, transport: transport[i] });
    mkdirSync(node.root, { recursive: true });
    return { node, io: defaultNodeIO({ node, config: {}, services: ioServices(ctx, `Node:${node.name}:t`, node.name) }), idle: true };
  });
  const io = new TransportGroupIO({ group: { id: 1, name: "group", ioClass: "Transport" }, config: {}, services: ioServices(ctx, "Group:group:t") });
  return { ctx, io, members };
}

describe("TransportGroupIO", () => {
  test("test_group_init: transport nodes accepted, fullest first, unknown free space last", () => {
    using dir = tempDir("transport");
    const { io, members } = unitFleet(dir.path);
    // Offered out of order: the group sorts them.
    io.setMembers([members[3]!, members[2]!, members[0]!, members[1]!]);
    expect(io.getMembers().map((m) => m.node.name)).toEqual(["node1", "node2", "node3", "node4"]);
    expect(io.doPullSearch).toBe(true);
  });

  test("unknown free space sorts as id × 1e9 GiB: after every real disk, stable among themselves", () => {
    using dir = tempDir("transport");
    const ctx = bareContext();
    const mk = (id: number, availGb: number | null): GroupMember => {
      const node = info(id, `n${id}`, join(dir.path, `n${id}`), { availGb });
      return { node, io: defaultNodeIO({ node, config: {}, services: ioServices(ctx, `Node:n${id}:t`) }), idle: true };
    };
    const io = new TransportGroupIO({ group: { id: 1, name: "g", ioClass: "Transport" }, config: {}, services: ioServices(ctx, "Group:g:t") });
    io.setMembers([mk(7, null), mk(2, null), mk(5, 1e6), mk(3, 0.5)]);
    expect(io.getMembers().map((m) => m.node.id)).toEqual([3, 5, 2, 7]);
  });

  test("test_group_init_bad: no transport node → empty, with the error and a warning per node", () => {
    using dir = tempDir("transport");
    const { ctx, io, members } = unitFleet(dir.path, [false, false, false, false]);
    let err: Error | undefined;
    try {
      io.setMembers(members);
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toBe("no usable nodes (4 unusable) in Transport group group");
    expect(io.getMembers()).toEqual([]);
    for (const n of ["node1", "node2", "node3", "node4"])
      expect(ctx.messages).toContain(`WARNING [MainThread] Ignoring non-transport node "${n}" in Transport Group "group"`);
  });

  test("test_group_init_mixed: only the transport nodes are kept; a later bad list empties the group", () => {
    using dir = tempDir("transport");
    const { ctx, io, members } = unitFleet(dir.path, [false, true, true, false]);
    io.setMembers(members);
    expect(io.getMembers()).toEqual([members[1]!, members[2]!]);
    expect(ctx.messages.filter((m) => m.includes("Ignoring non-transport node"))).toHaveLength(2);
    expect(() => io.setMembers([members[0]!])).toThrow("no usable nodes (1 unusable) in Transport group group");
    expect(io.getMembers()).toEqual([]);
  });

  test("test_exists: the first member in fill order holding the file", async () => {
    using dir = tempDir("transport");
    const { io, members } = unitFleet(dir.path);
    io.setMembers(members);
    for (const [node, rel] of [["node1", "test/one"], ["node3", "test/two"], ["node4", "test/two"]]) {
      mkdirSync(dirname(join(dir.path, node!, rel!)), { recursive: true });
      writeFileSync(join(dir.path, node!, rel!), "x");
    }
    expect((await io.exists("test/one"))?.node.name).toBe("node1");
    expect((await io.exists("test/two"))?.node.name).toBe("node3");
    expect(await io.exists("test/three")).toBeNull();
  });

  test("test_pull_remote_skip: a non-local source is skipped before any member is asked", async () => {
    using dir = tempDir("transport");
    const { ctx, io, members } = unitFleet(dir.path);
    io.setMembers(members);
    const asked: string[] = [];
    const offer: PullOffer = {
      rel: "acq/file",
      size: 0,
      source: info(9, "src", "/src", { availGb: null, transport: false }),
      local: false,
      destinationOk: async (m) => (asked.push(m.node.name), true),
      fits: async (m) => (asked.push(m.node.name), true),
    };
    expect(await io.pullDestination("acq/file", offer)).toBeNull();
    expect(asked).toEqual([]);
    expect(ctx.messages).toContain("INFO [MainThread] Skipping pull of acq/file from node src to group group: non-local transfer request.");
  });
});

// ---------------------------------------------------------------------------------------------
// Pulls into a Transport group, chosen and carried out by the daemon.

const FILE = "23/1324.dat";
const REL = `2025/02/21/${FILE}`;

/**
 * A source node demo_storage1 (archive, this host) holding FILE, and a Transport group with
 * transport nodes tp1..tp4 (Capped at `caps` GiB, avail_gb recorded likewise), created in
 * the order given so that the daemon must sort them.
 */
async function transportFleet(idx: TestIndex, caps: number[] = [4, 1, 2, 8]) {
  const src = await nodeWithFiles(idx, { [FILE]: "0123456789ab" }, { archive: true });
  const group = await seed.group(idx.db, { name: "transport_group", io_class: "Transport" });
  const nodes = [];
  for (const [i, cap] of caps.entries()) {
    const name = `tp${i + 1}`;
    const root = idx.dir.join(name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
    const node = await seed.node(idx.db, {
      name,
      group_id: group.id,
      root,
      host: HOST,
      active: 1,
      storage_type: "T",
      io_class: "Capped",
      io_config: JSON.stringify({ max_avail_gb: cap }),
      avail_gb: cap,
    });
    nodes.push({ node, root });
  }
  const { fileId } = src.reg[FILE]!;
  const reqId = await request(idx, fileId, src.node.id, group.id);
  return { src, group, nodes, fileId, reqId };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pulls into a Transport group [${backend}]`, () => {
    test("test_pull_local: after the pre-pull search, the fullest transport node receives the file", async () => {
      await using idx = await demoIndex(backend);
      const { nodes, fileId, reqId } = await transportFleet(idx);
      // A non-transport node in the group is left out, with a warning.
      const tg = (await idx.db.get<{ id: number }>("SELECT id FROM storagegroup WHERE name = 'transport_group'"))!;
      const stray = idx.dir.join("stray");
      mkdirSync(stray);
      writeFileSync(join(stray, "ALPENHORN_NODE"), "stray\n");
      await seed.node(idx.db, { name: "stray", group_id: tg.id, root: stray, host: HOST, active: 1, storage_type: "F" });

      const r = await runServe(idx, { extra: EXTRA });
      expect(r.code).toBe(0);
      expect(r.messages).toContain('WARNING Ignoring non-transport node "stray" in Transport Group "transport_group"');
      expect(r.messages).toContain(`INFO Beginning task Pre-pull search for ${REL} in transport_group`);
      // tp2 (1 GiB free) is the fullest.
      expect(r.messages).toContain(`INFO Beginning task AFCR#${reqId}: demo_storage1 -> tp2`);
      expect(r.messages.some((m) => m.startsWith(`INFO Pull of ${REL} complete.`))).toBe(true);
      expect(readFileSync(join(nodes[1]!.root, REL), "utf8")).toBe("0123456789ab");
      for (const i of [0, 2, 3]) expect(existsSync(join(nodes[i]!.root, REL))).toBe(false);
      expect(await copyOn(idx, fileId, nodes[1]!.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y", ready: 1 });
      expect(await requestRow(idx, reqId)).toMatchObject({ completed: 1, cancelled: 0 });
      // The search ran before the pull was queued.
      const search = r.messages.indexOf(`INFO Beginning task Pre-pull search for ${REL} in transport_group`);
      const pull = r.messages.indexOf(`INFO Beginning task AFCR#${reqId}: demo_storage1 -> tp2`);
      expect(search).toBeLessThan(pull);
    });

    test("the order is by the free space measured in this loop's node updates, not the index's older figures", async () => {
      await using idx = await demoIndex(backend);
      const { nodes, reqId } = await transportFleet(idx);
      // Stale figures saying tp1 is the fullest and tp2 the emptiest; the nodes measure 4 and 1 GiB.
      await idx.db.run("UPDATE storagenode SET avail_gb = 0.1 WHERE id = ?", [nodes[0]!.node.id]);
      await idx.db.run("UPDATE storagenode SET avail_gb = 50 WHERE id = ?", [nodes[1]!.node.id]);
      const r = await runServe(idx, { extra: EXTRA });
      expect(r.messages).toContain(`INFO Beginning task AFCR#${reqId}: demo_storage1 -> tp2`);
    });

    test("test_pull_size: a file needing twice its size goes to the fullest node with that room", async () => {
      await using idx = await demoIndex(backend);
      const { fileId, reqId } = await transportFleet(idx);
      // 1.5 GiB needs 3 GiB: tp2 (1) and tp3 (2) are too small, tp1 (4) takes it.
      await idx.db.run("UPDATE archivefile SET size_b = ? WHERE id = ?", [1.5 * 2 ** 30, fileId]);
      const r = await runServe(idx, { extra: EXTRA });
      expect(r.messages).toContain("DEBUG Ignoring transport node tp2: not enough space");
      expect(r.messages).toContain("DEBUG Ignoring transport node tp3: not enough space");
      expect(r.messages).toContain(`INFO Beginning task AFCR#${reqId}: demo_storage1 -> tp1`);
      expect(r.messages.some((m) => /AFCR#\d+: demo_storage1 -> tp[234]/.test(m))).toBe(false);
    });

    test("test_pull_minmax: an under-min node and an over-max node are passed over (at DEBUG)", async () => {
      await using idx = await demoIndex(backend);
      const { src, nodes, fileId, reqId } = await transportFleet(idx);
      // tp2 under its minimum; tp3 over its maximum (holding another file).
      await idx.db.run("UPDATE storagenode SET min_avail_gb = 2 WHERE id = ?", [nodes[1]!.node.id]);
      const other = await seed.file(idx.db, { name: "other.dat", acq_id: src.acq.id, size_b: 10000, md5sum: "0".repeat(32) });
      await seed.copy(idx.db, { file_id: other.id, node_id: nodes[2]!.node.id, has_file: "Y", wants_file: "Y" });
      await idx.db.run("UPDATE storagenode SET max_total_gb = 0.000001 WHERE id = ?", [nodes[2]!.node.id]);

      const r = await runServe(idx, { extra: EXTRA });
      expect(r.messages).toContain("DEBUG Ignoring transport node tp2: hit minimum free space: (1.00 GiB < 2.00 GiB)");
      expect(r.messages).toContain("DEBUG Ignoring transport node tp3: node full.  (0.00 GiB >= 0.00 GiB)");
      expect(r.messages).toContain(`INFO Beginning task AFCR#${reqId}: demo_storage1 -> tp1`);
      expect(await copyOn(idx, fileId, nodes[0]!.node.id)).toMatchObject({ has_file: "Y" });
      expect(await requestRow(idx, reqId)).toMatchObject({ completed: 1 });
    });

    test("test_pull_nonode: no node will do → the DEBUG line, the request waits", async () => {
      await using idx = await demoIndex(backend);
      const { reqId } = await transportFleet(idx);
      await idx.db.run("UPDATE storagenode SET min_avail_gb = 100 WHERE storage_type = 'T'");
      const r = await runServe(idx, { extra: EXTRA });
      expect(r.messages).toContain(`DEBUG Unable to find a transport node for "${REL}"`);
      expect(r.messages.some((m) => m.includes(`AFCR#${reqId}`))).toBe(false);
      expect(await requestRow(idx, reqId)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("test_pull_remote_skip: a source on another host is never pulled into a Transport group", async () => {
      await using idx = await demoIndex(backend);
      const { src, reqId } = await transportFleet(idx);
      await idx.db.run("UPDATE storagenode SET host = 'alpenhost2', username = 'u', address = '127.0.0.1' WHERE id = ?", [src.node.id]);
      const r = await runServe(idx, { extra: EXTRA });
      expect(r.messages).toContain(`INFO Skipping pull of ${REL} from node demo_storage1 to group transport_group: non-local transfer request.`);
      expect(r.messages.some((m) => m.includes(`AFCR#${reqId}`))).toBe(false);
      expect(await requestRow(idx, reqId)).toMatchObject({ completed: 0, cancelled: 0 });
    });
  });
}
