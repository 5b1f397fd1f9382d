// The daemon on an index in upstream main's table layout (89943e0): it finds its host by name
// in storagehost (`No host record for this host (NAME).` when missing), manages the active
// nodes whose host_id is that row, imports, checks, pulls (locally by hard link; remotely
// with the source host row's username/address) and deletes, counting archive copies by the
// `archive` flag.

import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COMPONENT, SCHEMA_VERSION, TABLES, register_extensions } from "../../src/engine/extensions/pattern-importer.ts";
import type { DataIndexExtension } from "../../src/engine/extensions/types.ts";
import { CORE_MAIN, initDataIndex } from "../../src/index/init.ts";
import { backendSuites, emptyIndex, type Backend, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import { HOST, runServe } from "./_daemon.ts";
import { md5 } from "./_integrity.ts";

const describeSsh = await describeWithSshd();
afterAll(() => stopSshd());

async function mainDemoIndex(backend: Backend): Promise<TestIndex> {
  const idx = await emptyIndex(backend);
  const ext = register_extensions()[0] as DataIndexExtension;
  await initDataIndex(idx.db, [CORE_MAIN, { component: COMPONENT, version: SCHEMA_VERSION, tables: TABLES, postInit: ext.postInit }], () => undefined);
  return idx;
}

/** An initialised node in its own group, on host row `hostId`, holding `files` registered as healthy copies. */
async function node(idx: TestIndex, name: string, hostId: number, f: { archive?: boolean; files?: Record<string, string> } = {}) {
  const root = idx.dir.join(name);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
  const group = await seed.group(idx.db, { name });
  const row = await seed.mainNode(idx.db, { name, group_id: group.id, root, host_id: hostId, active: 1, archive: f.archive ? 1 : 0 });
  const nodeId = Number(row.id);
  const reg: Record<string, { fileId: number; copyId: number; rel: string }> = {};
  if (f.files) {
    const acq = (await idx.db.get<{ id: number }>("SELECT id FROM archiveacq WHERE name = '2025/02/21'")) ?? (await seed.acq(idx.db, { name: "2025/02/21" }));
    for (const [file, text] of Object.entries(f.files)) {
      const rel = `2025/02/21/${file}`;
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
      const fr = await seed.file(idx.db, { name: file, acq_id: acq.id, size_b: Buffer.byteLength(text), md5sum: md5(text) });
      const copy = await seed.copy(idx.db, { file_id: fr.id, node_id: nodeId, has_file: "Y", wants_file: "Y", size_b: 4096 });
      reg[file] = { fileId: fr.id, copyId: copy.id, rel };
    }
  }
  return { id: nodeId, groupId: group.id, root, reg };
}

const copyOf = (idx: TestIndex, fileId: number, nodeId: number) =>
  idx.db.get<{ has_file: string; wants_file: string }>("SELECT has_file, wants_file FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`daemon on upstream main's layout [${backend}]`, () => {
    test("without a host record for its host the daemon stops with main's error", async () => {
      await using idx = await mainDemoIndex(backend);
      await seed.host(idx.db, { name: "alpenhost2" });
      await expect(runServe(idx)).rejects.toThrow(`No host record for this host (${HOST}).`);
    });

    test("manages only the active nodes of its host row; imports a scanned file", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const other = await seed.host(idx.db, { name: "alpenhost2" });
      const n1 = await node(idx, "demo_storage1", mine.id);
      await node(idx, "elsewhere", other.id);
      mkdirSync(join(n1.root, "2025/02/21"), { recursive: true });
      writeFileSync(join(n1.root, "2025/02/21/meta.txt"), "meta\n");
      await seed.importRequest(idx.db, { node_id: n1.id, path: "2025/02/21", recurse: 1, register: 1 });

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain('INFO Node "demo_storage1" now available.');
      expect(r.messages.some((m) => m.includes('"elsewhere"'))).toBe(false);
      expect(r.messages).toContain('INFO Imported file copy "2025/02/21/meta.txt" on node "demo_storage1".');
      const file = await idx.db.get<{ id: number; md5sum: string }>("SELECT id, md5sum FROM archivefile WHERE name = 'meta.txt'");
      expect(file!.md5sum).toBe(md5("meta\n"));
      expect(await copyOf(idx, file!.id, n1.id)).toEqual({ has_file: "Y", wants_file: "Y" });
    });

    test("checks a suspect copy", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const n1 = await node(idx, "demo_storage1", mine.id, { files: { "ok.dat": "fine", "bad.dat": "good" } });
      writeFileSync(join(n1.root, n1.reg["bad.dat"]!.rel), "evil");
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M' WHERE node_id = ?", [n1.id]);
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO File 2025/02/21/ok.dat on node demo_storage1 is A-OK!");
      expect((await copyOf(idx, n1.reg["ok.dat"]!.fileId, n1.id))!.has_file).toBe("Y");
      expect((await copyOf(idx, n1.reg["bad.dat"]!.fileId, n1.id))!.has_file).toBe("X");
    });

    test("deletes a released copy only with two healthy copies on archive nodes (the archive flag)", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const other = await seed.host(idx.db, { name: "alpenhost2" });
      const n1 = await node(idx, "demo_storage1", mine.id, { files: { "x.dat": "x" } });
      const { fileId, copyId, rel } = n1.reg["x.dat"]!;
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE id = ?", [copyId]);
      const g = await seed.group(idx.db, { name: "far" });
      // One archive node and one non-archive node elsewhere: one archive copy only.
      for (const [name, archive] of [["arch1", 1], ["plain", 0]] as const) {
        const row = await seed.mainNode(idx.db, { name, group_id: g.id, host_id: other.id, archive, active: 1 });
        await seed.copy(idx.db, { file_id: fileId, node_id: Number(row.id), has_file: "Y", wants_file: "Y" });
      }
      let r = await runServe(idx);
      expect(r.messages).toContain("WARNING Too few archive copies (1) to delete 2025/02/21/x.dat on demo_storage1.");
      expect(existsSync(join(n1.root, rel))).toBe(true);

      await idx.db.run("UPDATE storagenode SET archive = 1 WHERE name = 'plain'");
      r = await runServe(idx);
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/x.dat on demo_storage1");
      expect(existsSync(join(n1.root, rel))).toBe(false);
      expect((await copyOf(idx, fileId, n1.id))!.has_file).toBe("N");
    });

    test("pulls from a node on its own host by hard link", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const src = await node(idx, "demo_storage1", mine.id, { archive: true, files: { "23/1324.dat": "0123456789ab" } });
      const dst = await node(idx, "demo_storage2", mine.id, { archive: true });
      const { fileId, rel } = src.reg["23/1324.dat"]!;
      await seed.copyRequest(idx.db, { file_id: fileId, node_from_id: src.id, group_to_id: dst.groupId });
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO Hardlinked local file 2025/02/21/23/1324.dat");
      expect(readFileSync(join(dst.root, rel), "utf8")).toBe("0123456789ab");
      expect((await copyOf(idx, fileId, dst.id))!.has_file).toBe("Y");
    });

    test("a Transport group takes every non-archive node and refuses archive ones, as main's does", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const src = await node(idx, "demo_storage1", mine.id, { archive: true, files: { "t.dat": "carry me" } });
      const t = await seed.group(idx.db, { name: "carriers", io_class: "Transport" });
      const disks = [];
      for (const name of ["disk1", "disk2"]) {
        const root = idx.dir.join(name);
        mkdirSync(root, { recursive: true });
        writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
        const row = await seed.mainNode(idx.db, { name, group_id: t.id, root, host_id: mine.id, active: 1, archive: 0 });
        disks.push({ id: Number(row.id), root });
      }
      // An archive node in the group is refused, in main's words.
      const vault = idx.dir.join("vault");
      mkdirSync(vault, { recursive: true });
      writeFileSync(join(vault, "ALPENHORN_NODE"), "vault\n");
      await seed.mainNode(idx.db, { name: "vault", group_id: t.id, root: vault, host_id: mine.id, active: 1, archive: 1 });
      const { fileId, rel } = src.reg["t.dat"]!;
      await seed.copyRequest(idx.db, { file_id: fileId, node_from_id: src.id, group_to_id: t.id });
      const r = await runServe(idx);
      expect(r.messages).toContain('WARNING Ignoring archive node "vault" in Transport Group "carriers"');
      expect(r.messages.some((m) => m.includes("Ignoring non-transport node"))).toBe(false);
      // One of the two non-archive members carries the file (the daemon records their real free space).
      const holders = disks.filter((d) => existsSync(join(d.root, rel)));
      expect(holders).toHaveLength(1);
      expect(readFileSync(join(holders[0]!.root, rel), "utf8")).toBe("carry me");
      expect((await copyOf(idx, fileId, holders[0]!.id))!.has_file).toBe("Y");
    });

    test("a remote source whose host row has no log-in details stays pending (unconfigured route)", async () => {
      await using idx = await mainDemoIndex(backend);
      const mine = await seed.host(idx.db, { name: HOST });
      const other = await seed.host(idx.db, { name: "alpenhost2" });
      const src = await node(idx, "demo_storage1", other.id, { files: { "a.dat": "a" } });
      const dst = await node(idx, "demo_storage2", mine.id);
      await seed.copyRequest(idx.db, { file_id: src.reg["a.dat"]!.fileId, node_from_id: src.id, group_to_id: dst.groupId });
      const r = await runServe(idx);
      expect(r.messages).toContain("WARNING Skipping request for 2025/02/21/a.dat due to unconfigured route to host for node demo_storage1.");
      expect(existsSync(join(dst.root, src.reg["a.dat"]!.rel))).toBe(false);
    });
  });

  describeSsh(`remote pull on upstream main's layout [${backend}]`, () => {
    describeOn(`on ${backend}`, () => {
      test("rsync reaches the source through its host row's username and address", async () => {
        await using idx = await mainDemoIndex(backend);
        const sshd = await startSshd();
        const mine = await seed.host(idx.db, { name: HOST });
        const other = await seed.host(idx.db, { name: "alpenhost2", username: sshd.user, address: sshd.host });
        const src = await node(idx, "demo_storage1", other.id, { files: { "23/r.dat": "remote bytes" } });
        const dst = await node(idx, "demo_storage2", mine.id);
        const { fileId, rel } = src.reg["23/r.dat"]!;
        await seed.copyRequest(idx.db, { file_id: fileId, node_from_id: src.id, group_to_id: dst.groupId });
        const r = await runServe(idx, { daemon: `  rsync_rsh: ${JSON.stringify(sshd.rsh)}\n`, extra: "logging:\n  level: debug\n" });
        expect(r.messages).toContain("INFO Pulling remote file 2025/02/21/23/r.dat using rsync");
        const run = r.messages.find((m) => m.startsWith("DEBUG Running command [timeout="));
        expect(run).toContain(` ${sshd.user}@${sshd.host}:${join(src.root, rel)} `);
        expect(readFileSync(join(dst.root, rel), "utf8")).toBe("remote bytes");
        expect((await copyOf(idx, fileId, dst.id))!.has_file).toBe("Y");
      }, 60_000);
    });
  });
}
