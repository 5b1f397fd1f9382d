// Remote pulls by the daemon with real rsync over a real sshd on 127.0.0.1
// (alpenhorn/io/default/pull.py: pull_async's remote branch and rsync at 632dd41): the source
// node is on another host (`alpenhost2`) whose username/address lead to the test sshd, and the
// daemon (`alpenhost1`) pulls with rsync, `daemon.rsync_rsh` giving the test's port and key.
// Every received file is verified (MD5) before it is registered; a source changed since its
// registration is never registered; hostile names travel intact; a timeout kills rsync.

import { afterAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import type { TestIndex } from "../helpers/index.ts";
import { runServe } from "./_daemon.ts";
import { demoIndex } from "./_daemon.ts";
import { copyState, md5 } from "./_integrity.ts";
import { copyOn, leftovers, request, requestRow, twoNodes } from "./_pull.ts";

const describeSsh = await describeWithSshd();
afterAll(() => stopSshd());

/** Two nodes, the source moved to host alpenhost2, reachable as user@127.0.0.1 through the test sshd. */
async function remoteNodes(idx: TestIndex, files: Record<string, string>, login = true) {
  const sshd = await startSshd();
  const nodes = await twoNodes(idx, files, { source: "A", dest: "A" });
  await idx.db.run("UPDATE storagenode SET host = 'alpenhost2', username = ?, address = ? WHERE id = ?", [
    login ? sshd.user : null,
    login ? sshd.host : null,
    nodes.src.node.id,
  ]);
  return { ...nodes, daemon: `  rsync_rsh: ${JSON.stringify(sshd.rsh)}\n` };
}

const DEBUG = "logging:\n  level: debug\n";

for (const [backend, describeOn] of await backendSuites()) {
  describeSsh(`remote pulls over rsync/ssh [${backend}]`, () => {
    describeOn(`on ${backend}`, () => {
      test("a remote pull completes: rsync with alpenhorn's arguments, verified, registered with the right MD5", async () => {
        await using idx = await demoIndex(backend);
        const content = randomBytes(300_000).toString("base64");
        const { src, dst, daemon } = await remoteNodes(idx, { "23/1324.dat": content });
        const { fileId, rel } = src.reg["23/1324.dat"]!;
        const id = await request(idx, fileId, src.node.id, dst.group.id);

        const r = await runServe(idx, { daemon, extra: DEBUG });
        expect(r.code).toBe(0);
        expect(r.messages).toContain("INFO Pulling remote file 2025/02/21/23/1324.dat using rsync");
        const run = r.messages.find((m) => m.startsWith("DEBUG Running command [timeout="));
        expect(run).toBeDefined();
        // 300 s + size / 20 MB/s, as Python prints the float.
        expect(run).toContain(`[timeout=${300 + Buffer.byteLength(content) / 20_000_000}]`);
        expect(run).toContain(
          " --compress --rsync-path=ionice -c2 -n4 rsync --rsh=ssh -p ",
        );
        expect(run).toContain(` --quiet --times --protect-args --perms --group --owner --copy-links --sparse root@127.0.0.1:${join(src.root, rel)} ${join(dst.root, "2025/02/21/23")}/.alpentemp`);
        expect(r.messages.some((m) => /^INFO Pull of 2025\/02\/21\/23\/1324\.dat complete\. Transferred /.test(m))).toBe(true);
        const got = readFileSync(join(dst.root, rel));
        expect(md5(got)).toBe(md5(content));
        expect(statSync(join(dst.root, rel)).mtimeMs).toBe(statSync(join(src.root, rel)).mtimeMs);
        expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y", ready: 1 });
        expect(await requestRow(idx, id)).toMatchObject({ completed: 1, cancelled: 0 });
        expect(leftovers(dst.root)).toEqual([]);
      });

      test("a source changed after registration (same size) is never registered: source suspect, nothing left", async () => {
        await using idx = await demoIndex(backend);
        const { src, dst, daemon } = await remoteNodes(idx, { "23/1324.dat": "0123456789ab" });
        const { fileId, copyId, rel } = src.reg["23/1324.dat"]!;
        writeFileSync(join(src.root, rel), "0123456789XX");
        const id = await request(idx, fileId, src.node.id, dst.group.id);

        const r = await runServe(idx, { daemon });
        expect(r.messages).toContain("INFO Pulling remote file 2025/02/21/23/1324.dat using rsync");
        expect(r.messages).toContain("ERROR MD5 mismatch on node demo_storage2; Marking source file 23/1324.dat on node demo_storage1 suspect.");
        expect(r.messages.some((m) => m.startsWith("INFO Pull of"))).toBe(false);
        expect(existsSync(join(dst.root, rel))).toBe(false);
        expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
        expect((await copyState(idx, copyId)).has_file).toBe("M");
        expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
        expect(leftovers(dst.root)).toEqual([]);
      });

      test("hostile names travel intact and never reach a shell", async () => {
        const names = ["sp ace.dat", "q'uo\"te.dat", "$(touch pwned).dat", "semi;colon|pipe.dat", "-rf.dat", "new\nline.dat", "`tick` & * > ( \\.dat"];
        await using idx = await demoIndex(backend);
        const files = Object.fromEntries(names.map((n, i) => [`d -${i}/${n}`, `content ${i}`]));
        const { src, dst, daemon } = await remoteNodes(idx, files);
        const ids = [];
        for (const reg of Object.values(src.reg)) ids.push(await request(idx, reg.fileId, src.node.id, dst.group.id));
        const r = await runServe(idx, { daemon });
        expect(r.code).toBe(0);
        for (const [name, text] of Object.entries(files)) {
          expect(readFileSync(join(dst.root, "2025/02/21", name), "utf8")).toBe(text);
          expect(await copyOn(idx, src.reg[name]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
        }
        for (const id of ids) expect(await requestRow(idx, id)).toMatchObject({ completed: 1 });
        for (const where of [idx.dir.path, src.root, dst.root, process.cwd(), "/root"]) expect(existsSync(join(where, "pwned"))).toBe(false);
        expect(leftovers(dst.root)).toEqual([]);
      });

      test("a timeout kills rsync: `Process overrun`, nothing at the target, the request still pending", async () => {
        await using idx = await demoIndex(backend);
        const content = randomBytes(1 << 20).toString("hex").slice(0, 1 << 20);
        const { src, dst, daemon } = await remoteNodes(idx, { "slow.dat": content });
        const { fileId, rel } = src.reg["slow.dat"]!;
        const id = await request(idx, fileId, src.node.id, dst.group.id);
        // 1 MiB at 64 KiB/s takes 16 s; the timeout is 1 s + 1 MiB / 1 GB/s.
        const limits = `${daemon}  rsync_bwlimit: 64\n  pull_timeout_base: 1\n  pull_bytes_per_second: 1000000000\n`;
        const start = Date.now();
        const r = await runServe(idx, { daemon: limits });
        // Killed at 1 s, with its ssh (its session), not left to drain the 16 s transfer.
        expect(Date.now() - start).toBeLessThan(8_000);
        const overrun = r.messages.find((m) => m.startsWith("WARNING Process overrun [timeout=1.001048576]: rsync --compress"));
        expect(overrun).toBeDefined();
        expect(r.messages).toContain("ERROR Copy failed.  Marking source file suspect.");
        expect(existsSync(join(dst.root, rel))).toBe(false);
        expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
        expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
        expect(leftovers(dst.root)).toEqual([]);
      }, 60_000);

      test("a remote source without username/address is left pending with alpenhorn's log line", async () => {
        await using idx = await demoIndex(backend);
        const { src, dst, daemon } = await remoteNodes(idx, { "a.dat": "a" }, false);
        const id = await request(idx, src.reg["a.dat"]!.fileId, src.node.id, dst.group.id);
        const r = await runServe(idx, { daemon });
        expect(r.messages).toContain("WARNING Skipping request for 2025/02/21/a.dat due to unconfigured route to host for node demo_storage1.");
        expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
        expect(existsSync(join(dst.root, src.reg["a.dat"]!.rel))).toBe(false);
      });
    });
  });
}
