// Imports of a big scan in batches (engine/import/batch.ts, scan.ts above BATCH_ABOVE;
// fs/threads/import-ops.ts: importFacts): one task and one fs-thread round trip for many files,
// each decided as the per-file task decides it, with its log lines and rows, and each settling
// the scan request on its own.

import { describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { matchWithTypes, readPatternTypes } from "../../src/engine/extensions/pattern-detect.ts";
import { importFacts } from "../../src/engine/fs/threads/import-ops.ts";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

const md5 = (b: Buffer | string) => new Bun.CryptoHasher("md5").update(b).digest("hex");

/** `n` 1 KiB files named as the demo's patterns want, under acquisitions 2025/03/01…; rel → bytes. */
function writeFiles(root: string, n: number, perAcq = 60): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) {
    const acq = `2025/03/${String(1 + Math.floor(i / perAcq)).padStart(2, "0")}`;
    const j = i % perAcq;
    const rel = `${acq}/${String(Math.floor(j / 60)).padStart(2, "0")}/${String(j % 60).padStart(2, "0")}00.dat`;
    mkdirSync(join(root, rel, ".."), { recursive: true });
    const bytes = randomBytes(1024);
    writeFileSync(join(root, rel), bytes);
    out.set(rel, bytes);
  }
  return out;
}

async function fileRows(idx: TestIndex) {
  const rows = await idx.db.all<{ acq: string; name: string; size_b: number; md5sum: string; has_file: string; csize: number }>(
    `SELECT a.name AS acq, f.name, f.size_b, f.md5sum, c.has_file, c.size_b AS csize FROM archivefile f JOIN archiveacq a ON a.id = f.acq_id
       LEFT JOIN archivefilecopy c ON c.file_id = f.id`,
  );
  return new Map(rows.map((r) => [`${r.acq}/${r.name}`, { size: Number(r.size_b), md5: r.md5sum, has: r.has_file, used: Number(r.csize) }]));
}

const completed = async (idx: TestIndex, id: number) =>
  Number((await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [id]))!.completed);

const importTasks = (messages: string[]) => messages.filter((m) => m.startsWith("INFO Beginning task Import "));

describe("importFacts (fs thread)", () => {
  test("confine, lstat, lock, MD5 when asked; a file appended to while hashed is `hash-changed`; the byte cap leaves the rest for later", () => {
    using dir = tempDir("import-facts");
    const root = dir.join("root");
    mkdirSync(join(root, "a"), { recursive: true });
    writeFileSync(join(root, "a/one"), "one");
    writeFileSync(join(root, "a/two"), "two");
    writeFileSync(join(root, "a/locked"), "x");
    writeFileSync(join(root, "a/.locked.lock"), "");
    writeFileSync(dir.join("secret"), "s");
    symlinkSync(dir.join("secret"), join(root, "a/out"));
    symlinkSync(join(root, "a/one"), join(root, "a/in"));
    writeFileSync(join(root, "a/big"), Buffer.alloc(40 << 20, 1));
    let appended = false;
    const facts = importFacts(
      root,
      [
        { rel: "a/one", hash: true },
        { rel: "a/two", hash: false },
        { rel: "a/locked", hash: true },
        { rel: "a/out", hash: true },
        { rel: "a/in", hash: true },
        { rel: "a/missing", hash: true },
        { rel: "../secret", hash: true },
        { rel: "a/big", hash: true },
      ],
      1 << 30,
      (b) => {
        // The first report inside the big file's hash (32 MiB): a writer appends.
        if (b >= 32 << 20 && !appended) appendFileSync(join(root, "a/big"), "more");
        if (b >= 32 << 20) appended = true;
      },
    );
    expect(appended).toBe(true);
    expect(facts.map((f) => f.state)).toEqual(["file", "file", "locked", "outside", "non-file", "non-file", "outside", "hash-changed"]);
    expect(facts[0]).toMatchObject({ size: 3, md5: md5("one") });
    expect(facts[1]).toMatchObject({ size: 3, md5: null });

    // Past the cap (here: after the first file hashed), the rest waits.
    const capped = importFacts(
      root,
      [
        { rel: "a/one", hash: true },
        { rel: "a/two", hash: true },
      ],
      1,
      () => undefined,
    );
    expect(capped.map((f) => f.state)).toEqual(["file", "later"]);
  });
});

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`batched imports [${backend}]`, () => {
    test("a scan of 150 files: one batch task, every file registered with its lines and rows, the request completed", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const files = writeFiles(root, 150);
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: ".", recurse: 1, register: 1 });

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      const rels = [...files.keys()].sort();
      expect(importTasks(r.messages)).toEqual([`INFO Beginning task Import ${rels[0]} (+149 more) on demo_storage1`]);
      for (const acq of ["2025/03/01", "2025/03/02", "2025/03/03"]) expect(r.messages.filter((m) => m === `INFO Acquisition "${acq}" added to DB.`)).toHaveLength(1);
      for (const rel of rels) {
        expect(r.messages).toContain(`INFO File "${rel}" added to DB.`);
        expect(r.messages).toContain(`INFO Imported file copy "${rel}" on node "demo_storage1".`);
      }
      const rows = await fileRows(idx);
      expect(rows.size).toBe(150);
      for (const [rel, bytes] of files) expect(rows.get(rel)).toMatchObject({ size: 1024, md5: md5(bytes), has: "Y" });
      // The pattern_importer's rows, written set-wise: each file and each acquisition once, with
      // the type its per-file detection gives.
      const types = await readPatternTypes(idx.db);
      const fileData = await idx.db.all<{ path: string; type_id: number }>(
        "SELECT a.name || '/' || f.name AS path, d.type_id FROM filedata d JOIN archivefile f ON f.id = d.file_id JOIN archiveacq a ON a.id = f.acq_id",
      );
      expect(fileData.map((r) => [r.path, Number(r.type_id)]).sort()).toEqual(rels.map((rel) => [rel, matchWithTypes(types, rel)!.fileTypeId]).sort());
      const acqData = await idx.db.all<{ name: string; type_id: number }>("SELECT a.name, d.type_id FROM acqdata d JOIN archiveacq a ON a.id = d.acq_id ORDER BY a.name");
      expect(acqData.map((r) => [r.name, Number(r.type_id)])).toEqual(["2025/03/01", "2025/03/02", "2025/03/03"].map((a) => [a, matchWithTypes(types, rels.find((r) => r.startsWith(`${a}/`))!)!.acqTypeId]));
      expect(r.messages).toContain(`INFO Completed import request #${req.id}.`);
    });

    test("a mixed batch: locked and changing files left undecided (request open), a dot file refused, registered files not hashed again", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const files = writeFiles(root, 150);
      const rels = [...files.keys()].sort();
      const [locked, held, onNode] = [rels[10]!, rels[70]!, rels[130]!];
      writeFileSync(join(root, locked.replace(/[^/]+$/, (n) => `.${n}.lock`)), "");
      const dot = "2025/03/01/00/.5900.dat";
      writeFileSync(join(root, dot), "hidden");
      // Registered, not on this node (a stale MD5 the import must not replace), and one already on this node.
      const acq2 = await seed.acq(idx.db, { name: "2025/03/02" });
      const acq3 = await seed.acq(idx.db, { name: "2025/03/03" });
      await seed.file(idx.db, { acq_id: acq2.id, name: held.slice("2025/03/02/".length), size_b: 1024, md5sum: "0".repeat(32) });
      const f2 = await seed.file(idx.db, { acq_id: acq3.id, name: onNode.slice("2025/03/03/".length), size_b: 1024, md5sum: md5(files.get(onNode)!) });
      await seed.copy(idx.db, { file_id: f2.id, node_id: node.id, has_file: "Y", wants_file: "Y" });
      // A big file a writer appends to all along: every hash of it sees it change.
      const changing = "2025/03/01/23/5959.dat";
      mkdirSync(join(root, "2025/03/01/23"), { recursive: true });
      writeFileSync(join(root, changing), Buffer.alloc(48 << 20, 2));
      const writer = Bun.spawn(["sh", "-c", `while :; do printf x >> '${join(root, changing)}'; sleep 0.002; done`]);
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: ".", recurse: 1, register: 1 });
      let r;
      try {
        r = await runServe(idx);
      } finally {
        writer.kill();
        await writer.exited;
      }
      expect(r.code).toBe(0);
      // 150, the lock file, the dot file and the changing one, less the one on the node: 152 in
      // one batch, the lock file first (walk order: sorted, files before directories).
      const lockFile = locked.replace(/[^/]+$/, (n) => `.${n}.lock`);
      expect(importTasks(r.messages)).toEqual([`INFO Beginning task Import ${lockFile} (+151 more) on demo_storage1`]);
      expect(r.messages).toContain(`INFO Skipping "${locked}": locked.`);
      expect(r.messages).toContain(`INFO Not importing "${dot}": filename starts with a dot.`);
      expect(
        r.messages.includes(`INFO Not importing "${changing}": could not be read.`) || r.messages.includes(`INFO Not importing "${changing}": file changed during import.`),
      ).toBe(true);
      expect(r.messages).toContain(`INFO Imported file copy "${held}" on node "demo_storage1".`);
      expect(r.messages).not.toContain(`INFO File "${held}" added to DB.`);
      expect(r.messages.filter((m) => m.includes(onNode))).toEqual([]);
      const rows = await fileRows(idx);
      // Registered: all but the locked one; the held file keeps its registered MD5.
      expect(rows.size).toBe(149);
      expect(rows.has(locked)).toBe(false);
      expect(rows.has(changing)).toBe(false);
      expect(rows.get(held)).toMatchObject({ md5: "0".repeat(32), has: "Y" });
      expect(rows.get(rels[0]!)).toMatchObject({ size: 1024, md5: md5(files.get(rels[0]!)!), has: "Y" });
      expect(await completed(idx, req.id)).toBe(0);

      // Unlocked, writer gone: the still-open request completes with the last two files.
      rmSync(join(root, lockFile));
      const r2 = await runServe(idx);
      expect(r2.messages).toContain(`INFO Imported file copy "${locked}" on node "demo_storage1".`);
      expect(r2.messages).toContain(`INFO Imported file copy "${changing}" on node "demo_storage1".`);
      expect(await completed(idx, req.id)).toBe(1);
      expect((await fileRows(idx)).size).toBe(151);
    });

    test("100 files keep a task each", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const files = writeFiles(root, 100);
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: ".", recurse: 1, register: 1 });
      const r = await runServe(idx);
      expect(r.code).toBe(0);
      const tasks = importTasks(r.messages);
      expect(tasks).toHaveLength(100);
      expect(tasks.filter((t) => t.includes("more)"))).toEqual([]);
      expect((await fileRows(idx)).size).toBe(100);
      expect(files.size).toBe(100);
      expect(r.messages).toContain(`INFO Completed import request #${req.id}.`);
    });
  });
}
