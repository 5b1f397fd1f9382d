// Local pulls by the daemon on real files (alpenhorn/io/default/pull.py, alpenhorn/db/archive.py:
// ArchiveFileCopyRequest.check/finish and tests/io/default/test_pull.py at 632dd41): the
// request is checked, the file hard-linked (same filesystem, same archive kind) or copied
// (other kinds) under a temporary name, verified, renamed over the target and registered with
// the request completed; corruption, symlinks, cancellations and full nodes are refused.

import { expect, test } from "bun:test";
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, runServe, until } from "./_daemon.ts";
import { copyState, md5 } from "./_integrity.ts";
import { copyOn, leftovers, request, requestRow, twoNodes } from "./_pull.ts";

const PULL_LINE = /^INFO Pull of 2025\/02\/21\/23\/1324\.dat complete\. Transferred 12 B in \d+\.\ds \[[\d.]+ [kMGT]?i?B\/s\]$/;

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pulls [${backend}]`, () => {
    test("same archive kind on one filesystem: a hard link, registered, request completed in one go", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: "A", dest: "A" });
      const { fileId, rel } = src.reg["23/1324.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain('INFO Updating group "demo_storage2".');
      expect(r.messages).toContain(`INFO Beginning task AFCR#${id}: demo_storage1 -> demo_storage2`);
      expect(r.messages).toContain(`INFO Creating directory "${join(dst.root, "2025/02/21/23")}".`);
      expect(r.messages).toContain("INFO Hardlinked local file 2025/02/21/23/1324.dat");
      expect(r.messages.some((m) => PULL_LINE.test(m))).toBe(true);
      expect(statSync(join(dst.root, rel)).ino).toBe(statSync(join(src.root, rel)).ino);
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y", ready: 1 });
      const req = await requestRow(idx, id);
      expect(req).toMatchObject({ completed: 1, cancelled: 0 });
      expect(req.transfer_started).not.toBeNull();
      expect(req.transfer_completed! >= req.transfer_started!).toBe(true);
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("other archive kinds: an internal copy, verified, with the source's mode and mtime", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: "F", dest: "A" });
      const { fileId, rel } = src.reg["23/1324.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.messages).toContain("INFO Pulling local file 2025/02/21/23/1324.dat using internal copy");
      expect(r.messages.some((m) => m.startsWith("INFO Hardlinked"))).toBe(false);
      expect(r.messages.some((m) => PULL_LINE.test(m))).toBe(true);
      const [a, b] = [statSync(join(src.root, rel)), statSync(join(dst.root, rel))];
      expect(b.ino).not.toBe(a.ino);
      expect(readFileSync(join(dst.root, rel), "utf8")).toBe("0123456789ab");
      expect(b.mode).toBe(a.mode);
      // futimes takes seconds as a double: equal to within a millisecond.
      expect(Math.abs(b.mtimeMs - a.mtimeMs)).toBeLessThan(1);
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
      expect(await requestRow(idx, id)).toMatchObject({ completed: 1 });
      expect(leftovers(dst.root)).toEqual([]);
    });

    // By copy (other archive kinds) and by hard link (same kind): a link is the source's inode,
    // and is hashed before it is registered too.
    for (const kind of ["F", "A"] as const) test(`a corrupted source (same size, other bytes) is never registered by ${kind === "F" ? "copy" : "hard link"}; the source becomes suspect`, async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: kind, dest: "A" });
      const { fileId, copyId, rel } = src.reg["23/1324.dat"]!;
      writeFileSync(join(src.root, rel), "0123456789XX");
      const id = await request(idx, fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.messages).toContain("ERROR MD5 mismatch on node demo_storage2; Marking source file 23/1324.dat on node demo_storage1 suspect.");
      expect(r.messages.some((m) => m.startsWith("INFO Pull of"))).toBe(false);
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("a hard-linked source of the wrong size is refused before it takes the target name", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: "A", dest: "A" });
      const { fileId, copyId, rel } = src.reg["23/1324.dat"]!;
      writeFileSync(join(src.root, rel), "short");
      await request(idx, fileId, src.node.id, dst.group.id);
      const r = await runServe(idx);
      expect(r.messages.some((m) => m.startsWith("ERROR MD5 mismatch on node demo_storage2"))).toBe(true);
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(leftovers(dst.root)).toEqual([]);
    });

    for (const kind of ["A", "F"] as const) {
      test(`a symlink at the destination is replaced, its target untouched (${kind === "A" ? "hard link" : "copy"})`, async () => {
        await using idx = await demoIndex(backend);
        using outside = tempDir("outside");
        outside.write({ "precious.dat": "keep me" });
        const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: kind, dest: "A" });
        const { fileId, rel } = src.reg["23/1324.dat"]!;
        mkdirSync(dirname(join(dst.root, rel)), { recursive: true });
        symlinkSync(outside.join("precious.dat"), join(dst.root, rel));
        await request(idx, fileId, src.node.id, dst.group.id);

        const r = await runServe(idx);
        expect(r.messages.some((m) => PULL_LINE.test(m))).toBe(true);
        expect(lstatSync(join(dst.root, rel)).isFile()).toBe(true);
        expect(readFileSync(join(dst.root, rel), "utf8")).toBe("0123456789ab");
        expect(readFileSync(outside.join("precious.dat"), "utf8")).toBe("keep me");
      });
    }

    test("a regular file already at the destination is checked, not overwritten", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: "F", dest: "A" });
      const { fileId, rel } = src.reg["23/1324.dat"]!;
      mkdirSync(dirname(join(dst.root, rel)), { recursive: true });
      writeFileSync(join(dst.root, rel), "already here");
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      const r = await runServe(idx);
      expect(r.messages).toContain("WARNING Skipping pull request for 2025/02/21/23/1324.dat: file already on disk on node demo_storage2.");
      expect(readFileSync(join(dst.root, rel), "utf8")).toBe("already here");
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "M", wants_file: "Y" });
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    // Found by the SIGKILL fault matrix (tests/faults/kill.test.ts): a run killed after its
    // rename and before its booking left the pulled file at the target; the restart took it for
    // a foreign file, had it checked and then cancelled the request instead of completing it.
    for (const kind of ["A", "F"] as const) {
      test(`a file a killed pull left at the target (${kind === "A" ? "its hard link" : "its verified copy"}) completes the request`, async () => {
        await using idx = await demoIndex(backend);
        const { src, dst } = await twoNodes(idx, { "23/1324.dat": "0123456789ab" }, { source: kind, dest: "A" });
        const { fileId, rel } = src.reg["23/1324.dat"]!;
        mkdirSync(dirname(join(dst.root, rel)), { recursive: true });
        if (kind === "A") linkSync(join(src.root, rel), join(dst.root, rel));
        else writeFileSync(join(dst.root, rel), "0123456789ab");
        const id = await request(idx, fileId, src.node.id, dst.group.id);
        const r = await runServe(idx);
        expect(r.messages).toContain("INFO File 2025/02/21/23/1324.dat already on disk on node demo_storage2 is the registered file: pull done.");
        expect(r.messages.some((m) => m.includes("file already on disk"))).toBe(false);
        expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
        expect(await requestRow(idx, id)).toMatchObject({ completed: 1, cancelled: 0 });
      });
    }

    test("cancellations: `file sync --cancel`, already in the group, source without the file; one request per file per update", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { a: "a", b: "b", c: "c", d: "d" }, { source: "A", dest: "A" });
      const cli = cliFor(idx);
      const viaCli = await request(idx, src.reg.a!.fileId, src.node.id, dst.group.id);
      const cancelled = await cli(["file", "sync", "--cancel", "2025/02/21/a"]);
      expect(cancelled.code).toBe(0);
      const dup = await request(idx, src.reg.b!.fileId, src.node.id, dst.group.id);
      await seed.copy(idx.db, { file_id: src.reg.b!.fileId, node_id: dst.node.id, has_file: "Y", wants_file: "Y" });
      const missing = await request(idx, src.reg.c!.fileId, src.node.id, dst.group.id);
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'N' WHERE id = ?", [src.reg.c!.copyId]);
      const first = await request(idx, src.reg.d!.fileId, src.node.id, dst.group.id);
      const second = await request(idx, src.reg.d!.fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.messages.some((m) => m.includes(`AFCR#${viaCli}`))).toBe(false);
      expect(existsSync(join(dst.root, src.reg.a!.rel))).toBe(false);
      expect(r.messages).toContain("INFO Cancelling pull request for 2025/02/21/b: already present in group demo_storage2");
      expect(r.messages).toContain(`WARNING Cancelling pull request for 2025/02/21/c:  not available on node demo_storage1 [file_id=${src.reg.c!.fileId}]`);
      // The source node's update names the pending pull whose source copy is missing, and no other.
      expect(r.messages.filter((m) => m.includes("Ignoring ready request"))).toEqual(["INFO Ignoring ready request for 2025/02/21/c on node demo_storage1: not present."]);
      expect(await requestRow(idx, dup)).toMatchObject({ cancelled: 1, completed: 0 });
      expect(await requestRow(idx, missing)).toMatchObject({ cancelled: 1, completed: 0 });
      expect(r.messages.filter((m) => m.startsWith("INFO Beginning task AFCR#"))).toEqual([`INFO Beginning task AFCR#${first}: demo_storage1 -> demo_storage2`]);
      expect(await requestRow(idx, first)).toMatchObject({ completed: 1 });
      // The second request for the same file is cancelled as a duplicate on the next update.
      const again = await runServe(idx);
      expect(again.messages).toContain("INFO Cancelling pull request for 2025/02/21/d: already present in group demo_storage2");
      expect(await requestRow(idx, second)).toMatchObject({ cancelled: 1 });
    });

    test("a request cancelled after it was queued is not pulled", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { a: "a", b: "b" }, { source: "F", dest: "A" });
      const first = await request(idx, src.reg.a!.fileId, src.node.id, dst.group.id);
      const id = await request(idx, src.reg.b!.fileId, src.node.id, dst.group.id);
      const cli = cliFor(idx);
      // The first copy is slowed down (test seam), so the operator's `--cancel` lands while the
      // second request's task waits in the queue.
      process.env.ALPENHORN_TEST_PULL_DELAY_MS = "1500";
      try {
        const r = await runServe(idx, {
          during: async (out) => {
            await until(() => out.messages.includes(`INFO Beginning task AFCR#${first}: demo_storage1 -> demo_storage2`), 20000, "first pull");
            expect((await cli(["file", "sync", "--cancel", "2025/02/21/b"])).code).toBe(0);
            await until(() => out.messages.some((m) => m.includes(`request #${id} was cancelled meanwhile`)), 20000, "second task");
          },
        });
        expect(r.messages).toContain(`INFO Skipping request for 2025/02/21/b: request #${id} was cancelled meanwhile.`);
      } finally {
        delete process.env.ALPENHORN_TEST_PULL_DELAY_MS;
      }
      expect(await requestRow(idx, first)).toMatchObject({ completed: 1 });
      expect(existsSync(join(dst.root, src.reg.b!.rel))).toBe(false);
      expect(await requestRow(idx, id)).toMatchObject({ cancelled: 1, completed: 0 });
    });

    test("free-space guards: min_avail_gb and max_total_gb refuse the pull, the request stays", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { a: "a" }, { source: "A", dest: "A" });
      const id = await request(idx, src.reg.a!.fileId, src.node.id, dst.group.id);
      await idx.db.run("UPDATE storagenode SET min_avail_gb = 1e9 WHERE id = ?", [dst.node.id]);
      let r = await runServe(idx);
      expect(r.messages.some((m) => /^INFO Skipping pull for StorageNode demo_storage2: hit minimum free space: \([\d.]+ GiB < 1000000000\.00 GiB\)$/.test(m))).toBe(true);
      expect(existsSync(join(dst.root, src.reg.a!.rel))).toBe(false);

      // Full: the destination already holds more than max_total_gb.
      const big = await seed.file(idx.db, { name: "big", acq_id: src.acq.id, size_b: 2 * 2 ** 30 });
      await seed.copy(idx.db, { file_id: big.id, node_id: dst.node.id, has_file: "Y", wants_file: "Y" });
      await idx.db.run("UPDATE storagenode SET min_avail_gb = 0, max_total_gb = 1 WHERE id = ?", [dst.node.id]);
      r = await runServe(idx);
      expect(r.messages).toContain("INFO Skipping pull for StorageNode demo_storage2: node full.  (2.00 GiB >= 1.00 GiB)");
      expect(existsSync(join(dst.root, src.reg.a!.rel))).toBe(false);
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("hostile names travel intact, by hard link and by copy", async () => {
      const names = ["sp ace.dat", "q'uo\"te.dat", "$(touch pwned).dat", "semi;colon|pipe.dat", "-rf.dat", "new\nline.dat", "`tick` & * > ( \\.dat"];
      for (const dest of ["A", "F"] as const) {
        await using idx = await demoIndex(backend);
        const files = Object.fromEntries(names.map((n, i) => [`d -${i}/${n}`, `content ${i}`]));
        const { src, dst } = await twoNodes(idx, files, { source: "A", dest });
        const ids = [];
        for (const reg of Object.values(src.reg)) ids.push(await request(idx, reg.fileId, src.node.id, dst.group.id));
        const r = await runServe(idx);
        expect(r.code).toBe(0);
        for (const [name, text] of Object.entries(files)) {
          expect(readFileSync(join(dst.root, "2025/02/21", name), "utf8")).toBe(text);
          expect(await copyOn(idx, src.reg[name]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
        }
        for (const id of ids) expect(await requestRow(idx, id)).toMatchObject({ completed: 1 });
        expect(existsSync(join(idx.dir.path, "pwned"))).toBe(false);
        expect(existsSync("pwned")).toBe(false);
        expect(leftovers(dst.root)).toEqual([]);
        expect(md5(readFileSync(join(dst.root, "2025/02/21", `d -5/${names[5]}`)))).toBe(md5("content 5"));
      }
    });

    test("the tidy-up removes what a killed pull leaves: our temporaries and the placeholder", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await twoNodes(idx, { "23/x.dat": "x" }, { source: "A", dest: "A" });
      const dir = join(dst.root, "2025/02/21/23");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, ".alpentemp.0123456789ab.42"), "partial");
      writeFileSync(join(dir, ".x.dat.placeholder"), "");
      writeFileSync(join(dir, ".alpentempnot-ours-but-our-prefix"), "partial");
      writeFileSync(join(dir, ".hidden-but-not-ours"), "keep");
      void src;
      const r = await runServe(idx);
      expect(r.messages).toContain(`WARNING Removing stale temporary file ${join(dir, ".alpentemp.0123456789ab.42")}`);
      expect(r.messages).toContain(`WARNING Removing stale placeholder ${join(dir, ".x.dat.placeholder")}`);
      expect(leftovers(dst.root)).toEqual([]);
      expect(readFileSync(join(dir, ".hidden-but-not-ours"), "utf8")).toBe("keep");
    });
  });
}
