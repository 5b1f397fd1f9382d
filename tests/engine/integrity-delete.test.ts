// Deletion by the daemon on real files (alpenhorn/io/default/delete.py and
// tests/io/default/test_delete.py at 632dd41; the configurable archive-copy rule and the
// in-task re-check are upstream's, later than 632dd41: 89943e0): released copies are removed
// only with enough healthy archive copies elsewhere, empty directories go up to (never
// including) the root, a symlink is removed itself, nothing outside the root is touched.

import { expect, test } from "bun:test";
import { existsSync, lstatSync, readFileSync, symlinkSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "../../src/cli.ts";
import { memoryIO } from "../../src/commands/_shared/io.ts";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { confFile, demoIndex, runServe } from "./_daemon.ts";
import { archiveCopies, copyState, nodeWithFiles } from "./_integrity.ts";

const release = (idx: TestIndex, id: number) => idx.db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE id = ?", [id]);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`deletion [${backend}]`, () => {
    test("refused with 0 and 1 healthy archive copies elsewhere, done at 2; directories emptied up to the root", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, { "23/1324.dat": "0123456789ab" });
      const { fileId, copyId, rel } = reg["23/1324.dat"]!;
      await release(idx, copyId);

      let r = await runServe(idx);
      expect(r.messages).toContain(`INFO Beginning task Delete copies [${copyId}] from demo_storage1`);
      expect(r.messages).toContain("WARNING Too few archive copies (0) to delete 2025/02/21/23/1324.dat on demo_storage1.");
      expect(existsSync(join(root, rel))).toBe(true);
      expect(await copyState(idx, copyId)).toMatchObject({ has_file: "Y", wants_file: "N" });

      // One healthy archive copy, plus suspect and corrupt ones that do not count.
      await archiveCopies(idx, ["arch1"], [fileId]);
      await archiveCopies(idx, ["arch_suspect"], [fileId], "M");
      await archiveCopies(idx, ["arch_corrupt"], [fileId], "X");
      r = await runServe(idx);
      expect(r.messages).toContain("WARNING Too few archive copies (1) to delete 2025/02/21/23/1324.dat on demo_storage1.");
      expect(existsSync(join(root, rel))).toBe(true);

      await archiveCopies(idx, ["arch2"], [fileId]);
      r = await runServe(idx);
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/23/1324.dat on demo_storage1");
      for (const d of ["2025/02/21/23", "2025/02/21", "2025/02", "2025"]) expect(r.messages).toContain(`INFO Removed directory ${join(root, d)} on demo_storage1`);
      expect(existsSync(join(root, "2025"))).toBe(false);
      expect(existsSync(root)).toBe(true);
      expect(existsSync(join(root, "ALPENHORN_NODE"))).toBe(true);
      expect(await copyState(idx, copyId)).toMatchObject({ has_file: "N", wants_file: "N" });
    });

    test("more than a hundred released copies: tasks of a hundred, one of them refused", async () => {
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`${Math.floor(i / 50)}/f${i}`, `f${i}`]));
      const { root, reg } = await nodeWithFiles(idx, files);
      const copies = Object.values(reg);
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'N'");
      // Every file has two archive copies elsewhere, except the 120th.
      const refused = copies[120]!;
      await archiveCopies(idx, ["arch1", "arch2"], copies.filter((c) => c !== refused).map((c) => c.fileId));
      const r = await runServe(idx, { daemon: "  num_workers: 2\n" });
      expect(r.code).toBe(0);
      const ids = copies.map((c) => c.copyId);
      expect(r.messages).toContain(`INFO Beginning task Delete copies [${ids.slice(0, 100).join(", ")}] from demo_storage1`);
      expect(r.messages).toContain(`INFO Beginning task Delete copies [${ids.slice(100).join(", ")}] from demo_storage1`);
      expect(r.messages).toContain(`WARNING Too few archive copies (0) to delete ${refused.rel} on demo_storage1.`);
      expect(r.messages.filter((m) => m.startsWith("INFO Removed file copy "))).toHaveLength(149);
      for (const c of copies) {
        expect(existsSync(join(root, c.rel))).toBe(c === refused);
        expect((await copyState(idx, c.copyId)).has_file).toBe(c === refused ? "Y" : "N");
      }
    });

    test("daemon.archive_copy_count: 3 needs three; the copy on an archive node itself never counts", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, { a: "a" }, { archive: true });
      const { fileId, copyId, rel } = reg.a!;
      await release(idx, copyId);
      await archiveCopies(idx, ["arch1", "arch2"], [fileId]);
      let r = await runServe(idx, { daemon: "  archive_copy_count: 3\n" });
      expect(r.messages).toContain("WARNING Too few archive copies (2) to delete 2025/02/21/a on demo_storage1.");
      expect(existsSync(join(root, rel))).toBe(true);
      await archiveCopies(idx, ["arch3"], [fileId]);
      r = await runServe(idx, { daemon: "  archive_copy_count: 3\n" });
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/a on demo_storage1");
      expect(await copyState(idx, copyId)).toMatchObject({ has_file: "N", wants_file: "N" });
    });

    test("a copy that a pending transfer reads from is kept", async () => {
      await using idx = await demoIndex(backend);
      const { root, node, reg } = await nodeWithFiles(idx, { a: "a" });
      const { fileId, copyId, rel } = reg.a!;
      await release(idx, copyId);
      const [arch] = await archiveCopies(idx, ["arch1", "arch2"], [fileId]);
      await seed.copyRequest(idx.db, { file_id: fileId, node_from_id: node.id, group_to_id: arch!.group_id });
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO Skipping delete of 2025/02/21/a on node demo_storage1: transfer pending");
      expect(existsSync(join(root, rel))).toBe(true);
    });

    test("a symlink in place of a copy is removed itself; its target is untouched", async () => {
      await using idx = await demoIndex(backend);
      using outside = tempDir("outside");
      outside.write({ "precious.dat": "keep me" });
      const { root, reg } = await nodeWithFiles(idx, { "23/x.dat": "x" });
      const { fileId, copyId, rel } = reg["23/x.dat"]!;
      rmSync(join(root, rel));
      symlinkSync(outside.join("precious.dat"), join(root, rel));
      await release(idx, copyId);
      await archiveCopies(idx, ["arch1", "arch2"], [fileId]);
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/23/x.dat on demo_storage1");
      expect(() => lstatSync(join(root, rel))).toThrow();
      expect(readFileSync(outside.join("precious.dat"), "utf8")).toBe("keep me");
    });

    test("a registered name leaving the root is refused; nothing outside is removed and the copy keeps its state", async () => {
      await using idx = await demoIndex(backend);
      const { root, node, acq } = await nodeWithFiles(idx, {});
      writeFileSync(join(root, "../victim.dat"), "not yours");
      const file = await seed.file(idx.db, { name: "../../../../victim.dat", acq_id: acq.id, size_b: 9 });
      const copy = await seed.copy(idx.db, { file_id: file.id, node_id: node.id, has_file: "Y", wants_file: "N" });
      await archiveCopies(idx, ["arch1", "arch2"], [file.id]);
      const r = await runServe(idx);
      expect(r.messages.some((m) => m.startsWith("WARNING Error deleting 2025/02/21/../../../../victim.dat: not inside node root"))).toBe(true);
      expect(readFileSync(join(root, "../victim.dat"), "utf8")).toBe("not yours");
      expect(await copyState(idx, copy.id)).toMatchObject({ has_file: "Y", wants_file: "N" });
    });

    test("a deletion claimed before a crash is finished on the next run", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, { a: "a" });
      const { fileId, copyId, rel } = reg.a!;
      await archiveCopies(idx, ["arch1", "arch2"], [fileId]);
      // What a daemon killed between its claim and the file's removal leaves behind.
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M', wants_file = 'N' WHERE id = ?", [copyId]);
      rmSync(join(root, rel));
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO File copy 2025/02/21/a missing on demo_storage1 during delete");
      expect(r.messages.some((m) => m.includes("Checking copy"))).toBe(false);
      expect(await copyState(idx, copyId)).toMatchObject({ has_file: "N", wants_file: "N" });
    });

    test("below min_avail_gb a non-archive node deletes removable copies; an archive node never does", async () => {
      await using idx = await demoIndex(backend);
      const { root, node, reg } = await nodeWithFiles(idx, { a: "a", b: "b" });
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'M' WHERE node_id = ?", [node.id]);
      await archiveCopies(idx, ["arch1", "arch2"], [reg.a!.fileId, reg.b!.fileId]);
      // More free space wanted than any disk has: always under the minimum.
      await idx.db.run("UPDATE storagenode SET min_avail_gb = 1e9, storage_type = 'A' WHERE id = ?", [node.id]);
      let r = await runServe(idx);
      expect(r.messages.some((m) => m.startsWith("INFO Hit minimum available space"))).toBe(false);
      expect(existsSync(join(root, reg.a!.rel))).toBe(true);
      await idx.db.run("UPDATE storagenode SET storage_type = 'F' WHERE id = ?", [node.id]);
      r = await runServe(idx);
      expect(r.messages.some((m) => /^INFO Hit minimum available space on demo_storage1 -- will attempt to free [\d.]+ [kMGTPE]iB\.$/.test(m))).toBe(true);
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/a on demo_storage1");
      expect(r.messages).toContain("INFO Removed file copy 2025/02/21/b on demo_storage1");
      expect(await copyState(idx, reg.a!.copyId)).toMatchObject({ has_file: "N", wants_file: "N" });
    });
  });
}

test("archive_copy_count below 2 stops the daemon at start-up unless --disable-archive-integrity", async () => {
  await using idx = await demoIndex("sqlite");
  const conf = confFile(idx, "", "  archive_copy_count: 1\n");
  let io = memoryIO();
  let code = await runCli(["--test-isolation", "-c", conf, "serve", "--once"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
  expect(code).toBe(1);
  expect(io.err).toContain('ERROR >> [MainThread] Config parameter "daemon.archive_copy_count" too small to guarantee archive integrity');
  expect(io.err.endsWith("Error: FATAL.  Data protection rules not satisfied and --disable-archive-integrity not used.\n")).toBe(true);
  io = memoryIO();
  code = await runCli(["--test-isolation", "-c", conf, "serve", "--once", "--disable-archive-integrity"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
  expect(code).toBe(0);
  expect(io.err).toContain('Config parameter "daemon.archive_copy_count" too small to guarantee archive integrity');
  expect(io.err).toContain("Update complete.  Exiting.");
});
