// Remote pulls by the daemon with bbcp (alpenhorn/io/default/pull.py: pull_async's remote branch
// and bbcp at 632dd41). bbcp is not in Debian: tests/fixtures/bbcp/bbcp, a stand-in that copies
// a loopback source and prints `md5 <hex>` on stderr as `bbcp -E %md5=` does, is put first on
// the daemon's PATH, and simulates bbcp's failures on demand (BBCP_STANDIN_MODE). It logs each
// argv (NUL-separated) so the tests see exactly what the daemon ran. The source node is on
// another host (`alpenhost2`) with address 127.0.0.1; the daemon (`alpenhost1`) prefers bbcp
// to rsync. Every received file is verified by our own MD5 as well.

import { afterAll, beforeAll, beforeEach, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import type { TestIndex } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, runServe, until } from "./_daemon.ts";
import { copyState, md5 } from "./_integrity.ts";
import { copyOn, leftovers, request, requestRow, twoNodes } from "./_pull.ts";

const STANDIN_DIR = resolve(import.meta.dir, "../fixtures/bbcp");
const savedPath = process.env.PATH;
const logs = tempDir("bbcp-argv");

// The daemon's commands service looks programs up on, and hands children, this process's
// environment: the stand-in goes first on PATH, its controls in BBCP_STANDIN_*.
beforeAll(() => {
  process.env.PATH = `${STANDIN_DIR}:${savedPath ?? "/usr/bin:/bin"}`;
});
afterAll(() => {
  process.env.PATH = savedPath;
  for (const k of ["BBCP_STANDIN_MODE", "BBCP_STANDIN_LOG", "BBCP_STANDIN_DELAY"]) delete process.env[k];
  logs[Symbol.dispose]();
});

let runs = 0;
/** A fresh argv log directory and the stand-in's mode for the next daemon run. */
function standIn(mode: "ok" | "badmd5" | "nomd5" | "fail" | "hang" | "corrupt", delay = 0): string {
  const dir = logs.join(`run${++runs}`);
  mkdirSync(dir);
  process.env.BBCP_STANDIN_LOG = dir;
  process.env.BBCP_STANDIN_MODE = mode;
  process.env.BBCP_STANDIN_DELAY = String(delay);
  return dir;
}
beforeEach(() => standIn("ok"));

/** Every argv the stand-in was run with (without argv[0]). */
function argvs(dir: string): string[][] {
  return readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8").split("\0").slice(0, -1));
}

/** Two nodes, the source on host alpenhost2 at user@127.0.0.1 (the stand-in's loopback source). */
async function remoteNodes(idx: TestIndex, files: Record<string, string>) {
  const nodes = await twoNodes(idx, files, { source: "A", dest: "A" });
  await idx.db.run("UPDATE storagenode SET host = 'alpenhost2', username = 'alpen', address = '127.0.0.1' WHERE id = ?", [nodes.src.node.id]);
  return nodes;
}

const DEBUG = "logging:\n  level: debug\n";
const OPTIONS = ["-V", "-f", "-z", "--port", "4200", "-W", "4M", "-s", "16", "-e", "-E", "%md5="];
const TEMP_TARGET = /\/\.alpentemp\.[0-9a-f]{12}\.\d+\/[^/]+$/;

/** The Running-command lines of bbcp, with the flow that ran each. */
const bbcpRuns = (lines: string[]) =>
  lines.flatMap((l) => {
    const m = /DEBUG >> \[([^\]]+)\] Running command \[timeout=[^\]]+\]: (bbcp [\s\S]*)$/.exec(l);
    return m ? [{ flow: m[1]!, cmd: m[2]! }] : [];
  });

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`remote pulls by bbcp [${backend}]`, () => {
    test("a pull completes: bbcp with alpenhorn's arguments into our temporary, both MD5s checked, registered", async () => {
      await using idx = await demoIndex(backend);
      const content = randomBytes(300_000).toString("base64");
      const { src, dst } = await remoteNodes(idx, { "23/1324.dat": content });
      const { fileId, copyId, rel } = src.reg["23/1324.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      const log = standIn("ok");

      const r = await runServe(idx, { extra: DEBUG });
      expect(r.code).toBe(0);
      expect(r.messages).toContain("INFO Pulling remote file 2025/02/21/23/1324.dat using bbcp");
      const [argv, ...more] = argvs(log);
      expect(more).toEqual([]);
      expect(argv!.slice(0, -2)).toEqual(OPTIONS);
      expect(argv![12]).toBe(`alpen@127.0.0.1:${join(src.root, rel)}`);
      // Never the target itself: a name in a private directory of ours beside it.
      expect(argv![13]!.startsWith(`${join(dst.root, "2025/02/21/23")}/.alpentemp.`)).toBe(true);
      expect(argv![13]).toMatch(TEMP_TARGET);
      expect(argv![13]!.endsWith("/1324.dat")).toBe(true);
      // Serial I/O runs on the main flow: port 4200; the timeout is alpenhorn's.
      const [run] = bbcpRuns(r.lines);
      expect(run).toEqual({ flow: "MainThread", cmd: ["bbcp", ...argv!].join(" ") });
      expect(r.messages).toContain(`DEBUG Running command [timeout=${300 + Buffer.byteLength(content) / 20_000_000}]: ${["bbcp", ...argv!].join(" ")}`);
      expect(r.messages).toContain(`INFO verifying "${join(dst.root, rel)}" after bbcp`);
      expect(r.messages.some((m) => /^INFO Pull of 2025\/02\/21\/23\/1324\.dat complete\. Transferred /.test(m))).toBe(true);
      expect(md5(readFileSync(join(dst.root, rel)))).toBe(md5(content));
      expect(await copyOn(idx, fileId, dst.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y", ready: 1 });
      expect((await copyState(idx, copyId)).has_file).toBe("Y");
      expect(await requestRow(idx, id)).toMatchObject({ completed: 1, cancelled: 0 });
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("each worker's bbcp gets its port: 4200 for Worker#1, 4200 + 10·(n − 1) for Worker#n", async () => {
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries([1, 2, 3].map((i) => [`w${i}.dat`, `worker file ${i}`]));
      const { src, dst } = await remoteNodes(idx, files);
      for (const reg of Object.values(src.reg)) await request(idx, reg.fileId, src.node.id, dst.group.id);
      // Slow enough that the three pulls are in flight together, one per worker.
      const log = standIn("ok", 2.5);

      const r = await runServe(idx, { extra: DEBUG, daemon: "  num_workers: 3\n" });
      expect(r.code).toBe(0);
      const runs = bbcpRuns(r.lines);
      expect(runs).toHaveLength(3);
      const ports = runs.map(({ flow, cmd }) => {
        const n = Number(/^Worker#(\d+)$/.exec(flow)![1]);
        const port = Number(/ --port (\d+) /.exec(cmd)![1]);
        expect(port).toBe(4200 + 10 * (n - 1));
        return port;
      });
      expect(ports.sort()).toEqual([4200, 4210, 4220]);
      expect(argvs(log).map((a) => a[4]).sort()).toEqual(["4200", "4210", "4220"]);
      for (const [name, text] of Object.entries(files)) {
        expect(readFileSync(join(dst.root, "2025/02/21", name), "utf8")).toBe(text);
        expect(await copyOn(idx, src.reg[name]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
      }
      expect(leftovers(dst.root)).toEqual([]);
    }, 60_000);

    test("a source changed after registration: bbcp's MD5 is not the index's, the source is suspect, nothing kept", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "23/1324.dat": "0123456789ab" });
      const { fileId, copyId, rel } = src.reg["23/1324.dat"]!;
      writeFileSync(join(src.root, rel), "0123456789XX");
      const id = await request(idx, fileId, src.node.id, dst.group.id);

      const r = await runServe(idx);
      expect(r.messages).toContain("INFO Pulling remote file 2025/02/21/23/1324.dat using bbcp");
      expect(r.messages).toContain("ERROR MD5 mismatch on node demo_storage2; Marking source file 23/1324.dat on node demo_storage1 suspect.");
      expect(r.messages.some((m) => m.startsWith("INFO Pull of"))).toBe(false);
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("bbcp reporting another MD5 than the index's: source suspect even when the bytes are right; the received file removed", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "a.dat": "the registered bytes" });
      const { fileId, copyId, rel } = src.reg["a.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      standIn("badmd5");

      const r = await runServe(idx);
      expect(r.messages).toContain("ERROR MD5 mismatch on node demo_storage2; Marking source file a.dat on node demo_storage1 suspect.");
      expect(r.messages.some((m) => m.startsWith("INFO verifying"))).toBe(false);
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(await copyOn(idx, fileId, dst.node.id)).toBeUndefined();
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("no MD5 in bbcp's output: alpenhorn's `gone awry` error, a failure that is not the source's fault", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "a.dat": "aaa" });
      const { fileId, copyId, rel } = src.reg["a.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      standIn("nomd5");

      const r = await runServe(idx);
      const awry = r.messages.find((m) => m.startsWith("ERROR BBCP transfer has gone awry. STDOUT: \n STDERR: bbcp: Creating "));
      expect(awry).toBeDefined();
      expect(awry).toContain("bbcp: 3 bytes copied");
      expect(r.messages).toContain("ERROR Copy failed");
      expect(r.messages).toContain("INFO Output: Unable to read m5sum from bbcp output");
      expect((await copyState(idx, copyId)).has_file).toBe("Y");
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("bbcp failing (exit 1) after writing half a file: source suspect, its stderr logged, no partial file anywhere", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "a.dat": "x".repeat(10_000) });
      const { fileId, copyId, rel } = src.reg["a.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      standIn("fail");

      const r = await runServe(idx);
      expect(r.messages).toContain("ERROR Copy failed.  Marking source file suspect.");
      expect(r.messages.find((m) => m.startsWith("INFO Output: "))).toContain("bbcp: Write error on ");
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("bytes that are not what bbcp hashed on the source: our own MD5 catches them; nothing kept, the source not blamed", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "a.dat": "the registered bytes" });
      const { fileId, copyId, rel } = src.reg["a.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      standIn("corrupt");

      const r = await runServe(idx);
      const target = join(dst.root, rel);
      expect(r.messages).toContain(`INFO verifying "${target}" after bbcp`);
      expect(r.messages).toContain(
        `WARNING bbcp reported the source's MD5 ${md5("the registered bytes")}, but "${target}" received MD5 ${md5("the registered bytesX")}`,
      );
      expect(r.messages).toContain("ERROR Copy failed");
      expect((await copyState(idx, copyId)).has_file).toBe("Y");
      expect(existsSync(target)).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    });

    test("a timeout kills bbcp: `Process overrun`, source suspect, nothing at the target, the request still pending", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "slow.dat": "y".repeat(1 << 20) });
      const { fileId, copyId, rel } = src.reg["slow.dat"]!;
      const id = await request(idx, fileId, src.node.id, dst.group.id);
      standIn("hang");
      const limits = "  pull_timeout_base: 1\n  pull_bytes_per_second: 1000000000\n";

      const start = Date.now();
      const r = await runServe(idx, { daemon: limits });
      expect(Date.now() - start).toBeLessThan(8_000);
      const overrun = r.messages.find((m) => m.startsWith("WARNING Process overrun [timeout=1.001048576]: bbcp -V -f -z --port 4200 "));
      expect(overrun).toBeDefined();
      expect(r.messages).toContain("ERROR Copy failed.  Marking source file suspect.");
      expect(r.messages).toContain("INFO Output: bbcp timed out");
      expect((await copyState(idx, copyId)).has_file).toBe("M");
      expect(existsSync(join(dst.root, rel))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
      expect(await requestRow(idx, id)).toMatchObject({ completed: 0, cancelled: 0 });
    }, 60_000);

    test("hostile names reach bbcp as one argument each and travel intact", async () => {
      const names = ["sp ace.dat", "q'uo\"te.dat", "$(touch pwned).dat", "semi;colon|pipe.dat", "-rf.dat", "new\nline.dat", "`tick` & * > ( \\.dat"];
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(names.map((n, i) => [`d -${i}/${n}`, `content ${i}`]));
      const { src, dst } = await remoteNodes(idx, files);
      const ids = [];
      for (const reg of Object.values(src.reg)) ids.push(await request(idx, reg.fileId, src.node.id, dst.group.id));
      const log = standIn("ok");

      const r = await runServe(idx);
      expect(r.code).toBe(0);
      const seen = argvs(log);
      expect(seen).toHaveLength(names.length);
      for (const [name, text] of Object.entries(files)) {
        const argv = seen.find((a) => a[12] === `alpen@127.0.0.1:${join(src.root, "2025/02/21", name)}`);
        expect(argv).toHaveLength(14);
        expect(argv![13]!.endsWith(`/${name.split("/")[1]}`)).toBe(true);
        expect(readFileSync(join(dst.root, "2025/02/21", name), "utf8")).toBe(text);
        expect(await copyOn(idx, src.reg[name]!.fileId, dst.node.id)).toMatchObject({ has_file: "Y" });
      }
      for (const id of ids) expect(await requestRow(idx, id)).toMatchObject({ completed: 1 });
      for (const where of [idx.dir.path, src.root, dst.root, process.cwd()]) expect(existsSync(join(where, "pwned"))).toBe(false);
      expect(leftovers(dst.root)).toEqual([]);
    });

    test("the tidy-up kills a stale bbcp still writing into our temporary directory, then removes it", async () => {
      await using idx = await demoIndex(backend);
      const { src, dst } = await remoteNodes(idx, { "a.dat": "z".repeat(100_000) });
      // What a daemon killed mid-pull leaves: bbcp writing into our directory beside the target.
      const stale = join(dst.root, "2025/02/21/.alpentemp.0123456789ab.1");
      mkdirSync(stale, { recursive: true });
      standIn("hang");
      const bbcp = Bun.spawn([join(STANDIN_DIR, "bbcp"), ...OPTIONS, `alpen@127.0.0.1:${join(src.root, src.reg["a.dat"]!.rel)}`, join(stale, "a.dat")], {
        stdin: "ignore",
        stdout: "ignore",
        stderr: "ignore",
        // Bun.spawn's default is the environment the process started with, not process.env now.
        env: { ...process.env },
      });
      try {
        await until(() => existsSync(join(stale, "a.dat")), 10_000, "the stand-in's partial file");
        const r = await runServe(idx);
        expect(r.messages).toContain(`WARNING Removing stale temporary directory ${stale}`);
        expect(r.messages).toContain(`WARNING Killed stale bbcp (pid ${bbcp.pid}) writing in ${stale}`);
        expect(await Promise.race([bbcp.exited.then(() => bbcp.signalCode), Bun.sleep(5_000).then(() => "alive")])).toBe("SIGKILL");
        expect(existsSync(stale)).toBe(false);
        expect(leftovers(dst.root)).toEqual([]);
      } finally {
        bbcp.kill("SIGKILL");
      }
    }, 60_000);
  });
}
