// LustreHSM nodes in the running daemon (in-process, real index on both backends, real files,
// the stand-in lfs as a child process): releasing files when the disk's headroom is short,
// restoring a released file to check it, marking copies the storage lost, and a pull out of an
// HSM node waiting until the source's daemon has restored the file.

import { expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, HOST, runServe, until } from "./_daemon.ts";
import { md5 } from "./_integrity.ts";
import { copyOn, request, requestRow } from "./_pull.ts";
import { LFS, standin, type HsmStateName, type Standin } from "./_lustre.ts";

const GIB = 2 ** 30;

/** A LustreHSM node `hsm` (its own group) holding `files` as present copies in `state`. */
async function hsmNode(idx: TestIndex, s: Standin, files: Record<string, string>, f: { state: HsmStateName; ready: 0 | 1; hasFile?: "Y" | "M"; headroomKib?: number; availKib?: number }) {
  const root = idx.dir.join("hsm");
  mkdirSync(root, { recursive: true });
  const group = await seed.group(idx.db, { name: "hsm_group" });
  const config = { quota_id: "qid", quota_type: "group", headroom: f.headroomKib ?? 1, restore_wait: 1, release_check_count: 1, lfs: LFS };
  const node = await seed.node(idx.db, {
    name: "hsm",
    group_id: group.id,
    root,
    host: HOST,
    active: 1,
    io_class: "LustreHSM",
    io_config: JSON.stringify(config),
    storage_type: "A",
    avail_gb: f.availKib === undefined ? null : (f.availKib * 1024) / GIB,
  });
  const acq = await seed.acq(idx.db, { name: "2025/02/21" });
  const reg: Record<string, { fileId: number; copyId: number; path: string }> = {};
  for (const [name, text] of Object.entries(files)) {
    const path = join(root, acq.name, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    s.set(path, f.state);
    const file = await seed.file(idx.db, { name, acq_id: acq.id, size_b: Buffer.byteLength(text), md5sum: md5(text) });
    const copy = await seed.copy(idx.db, { file_id: file.id, node_id: node.id, has_file: f.hasFile ?? "Y", wants_file: "Y", ready: f.ready, size_b: 4096 });
    reg[name] = { fileId: file.id, copyId: copy.id, path };
  }
  return { node, group, root, reg };
}

const copyRow = (idx: TestIndex, id: number) =>
  idx.db.get<{ has_file: string; ready: number }>("SELECT has_file, ready FROM archivefilecopy WHERE id = ?", [id]).then((r) => r!);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`LustreHSM in the daemon [${backend}]`, () => {
    test("an idle HSM node short of headroom releases its restored files, oldest first, and marks them not ready", async () => {
      await using idx = await demoIndex(backend);
      using s = standin();
      s.quota(0, 100);
      const text = "x".repeat(3000);
      const { reg } = await hsmNode(idx, s, { "a.dat": text, "b.dat": text, "c.dat": text }, { state: "restored", ready: 1, headroomKib: 10000, availKib: 100 });
      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain("INFO Released 8.789 kiB in 3 files on node hsm");
      for (const c of Object.values(reg)) {
        expect(Number((await copyRow(idx, c.copyId)).ready)).toBe(0);
        expect(s.get(c.path)).toBe("released");
      }
      // Free space came from the quota: 100 kiB.
      expect(r.messages).toContain("INFO Node hsm: 100.0 kiB available.");
    });

    test("a released copy to check is restored first, checked, then released again (the index says not ready)", async () => {
      await using idx = await demoIndex(backend);
      using s = standin();
      s.quota(0, 10 ** 9);
      const { reg } = await hsmNode(idx, s, { "a.dat": "some data\n" }, { state: "released", ready: 0, hasFile: "M" });
      const c = reg["a.dat"]!;
      const r = await runServe(idx, {
        once: false,
        daemon: "  num_workers: 1\n",
        extra: "logging:\n  level: debug\n",
        during: async (out) => {
          await until(() => s.get(c.path) === "restoring", 20000, "restore requested");
          // The check waits; the copy stays suspect.
          await until(() => out.messages.some((m) => m.startsWith("DEBUG Restore in progress: ")), 20000, "a second look");
          expect((await copyRow(idx, c.copyId)).has_file).toBe("M");
          s.set(c.path, "restored");
          await until(async () => (await copyRow(idx, c.copyId)).has_file === "Y", 20000, "the check");
          await until(() => s.get(c.path) === "released", 20000, "released again");
        },
      });
      expect(r.messages).toContain('INFO Checking copy "2025/02/21/a.dat" on node hsm.');
      expect(r.messages.some((m) => m.startsWith("INFO 2025/02/21/a.dat restored on node hsm after "))).toBe(true);
      expect(r.messages).toContain("INFO File 2025/02/21/a.dat on node hsm is A-OK!");
      expect(Number((await copyRow(idx, c.copyId)).ready)).toBe(0);
      expect(r.messages.filter((m) => /^(ERROR|CRITICAL) /.test(m))).toEqual([]);
    });

    test("the idle state check marks a copy the storage lost as missing and corrects ready flags", async () => {
      await using idx = await demoIndex(backend);
      using s = standin();
      s.quota(0, 10 ** 9);
      const { reg, node } = await hsmNode(idx, s, { "a.dat": "a\n" }, { state: "released", ready: 1 });
      // A copy whose file is gone from the storage.
      const file = await seed.file(idx.db, { name: "gone.dat", acq_id: (await idx.db.get<{ id: number }>("SELECT id FROM archiveacq"))!.id, size_b: 1 });
      const gone = await seed.copy(idx.db, { file_id: file.id, node_id: node.id, has_file: "Y", wants_file: "Y", ready: 1 });
      await idx.db.run("UPDATE storagenode SET io_config = ? WHERE id = ?", [
        JSON.stringify({ quota_id: "qid", quota_type: "group", headroom: 1, release_check_count: 2, lfs: LFS }),
        node.id,
      ]);
      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain("WARNING File copy 2025/02/21/gone.dat on node hsm is missing!");
      expect((await copyRow(idx, gone.id)).has_file).toBe("N");
      expect(r.messages).toContain("INFO Updating file copy 2025/02/21/a.dat: ready -> False");
      expect(Number((await copyRow(idx, reg["a.dat"]!.copyId)).ready)).toBe(0);
    });

    test("a pull from a released HSM source waits until its daemon has restored the file", async () => {
      await using idx = await demoIndex(backend);
      using s = standin();
      s.quota(0, 10 ** 9);
      const text = "tape data\n".repeat(100);
      const { node: src, reg } = await hsmNode(idx, s, { "x.dat": text }, { state: "released", ready: 0 });
      const dst = await demoNode(idx, { name: "demo_storage2" });
      writeFileSync(join(dst.root, "ALPENHORN_NODE"), "demo_storage2\n");
      const c = reg["x.dat"]!;
      const reqId = await request(idx, c.fileId, src.id, dst.group.id);
      const target = join(dst.root, "2025/02/21/x.dat");
      const r = await runServe(idx, {
        once: false,
        daemon: "  num_workers: 1\n",
        extra: "logging:\n  level: debug\n",
        during: async (out) => {
          await until(() => s.get(c.path) === "restoring", 20000, "restore requested");
          await until(() => out.messages.filter((m) => m === "DEBUG Skipping request for 2025/02/21/x.dat: not ready on node hsm.").length >= 3, 20000, "pull skipped");
          expect(existsSync(target)).toBe(false);
          expect(Number((await requestRow(idx, reqId)).completed)).toBe(0);
          s.set(c.path, "restored");
          await until(async () => Number((await requestRow(idx, reqId)).completed) === 1, 20000, "the pull");
        },
      });
      expect(r.messages).toContain("INFO File copy 2025/02/21/x.dat on node hsm now restored");
      expect(readFileSync(target, "utf8")).toBe(text);
      expect((await copyOn(idx, c.fileId, dst.node.id))?.has_file).toBe("Y");
      expect(Number((await copyRow(idx, c.copyId)).ready)).toBe(1);
      // One restore asked for, however many loops waited.
      const restores = s.calls().filter((a) => a[0] === "hsm_restore");
      const errors = r.messages.filter((m) => /^(ERROR|CRITICAL) /.test(m));
      if (restores.length !== 1 || errors.length > 0) console.error(r.messages.join("\n"));
      expect(restores).toEqual([["hsm_restore", c.path]]);
      expect(errors).toEqual([]);
    });
  });
}
