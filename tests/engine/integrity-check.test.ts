// Integrity checks by the daemon on real files (alpenhorn/io/default/check.py: check_async and
// tests/io/default/test_check.py at 632dd41): suspect copies are checked, size first, then MD5;
// the verdict touches only the columns a check owns; nothing outside the node root is read;
// auto-verify marks old copies suspect. SQLite and MariaDB.

import { expect, test } from "bun:test";
import { appendFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OPS } from "../../src/engine/fs/threads/ops.ts";
import { recordCheckVerdicts } from "../../src/index/queries/integrity.ts";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, runServe } from "./_daemon.ts";
import { copyState, md5, nodeWithFiles } from "./_integrity.ts";

const FILES = { "23/1324.dat": "0123456789ab", "23/1330.dat": "second file", "23/1342.dat": "third", "meta.txt": "meta" };

test("checkFile: an append while the copy is being hashed is `changed`, not a verdict", () => {
  using dir = tempDir("check");
  dir.write({ "a/big.dat": "" });
  writeFileSync(dir.join("a/big.dat"), Buffer.alloc(40 * 2 ** 20, 3));
  let appended = false;
  const facts = OPS.checkFile(dir.path, "a/big.dat", 40 * 2 ** 20, () => {
    if (!appended) appendFileSync(dir.join("a/big.dat"), "x");
    appended = true;
  });
  expect(appended).toBe(true);
  expect(facts).toEqual({ state: "changed" });
  expect(OPS.checkFile(dir.path, "a/big.dat", 1, () => undefined)).toEqual({ state: "size", size: 40 * 2 ** 20 + 1 });
});

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`integrity checks [${backend}]`, () => {
    test("size corruption, same-size content corruption, a missing file and a healthy one", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, FILES);
      writeFileSync(join(root, reg["23/1324.dat"]!.rel), "012345678"); // shorter
      writeFileSync(join(root, reg["23/1330.dat"]!.rel), "SECOND FILE"); // same size, other bytes
      rmSync(join(root, reg["23/1342.dat"]!.rel));
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M'");
      const r = await runServe(idx, { daemon: "  num_workers: 2\n" });
      expect(r.code).toBe(0);
      for (const name of Object.keys(FILES)) expect(r.messages).toContain(`INFO Checking copy "2025/02/21/${name}" on node demo_storage1.`);
      expect(r.messages).toContain("ERROR File 2025/02/21/23/1324.dat on node demo_storage1 is corrupt! Size: 9; expected: 12");
      expect(r.messages).toContain(`ERROR File 2025/02/21/23/1330.dat on node demo_storage1 is corrupt! MD5: ${md5("SECOND FILE")}; expected: ${md5("second file")}`);
      expect(r.messages).toContain("ERROR File 2025/02/21/23/1342.dat on node demo_storage1 is missing!");
      expect(r.messages).toContain("INFO File 2025/02/21/meta.txt on node demo_storage1 is A-OK!");
      expect(r.messages).toContain(`INFO Updating file copy #${reg["meta.txt"]!.copyId} for file 2025/02/21/meta.txt on node demo_storage1.`);
      expect(r.messages).toContain("INFO Beginning task Check file 2025/02/21/meta.txt on demo_storage1");
      expect((await copyState(idx, reg["23/1324.dat"]!.copyId)).has_file).toBe("X");
      expect((await copyState(idx, reg["23/1330.dat"]!.copyId)).has_file).toBe("X");
      expect((await copyState(idx, reg["23/1342.dat"]!.copyId)).has_file).toBe("N");
      const ok = await copyState(idx, reg["meta.txt"]!.copyId);
      expect(ok.has_file).toBe("Y");
      // A healthy copy's size_b becomes the storage it uses (blocks × 512), as alpenhorn records.
      expect(Number(ok.size_b)).toBeGreaterThan(0);
      expect(Number(ok.size_b) % 512).toBe(0);
      // Released copies are not checked; healthy ones are not touched.
      expect(r.messages.filter((m) => m.startsWith("INFO Checking copy")).length).toBe(4);
    });

    test("recovery: a corrupt copy made whole again and re-verified is healthy", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, { "23/1324.dat": "0123456789ab" });
      const { copyId, rel } = reg["23/1324.dat"]!;
      writeFileSync(join(root, rel), "corrupted!!!");
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M' WHERE id = ?", [copyId]);
      await runServe(idx);
      expect((await copyState(idx, copyId)).has_file).toBe("X");
      writeFileSync(join(root, rel), "0123456789ab");
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M' WHERE id = ?", [copyId]);
      const r = await runServe(idx);
      expect(r.messages).toContain("INFO File 2025/02/21/23/1324.dat on node demo_storage1 is A-OK!");
      expect((await copyState(idx, copyId)).has_file).toBe("Y");
    });

    test("a symlink in place of a copy is never followed: corrupt, its target untouched and unread", async () => {
      await using idx = await demoIndex(backend);
      using outside = tempDir("outside");
      outside.write({ "secret.dat": "0123456789ab" });
      const { root, reg } = await nodeWithFiles(idx, { "23/1324.dat": "0123456789ab" });
      const { copyId, rel } = reg["23/1324.dat"]!;
      rmSync(join(root, rel));
      // Same size and content as the registered file: following it would say A-OK.
      symlinkSync(outside.join("secret.dat"), join(root, rel));
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M' WHERE id = ?", [copyId]);
      const r = await runServe(idx);
      expect(r.messages).toContain("ERROR File 2025/02/21/23/1324.dat on node demo_storage1 is corrupt! Not a regular file.");
      expect((await copyState(idx, copyId)).has_file).toBe("X");
    });

    test("a file name leaving the root (`..`) is never read outside it", async () => {
      await using idx = await demoIndex(backend);
      const { root, node, acq } = await nodeWithFiles(idx, {});
      // A file outside the root whose registered name (acq 2025/02/21 + name) climbs out of it,
      // with matching size and MD5: reading it would say A-OK.
      writeFileSync(join(root, "../escape.dat"), "outside");
      const file = await seed.file(idx.db, { name: "../../../../escape.dat", acq_id: acq.id, size_b: 7, md5sum: md5("outside") });
      const copy = await seed.copy(idx.db, { file_id: file.id, node_id: node.id, has_file: "M", wants_file: "Y" });
      const r = await runServe(idx);
      expect(r.messages.some((m) => m.includes("is A-OK!"))).toBe(false);
      expect((await copyState(idx, copy.id)).has_file).toBe("X");
    });

    test("a verdict changes only what a check owns, and never a copy released meanwhile", async () => {
      await using idx = await demoIndex(backend);
      const { reg } = await nodeWithFiles(idx, { a: "a", b: "b" });
      const a = reg.a!.copyId;
      const b = reg.b!.copyId;
      // Someone sets ready = 0 on a, and releases b, while their checks run.
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M', ready = 0 WHERE id = ?", [a]);
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M', wants_file = 'N' WHERE id = ?", [b]);
      const n = await recordCheckVerdicts(idx.db, [{ copyId: a, hasFile: "Y", sizeB: 4096 }, { copyId: b, hasFile: "X" }], "2030-01-01 00:00:00.000000");
      expect(n).toBe(1);
      const sa = await copyState(idx, a);
      expect([sa.has_file, Number(sa.ready), Number(sa.size_b), sa.wants_file]).toEqual(["Y", 0, 4096, "Y"]);
      expect(String(sa.last_update)).toStartWith("2030-01-01 00:00:00");
      const sb = await copyState(idx, b);
      expect([sb.has_file, sb.wants_file]).toEqual(["M", "N"]);
    });

    test("auto-verify marks copies older than auto_verify_min_days suspect, in UTC; the next update checks them", async () => {
      await using idx = await demoIndex(backend);
      const { node, reg } = await nodeWithFiles(idx, { old1: "1", old2: "2", fresh: "3" });
      await idx.db.run("UPDATE storagenode SET auto_verify = 5 WHERE id = ?", [node.id]);
      const eightDays = new Date(Date.now() - 8 * 86_400_000).toISOString().replace("T", " ").replace("Z", "");
      const sixDays = new Date(Date.now() - 6 * 86_400_000).toISOString().replace("T", " ").replace("Z", "");
      await idx.db.run("UPDATE archivefilecopy SET last_update = ? WHERE id IN (?, ?)", [eightDays, reg.old1!.copyId, reg.old2!.copyId]);
      await idx.db.run("UPDATE archivefilecopy SET last_update = ? WHERE id = ?", [sixDays, reg.fresh!.copyId]);
      // The tidy-up's first idle update comes first; auto-verify runs in the same idle update.
      let r = await runServe(idx);
      expect(r.messages).toContain('INFO Auto-verifing copy "2025/02/21/old1" on node demo_storage1.');
      expect(r.messages).toContain('INFO Auto-verifing copy "2025/02/21/old2" on node demo_storage1.');
      expect(r.messages.some((m) => m.includes("fresh"))).toBe(false);
      expect((await copyState(idx, reg.old1!.copyId)).has_file).toBe("M");
      expect((await copyState(idx, reg.fresh!.copyId)).has_file).toBe("Y");
      r = await runServe(idx);
      expect(r.messages).toContain("INFO File 2025/02/21/old1 on node demo_storage1 is A-OK!");
      expect((await copyState(idx, reg.old1!.copyId)).has_file).toBe("Y");
    });
  });
}
