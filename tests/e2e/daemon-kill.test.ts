// The import guarantee of our README ("Differences from alpenhorn", Import) on the COMPILED
// binary: a daemon SIGKILLed (twice) in the middle of a 5000-file scan loses no work. A
// `serve --once` afterwards registers every file exactly once, with the right size and MD5,
// completes the scan request and leaves no half-made rows.

import { afterAll, beforeAll, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { demoIndex, demoNode, HOST } from "../engine/_daemon.ts";

const DAYS = ["2025/01/01", "2025/01/02", "2025/01/03", "2025/01/04", "2025/01/05"];
const HOURS = 10;
const PER_HOUR = 100;
const TOTAL = DAYS.length * HOURS * PER_HOUR;

let build: TempDir;
let exe = "";

beforeAll(async () => {
  build = tempDir("kill-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 120_000);
afterAll(() => build?.[Symbol.dispose]());

/** 5000 random 1 KiB files named as the demo's patterns want (`YYYY/MM/DD` / `hh/mmss.dat`); path → MD5. */
function writeTree(root: string): Map<string, string> {
  const md5s = new Map<string, string>();
  for (const day of DAYS)
    for (let h = 0; h < HOURS; h++) {
      const dir = join(root, day, String(h).padStart(2, "0"));
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < PER_HOUR; i++) {
        const name = `${String(Math.floor(i / 10)).padStart(2, "0")}${String((i % 10) * 5).padStart(2, "0")}.dat`;
        const bytes = randomBytes(1024);
        writeFileSync(join(dir, name), bytes);
        md5s.set(`${day}/${String(h).padStart(2, "0")}/${name}`, new Bun.CryptoHasher("md5").update(bytes).digest("hex"));
      }
    }
  return md5s;
}

const count = async (idx: TestIndex, sql: string) => Number((await idx.db.get<{ n: number }>(sql))!.n);

function serve(conf: string, cwd: string, once: boolean) {
  const args = [exe, "serve", "--test-isolation", "-c", conf, ...(once ? ["--once"] : [])];
  return Bun.spawn(args, { cwd, env: { PATH: "/usr/bin:/bin", HOME: cwd }, stdout: "ignore", stderr: "pipe" });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`SIGKILL mid-scan [${backend}]`, () => {
    test("two kills during a 5000-file scan, then --once: every file once, right size and MD5, request done", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      const t0 = performance.now();
      const expected = writeTree(root);
      const conf = idx.dir.join("alpenhorn.conf");
      writeFileSync(
        conf,
        `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  num_workers: 2\nlogging:\n  level: info\n`,
      );
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: ".", recurse: 1, register: 1 });
      const copies = () => count(idx, "SELECT COUNT(*) AS n FROM archivefilecopy");

      // A scan of this size imports in batches of 1,000 files, each registered in one transaction:
      // each run is killed as soon as it has registered anything (after its first batch), so at
      // most two or three of the five batches are in before the --once run (a batch whose
      // transaction the kill interrupts is registered by nobody and redone).
      const killedAt: number[] = [];
      for (const progress of [1, 1]) {
        const start = await copies();
        const d = serve(conf, idx.dir.path, false);
        const log = new Response(d.stderr).text();
        try {
          const end = Date.now() + 60_000;
          while ((await copies()) < start + progress) {
            if (Date.now() > end || d.exitCode !== null) throw new Error(`no progress before the kill (exit ${d.exitCode})`);
            await Bun.sleep(5);
          }
        } catch (err) {
          d.kill("SIGKILL");
          throw new Error(`${(err as Error).message}\n--- log ---\n${await log}`);
        }
        d.kill("SIGKILL");
        await d.exited;
        expect(d.signalCode).toBe("SIGKILL");
        killedAt.push(await copies());
      }
      // Both kills really were mid-scan.
      expect(killedAt[1]!).toBeLessThan(TOTAL);
      expect(Number((await idx.db.get<{ completed: number }>("SELECT completed FROM archivefileimportrequest WHERE id = ?", [req.id]))!.completed)).toBe(0);
      const tKilled = performance.now();

      const d = serve(conf, idx.dir.path, true);
      const [code, text] = await Promise.all([d.exited, new Response(d.stderr).text()]);
      if (code !== 0) throw new Error(`serve --once exited ${code}:\n${text}`);
      expect(text).toContain(`Completed import request #${req.id}.`);
      expect(text).not.toMatch(/ (ERROR|CRITICAL) >> /);
      const tDone = performance.now();

      const rows = await idx.db.all<{ acq: string; name: string; size_b: number; md5sum: string }>(
        "SELECT a.name AS acq, f.name AS name, f.size_b AS size_b, f.md5sum AS md5sum FROM archivefile f JOIN archiveacq a ON f.acq_id = a.id",
      );
      expect(rows.length).toBe(TOTAL);
      const got = new Map(rows.map((r) => [`${r.acq}/${r.name}`, r]));
      expect(got.size).toBe(TOTAL); // no (acq, name) twice
      const wrong = [...expected].filter(([path, md5]) => Number(got.get(path)?.size_b) !== 1024 || got.get(path)?.md5sum !== md5);
      expect(wrong).toEqual([]);
      expect(await count(idx, "SELECT COUNT(*) AS n FROM archiveacq")).toBe(DAYS.length);
      // One healthy copy per file on the node, and nothing half-made.
      expect(await count(idx, "SELECT COUNT(*) AS n FROM archivefilecopy WHERE has_file = 'Y' AND wants_file = 'Y'")).toBe(TOTAL);
      expect(await count(idx, "SELECT COUNT(DISTINCT file_id) AS n FROM archivefilecopy")).toBe(TOTAL);
      expect(await count(idx, "SELECT COUNT(*) AS n FROM archivefile f LEFT JOIN archivefilecopy c ON c.file_id = f.id WHERE c.id IS NULL")).toBe(0);
      expect(await count(idx, "SELECT COUNT(*) AS n FROM archiveacq a LEFT JOIN archivefile f ON f.acq_id = a.id WHERE f.id IS NULL")).toBe(0);
      // The pattern_importer's rows come from the same transactions.
      expect(await count(idx, "SELECT COUNT(*) AS n FROM filedata")).toBe(TOTAL);
      expect(await count(idx, "SELECT COUNT(*) AS n FROM acqdata")).toBe(DAYS.length);
      const afirs = await idx.db.all<{ completed: number }>("SELECT completed FROM archivefileimportrequest");
      expect(afirs.map((r) => Number(r.completed))).toEqual([1]);
      const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
      console.log(`[${backend}] tree+kills ${s(tKilled - t0)} incl. kills at ${killedAt.join(", ")} copies; --once finish ${s(tDone - tKilled)}`);
    }, 180_000);
  });
}
