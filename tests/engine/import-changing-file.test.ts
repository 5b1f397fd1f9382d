// A file written to during its import (no lock file): the registered size and MD5 must describe
// the same bytes, so a change between the hash and the size stat, or during the hash, defers it.

import { describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { OPS } from "../../src/engine/fs/threads/ops.ts";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

const FIXTURE = resolve(import.meta.dir, "../fixtures/extensions/meddling-io.ts");
const md5 = (text: string) => new Bun.CryptoHasher("md5").update(text).digest("hex");

describe("the md5 fs operation", () => {
  test("an append while the file is being hashed gives `changed`, not a digest", () => {
    using dir = tempDir("md5");
    const path = dir.join("big.dat");
    writeFileSync(path, Buffer.alloc(65 * 2 ** 20, 7));
    // The first progress report (after 32 MiB) is the writer's moment.
    let appended = false;
    const r = OPS.md5(path, () => {
      if (!appended) appendFileSync(path, "more");
      appended = true;
    });
    expect(appended).toBe(true);
    expect(r).toEqual({ changed: true });
    // Left alone, the same file hashes normally.
    const whole = Buffer.concat([Buffer.alloc(65 * 2 ** 20, 7), Buffer.from("more")]);
    expect(OPS.md5(path, () => undefined)).toEqual({ md5: new Bun.CryptoHasher("md5").update(whole).digest("hex"), size: whole.length });
  });
});

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`import of a changing file [${backend}]`, () => {
    test("appended between hash and size stat: not registered, request left open; the next run registers the final bytes", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      await idx.db.run("UPDATE storagenode SET io_class = ?, io_config = ? WHERE id = ?", ["Meddling", '{"append": " tail"}', node.id]);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      const rel = "2025/02/21/23/1324.dat";
      writeFileSync(join(root, rel), "head");
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 });
      const extra = `extensions:\n  - pattern_importer\n  - ${FIXTURE}\n`;

      const r1 = await runServe(idx, { extra });
      expect(r1.code).toBe(0);
      expect(r1.messages).toContain(`INFO Not importing "${rel}": file changed during import.`);
      expect(await idx.db.all("SELECT id FROM archivefile")).toEqual([]);
      expect(await idx.db.all("SELECT id FROM archivefilecopy")).toEqual([]);
      const open = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(open!.completed)).toBe(0);

      // The writer is done: the still-open scan registers size and MD5 of "head tail".
      const r2 = await runServe(idx, { extra });
      expect(r2.messages).toContain(`INFO Completed import request #${req.id}.`);
      const f = await idx.db.get<{ size_b: number; md5sum: string }>("SELECT size_b, md5sum FROM archivefile");
      expect({ size_b: Number(f!.size_b), md5sum: f!.md5sum }).toEqual({ size_b: 9, md5sum: md5("head tail") });
    });

    test("a file removed just before its hash is left undecided instead of ending the daemon", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      await idx.db.run("UPDATE storagenode SET io_class = ?, io_config = ? WHERE id = ?", ["Meddling", '{"remove": true}', node.id]);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21"), { recursive: true });
      const rel = "2025/02/21/meta.txt";
      writeFileSync(join(root, rel), "meta");
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: rel, register: 1 });
      const r = await runServe(idx, { extra: `extensions:\n  - pattern_importer\n  - ${FIXTURE}\n` });
      // Before: filesize() threw ENOENT in the task, a global abort (exit 1).
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`WARNING MD5 sum check for ${join(root, rel)} failed: file not found.`);
      expect(r.messages).toContain(`INFO Not importing "${rel}": could not be read.`);
      expect(await idx.db.all("SELECT id FROM archivefile")).toEqual([]);
      const open = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]);
      expect(Number(open!.completed)).toBe(0);
    });
  });
}
