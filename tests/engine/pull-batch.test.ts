// Local pulls in batches (engine/pull/queue.ts, batch.ts; io/default/pull.ts: pullBatchInto):
// more than BATCH_ABOVE hard-linkable pulls from one source queued by one group update go in
// one task, each file with its own outcome, log lines and booking — the successes in one
// transaction; a few keep alpenhorn's task each.

import { expect, test } from "bun:test";
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { demoIndex, runServe } from "./_daemon.ts";
import { copyState } from "./_integrity.ts";
import { copyOn, leftovers, request, requestRow, twoNodes } from "./_pull.ts";

const names = (n: number) => Array.from({ length: n }, (_, i) => `${String(Math.floor(i / 50)).padStart(2, "0")}/f${i}.dat`);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`batched local pulls [${backend}]`, () => {
    test("150 files: one task, 150 hard links, 150 completions, no leftovers", async () => {
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(names(150).map((n, i) => [n, `contents of file ${i}\n`]));
      const { src, dst } = await twoNodes(idx, files, { source: "A", dest: "A" });
      const ids: number[] = [];
      for (const n of names(150)) ids.push(await request(idx, src.reg[n]!.fileId, src.node.id, dst.group.id));

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`INFO Beginning task AFCR#${ids[0]} (+149 more): demo_storage1 -> demo_storage2`);
      // With no workers the main thread runs it: alpenhorn's line has no colon there.
      expect(r.messages).toContain(`INFO Finished task AFCR#${ids[0]} (+149 more): demo_storage1 -> demo_storage2`);
      expect(r.messages.filter((m) => m.startsWith("INFO Beginning task AFCR#"))).toHaveLength(1);
      expect(r.messages.filter((m) => m.startsWith("INFO Hardlinked local file 2025/02/21/"))).toHaveLength(150);
      expect(r.messages.filter((m) => /^INFO Pull of 2025\/02\/21\/\d\d\/f\d+\.dat complete\. Transferred \d+ B in \d+\.\ds/.test(m))).toHaveLength(150);
      // Three directories, each announced once.
      for (const d of ["00", "01", "02"]) expect(r.messages.filter((m) => m === `INFO Creating directory "${join(dst.root, "2025/02/21", d)}".`)).toHaveLength(1);
      for (const [i, n] of names(150).entries()) {
        const { fileId, rel } = src.reg[n]!;
        expect(statSync(join(dst.root, rel)).ino).toBe(statSync(join(src.root, rel)).ino);
        expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y", ready: 1 });
        const req = await requestRow(idx, ids[i]!);
        expect(req).toMatchObject({ completed: 1, cancelled: 0 });
        expect(req.transfer_completed! >= req.transfer_started!).toBe(true);
      }
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("one batch, three outcomes: linked, already on disk (checked instead), source not the registered file (suspect)", async () => {
      await using idx = await demoIndex(backend);
      // a, b and c come first, then enough others to make a batch.
      const others = Object.fromEntries(names(110).map((n) => [`x/${n}`, n]));
      const { src, dst } = await twoNodes(idx, { "a.dat": "aaaa", "b.dat": "bbbb", "c.dat": "cccc", "d.dat": "dddd", ...others }, { source: "A", dest: "A" });
      const [a, b, c, d] = [src.reg["a.dat"]!, src.reg["b.dat"]!, src.reg["c.dat"]!, src.reg["d.dat"]!];
      // A file is already where b would go; c's source no longer has the registered size.
      mkdirSync(dirname(join(dst.root, b.rel)), { recursive: true });
      writeFileSync(join(dst.root, b.rel), "something else");
      writeFileSync(join(src.root, c.rel), "cccc and more");
      // d's source was rewritten at the registered size: only its MD5 tells.
      writeFileSync(join(src.root, d.rel), "DDDD");
      const ids = [await request(idx, a.fileId, src.node.id, dst.group.id), await request(idx, b.fileId, src.node.id, dst.group.id), await request(idx, c.fileId, src.node.id, dst.group.id)];
      const dId = await request(idx, d.fileId, src.node.id, dst.group.id);
      for (const n of Object.keys(others)) await request(idx, src.reg[n]!.fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`INFO Beginning task AFCR#${ids[0]} (+113 more): demo_storage1 -> demo_storage2`);
      expect(r.messages).toContain(`ERROR MD5 mismatch on node demo_storage2; Marking source file d.dat on node demo_storage1 suspect.`);
      expect(await copyOn(idx, d.fileId, dst.node.id)).toBeUndefined();
      expect(existsSync(join(dst.root, d.rel))).toBe(false);
      expect(await requestRow(idx, dId)).toMatchObject({ completed: 0, cancelled: 0 });
      expect(r.messages).toContain(`INFO Hardlinked local file ${a.rel}`);
      expect(await copyOn(idx, a.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
      expect(await requestRow(idx, ids[0]!)).toMatchObject({ completed: 1 });

      expect(r.messages).toContain(`WARNING Skipping pull request for ${b.rel}: file already on disk on node demo_storage2.`);
      expect(await copyOn(idx, b.fileId, dst.node.id)).toMatchObject({ has_file: "M" });
      expect(await requestRow(idx, ids[1]!)).toMatchObject({ completed: 0, cancelled: 0 });

      expect(r.messages).toContain(`ERROR MD5 mismatch on node demo_storage2; Marking source file ${c.rel.split("/").pop()} on node demo_storage1 suspect.`);
      expect(await copyState(idx, c.copyId)).toMatchObject({ has_file: "M" });
      expect(await copyOn(idx, c.fileId, dst.node.id)).toBeUndefined();
      expect(await requestRow(idx, ids[2]!)).toMatchObject({ completed: 0, cancelled: 0 });
      for (const n of Object.keys(others)) expect(await copyOn(idx, src.reg[n]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("links a killed run made but did not book are booked, not taken for foreign files", async () => {
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(names(120).map((n) => [n, n]));
      const { src, dst } = await twoNodes(idx, files, { source: "A", dest: "A" });
      const ids: number[] = [];
      for (const n of names(120)) ids.push(await request(idx, src.reg[n]!.fileId, src.node.id, dst.group.id));
      for (const n of names(120).slice(0, 5)) {
        const rel = src.reg[n]!.rel;
        mkdirSync(dirname(join(dst.root, rel)), { recursive: true });
        linkSync(join(src.root, rel), join(dst.root, rel));
      }
      const r = await runServe(idx);
      expect(r.messages.some((m) => m.includes("file already on disk"))).toBe(false);
      for (const [i, n] of names(120).entries()) {
        expect(await copyOn(idx, src.reg[n]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
        expect(await requestRow(idx, ids[i]!)).toMatchObject({ completed: 1 });
      }
    });

    test("hostile names in a batch travel intact and never reach a shell", async () => {
      await using idx = await demoIndex(backend);
      const hostile = ["sp ace.dat", "q'uo\"te.dat", "$(touch pwned).dat", "semi;colon|pipe.dat", "-rf.dat", "new\nline.dat", "`tick` & * > ( \\.dat"];
      const files: Record<string, string> = Object.fromEntries([...hostile.map((n, i) => [`d -${i}/${n}`, `content ${i}`]), ...names(110).map((n) => [n, n])]);
      const { src, dst } = await twoNodes(idx, files, { source: "A", dest: "A" });
      for (const reg of Object.values(src.reg)) await request(idx, reg.fileId, src.node.id, dst.group.id);
      const r = await runServe(idx);
      expect(r.messages.some((m) => /^INFO Beginning task AFCR#\d+ \(\+116 more\)/.test(m))).toBe(true);
      for (const [name, text] of Object.entries(files)) {
        expect(readFileSync(join(dst.root, "2025/02/21", name), "utf8")).toBe(text);
        expect(await copyOn(idx, src.reg[name]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
      }
      expect(existsSync(join(idx.dir.path, "pwned"))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("a hundred pulls or fewer keep a task each, as alpenhorn logs them", async () => {
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(names(3).map((n) => [n, n]));
      const { src, dst } = await twoNodes(idx, files, { source: "A", dest: "A" });
      const ids: number[] = [];
      for (const n of names(3)) ids.push(await request(idx, src.reg[n]!.fileId, src.node.id, dst.group.id));
      const r = await runServe(idx);
      for (const id of ids) expect(r.messages).toContain(`INFO Beginning task AFCR#${id}: demo_storage1 -> demo_storage2`);
      expect(r.messages.some((m) => m.includes("more):"))).toBe(false);
      for (const n of names(3)) expect(await copyOn(idx, src.reg[n]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
    });
  });
}
