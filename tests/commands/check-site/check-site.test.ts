// `alpenhorn check-site NODE` in-process on both backends: classes, ignores, guards, races.

import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { auditTestHooks } from "../../../src/engine/audit/test-hooks.ts";
import { reportDirOf, seedSite } from "./_site.ts";

const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const summary = (dir: string) => JSON.parse(read(dir, "summary.json"));

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`check-site [${backend}]`, () => {
    test("exact missing, orphan and mismatch lists; exit 1", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("acq1/ok1", 10);
      await s.both("acq1/sub/ok2", 3);
      await s.register("acq1/gone", 7);
      await s.register("acq2/gone too", 5, "M");
      await s.register("acq2/recorded-missing", 5, "N");
      await s.register("acq2/recorded-corrupt", 5, "X");
      await s.register("acq1/short", 100);
      s.write("acq1/short", 40);
      s.write("acq1/stray", 9);
      s.write("new acq/a\nb", 2);
      const r = await s.cli(["check-site", "n1", "--report-dir", idx.dir.join("reports")]);
      expect(r.err).toBe("");
      expect(r.code).toBe(1);
      const dir = reportDirOf(r.out);
      expect(dir.startsWith(idx.dir.join("reports", "n1-"))).toBe(true);
      expect(read(dir, "missing.txt")).toBe("acq1/gone\nacq2/gone too\n");
      expect(read(dir, "orphan.txt")).toBe("acq1/stray\nnew acq/a\\nb\n");
      expect(read(dir, "mismatch.txt")).toBe("acq1/short\n");
      expect(read(dir, "unknown.txt")).toBe("");
      const sum = summary(dir);
      expect(sum.schema).toBe("alpenhorn-check-site/1");
      expect(sum.exit_status).toBe(1);
      expect(sum.classes.missing).toEqual({ count: 2, bytes: 12 });
      expect(sum.classes.orphan).toEqual({ count: 2, bytes: 11 });
      expect(sum.classes.mismatch).toEqual({ count: 1, bytes: 40 });
      expect(sum.classes.ok.count).toBe(2);
      const lines = read(dir, "findings.jsonl").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.find((f) => f.path === "acq1/short")).toMatchObject({ class: "mismatch", disk_size: 40, index_size: 100, has_file: "Y" });
      expect(r.out).toContain("missing: acq1/gone\n");
      expect(r.out).toMatch(/^missing\s+2\s/m);
      // Read-only: nothing changed in the index.
      const states = await idx.db.all<{ has_file: string }>("SELECT has_file FROM archivefilecopy ORDER BY id");
      expect(states.map((x) => x.has_file)).toEqual(["Y", "Y", "Y", "M", "N", "X", "Y"]);
    });

    test("a consistent node exits 0; --format json prints the summary", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/1", 1);
      await s.both("a/2", 2);
      const r = await s.cli(["check-site", "n1", "--format", "json", "--report-dir", idx.dir.path]);
      expect(r.code).toBe(0);
      const sum = JSON.parse(r.out);
      expect(sum.exit_status).toBe(0);
      expect(sum.walk.files).toBe(2);
      expect(existsSync(join(sum.report_dir, "summary.json"))).toBe(true);
    });

    test("lock files, dot files and directories, placeholders, temporaries and ALPENHORN_NODE are ignored; --ignore adds globs", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/data", 4);
      s.write("a/.data.lock", 0);
      s.write("a/.incoming.placeholder", 0);
      s.write("a/.hidden", 3);
      s.write(".alpentemp123/partial", 8);
      s.write("a/.rsync.tmp/x", 1);
      s.write("scratch/junk.tmp", 5);
      const r = await s.cli(["check-site", "n1", "--ignore", "scratch/**", "--report-dir", idx.dir.path]);
      expect(r.code).toBe(0);
      const sum = summary(reportDirOf(r.out));
      expect(sum.classes.orphan.count).toBe(0);
      expect(sum.classes.ignored.count).toBeGreaterThanOrEqual(6);
    });

    test("a nested node's root is excluded and named", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/data", 4);
      const inner = join(s.root, "inner");
      mkdirSync(join(inner, "acq"), { recursive: true });
      writeFileSync(join(inner, "ALPENHORN_NODE"), "n2\n");
      writeFileSync(join(inner, "acq", "f"), "abc");
      await seed.node(idx.db, { name: "n2", group_id: s.groupId, root: inner, host: "testhost", active: 1 });
      const r = await s.cli(["check-site", "n1", "--report-dir", idx.dir.path]);
      expect(r.code).toBe(0);
      const sum = summary(reportDirOf(r.out));
      expect(sum.walk.excluded).toEqual([{ path: "inner", why: "node n2" }]);
    });

    test("refusals exit 4 with one line: no ALPENHORN_NODE, wrong name, other host, inactive, unknown node", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/data", 4);
      await seedSite(idx, { name: "away", host: "elsewhere" });
      await seedSite(idx, { name: "idle", active: false });
      const away = await s.cli(["check-site", "away", "--report-dir", idx.dir.path]);
      expect(away).toMatchObject({ code: 4, out: "" });
      expect(away.err).toBe('Error: node "away" is on host "elsewhere", not on this host "testhost" (use --any-host to audit it anyway)\n');
      expect((await s.cli(["check-site", "idle"])).code).toBe(4);
      expect((await s.cli(["check-site", "idle", "--allow-inactive", "--report-dir", idx.dir.path])).code).toBe(0);
      expect(await s.cli(["check-site", "nope"])).toMatchObject({ code: 4, err: "Error: no such node: nope\n" });
      writeFileSync(join(s.root, "ALPENHORN_NODE"), "other\n");
      expect((await s.cli(["check-site", "n1"])).err).toBe(`Error: node "n1": ${s.root}/ALPENHORN_NODE names "other", not this node\n`);
      unlinkSync(join(s.root, "ALPENHORN_NODE"));
      const r = await s.cli(["check-site", "n1", "--report-dir", idx.dir.path]);
      expect(r).toMatchObject({ code: 4, out: "" });
      expect(r.err).toBe(`Error: node "n1": no ALPENHORN_NODE file in ${s.root} (not mounted, or not initialised?)\n`);
      expect(readdirSync(idx.dir.path).filter((n) => n.startsWith("n1-"))).toEqual([]);
    });

    test("an emptied root stops with exit 3 and no missing list (zero-listing guard)", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/1", 1);
      await s.both("b/2", 2);
      rmSync(join(s.root, "a"), { recursive: true });
      rmSync(join(s.root, "b"), { recursive: true });
      const r = await s.cli(["check-site", "n1", "--report-dir", idx.dir.path]);
      expect(r.code).toBe(3);
      const dir = reportDirOf(r.out);
      expect(read(dir, "missing.txt")).toBe("");
      expect(summary(dir).warnings[0]).toStartWith("zero-listing guard");
      expect(r.out).toContain("Warning: zero-listing guard");
    });

    test("files added, removed or registered during the listing are never reported", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      for (let d = 0; d < 40; d++) for (let f = 0; f < 5; f++) await s.both(`acq${String(d).padStart(2, "0")}/f${f}`, 1);
      s.write("late/registered", 3);
      let mutated = false;
      auditTestHooks.current = {
        afterSnapshot: async () => {
          // Registered after the before-snapshot, while the listing runs: not an orphan.
          await s.register("late/registered", 3);
        },
        afterBatch: () => {
          if (mutated) return;
          mutated = true;
          // After the first batch: remove registered files everywhere (some listed, some not yet)
          // and add new ones; deleted ones are released in the index as the daemon would.
          for (let d = 0; d < 40; d++) {
            rmSync(join(s.root, `acq${String(d).padStart(2, "0")}`, "f0"));
            s.write(`acq${String(d).padStart(2, "0")}/new`, 2);
          }
          s.write("brand-new/x", 1);
          return idx.db.run("UPDATE archivefilecopy SET has_file = 'N', wants_file = 'N' WHERE file_id IN (SELECT id FROM archivefile WHERE name = 'f0')").then(() => undefined);
        },
      };
      try {
        const r = await s.cli(["check-site", "n1", "--threads", "1", "--report-dir", idx.dir.path]);
        expect(r.err).toBe("");
        expect(r.code).toBe(0);
        const sum = summary(reportDirOf(r.out));
        expect(sum.classes.missing.count + sum.classes.orphan.count).toBe(0);
        expect(sum.walk.directories).toBeGreaterThan(40);
      } finally {
        auditTestHooks.current = null;
      }
    });

    test("a timed-out directory is unknown, not missing; exit 3", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("ok/1", 1);
      await s.both("slow/deep/1", 1);
      await s.register("slow/2", 1);
      auditTestHooks.current = { slow: { [join(s.root, "slow")]: 2500 } };
      try {
        const r = await s.cli(["check-site", "n1", "--op-timeout", "1", "--report-dir", idx.dir.path]);
        expect(r.code).toBe(3);
        const dir = reportDirOf(r.out);
        expect(read(dir, "unknown.txt")).toBe("slow\n");
        expect(read(dir, "missing.txt")).toBe("");
        expect(summary(dir).unknown).toEqual([{ path: "slow", reason: "timeout" }]);
      } finally {
        auditTestHooks.current = null;
      }
    });

    test("--fix and --register-new act only after --confirm-runs runs, with guarded updates", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.both("a/ok", 1);
      const gone = await s.register("a/gone", 7);
      const short = await s.register("a/short", 9);
      s.write("a/short", 2);
      s.write("a/stray", 1);
      const state = async (id: number) => (await idx.db.get<{ has_file: string }>("SELECT has_file FROM archivefilecopy WHERE id = ?", [id]))!.has_file;
      const imports = async () => (await idx.db.all<{ path: string }>("SELECT path FROM archivefileimportrequest")).map((r) => r.path);
      const args = ["check-site", "n1", "--fix", "--register-new", "--report-dir", idx.dir.path];
      const first = await s.cli(args);
      expect(first.code).toBe(1);
      expect(await state(gone.copyId)).toBe("Y");
      expect(await state(short.copyId)).toBe("Y");
      expect(await imports()).toEqual([]);
      expect(first.out).toContain("3 awaiting confirmation");
      const second = await s.cli(args);
      expect(second.code).toBe(1);
      expect(second.out).toContain("Since the last run: 0 new, 3 persisting, 0 resolved.");
      expect(await state(gone.copyId)).toBe("M");
      expect(await state(short.copyId)).toBe("M");
      expect(await imports()).toEqual(["a/stray"]);
      const f = read(reportDirOf(second.out), "findings.jsonl").trim().split("\n").map((l) => JSON.parse(l));
      expect(f.map((x) => [x.path, x.action, x.sightings]).sort()).toEqual([["a/gone", "marked-suspect", 2], ["a/short", "marked-suspect", 2], ["a/stray", "import-requested", 2]]);
    });

    test("a changed finding restarts its count; another audit of the node at once is refused (exit 4)", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      const short = await s.register("a/short", 9);
      s.write("a/short", 2);
      await s.cli(["check-site", "n1", "--fix", "--report-dir", idx.dir.path]);
      s.write("a/short", 3);
      await Bun.sleep(20);
      const r = await s.cli(["check-site", "n1", "--fix", "--report-dir", idx.dir.path]);
      expect(r.out).toContain("Since the last run: 1 new, 0 persisting, 0 resolved.");
      expect((await idx.db.get<{ has_file: string }>("SELECT has_file FROM archivefilecopy WHERE id = ?", [short.copyId]))!.has_file).toBe("Y");
      auditTestHooks.current = { slow: { [join(s.root, "a")]: 1500 } };
      try {
        const [x, y] = await Promise.all([s.cli(["check-site", "n1", "--report-dir", idx.dir.path]), Bun.sleep(300).then(() => s.cli(["check-site", "n1", "--report-dir", idx.dir.path]))]);
        expect(x.code).toBe(1);
        expect(y).toMatchObject({ code: 4, err: 'Error: another check-site of node "n1" is running\n' });
      } finally {
        auditTestHooks.current = null;
      }
    });

    test("--path and --acq restrict the audit on disk and in the index; --metrics-file", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      await s.register("a/gone", 1);
      await s.register("b/sub/gone", 2);
      s.write("c/stray", 3);
      const metrics = idx.dir.join("cs.prom");
      const r = await s.cli(["check-site", "n1", "--path", "b/sub", "--acq", "c", "--metrics-file", metrics, "--report-dir", idx.dir.path]);
      expect(r.code).toBe(1);
      const dir = reportDirOf(r.out);
      expect(read(dir, "missing.txt")).toBe("b/sub/gone\n");
      expect(read(dir, "orphan.txt")).toBe("c/stray\n");
      const prom = readFileSync(metrics, "utf8");
      expect(prom).toContain('alpenhorn_check_site_findings{node="n1",class="missing"} 1\n');
      expect(prom).toContain('alpenhorn_check_site_exit_status{node="n1"} 1\n');
    });

    test("--verify md5 reports corrupt files of the sample", async () => {
      await using idx = await initialisedIndex(backend);
      const s = await seedSite(idx);
      const good = await s.both("a/good", 3);
      const bad = await s.both("a/bad", 3);
      await idx.db.run("UPDATE archivefile SET md5sum = ? WHERE id = ?", [new Bun.CryptoHasher("md5").update("xxx").digest("hex"), good.fileId]);
      await idx.db.run("UPDATE archivefile SET md5sum = ? WHERE id = ?", ["0".repeat(32), bad.fileId]);
      const r = await s.cli(["check-site", "n1", "--verify", "md5", "--verify-subset", "100%", "--report-dir", idx.dir.path]);
      expect(r.code).toBe(1);
      const dir = reportDirOf(r.out);
      expect(read(dir, "corrupt.txt")).toBe("a/bad\n");
      expect(summary(dir).verified).toEqual({ files: 2, bytes: 6 });
    });
  });
}

test("usage errors exit 2", async () => {
  await using idx = await initialisedIndex("sqlite");
  const s = await seedSite(idx);
  expect((await s.cli(["check-site", "n1", "--verify-subset", "1/2"])).code).toBe(2);
  expect((await s.cli(["check-site", "n1", "--verify", "md5", "--verify-subset", "3/2"])).code).toBe(2);
  expect((await s.cli(["check-site", "n1", "--min-age", "soon"])).code).toBe(2);
  expect((await s.cli(["check-site"])).code).toBe(2);
  const help = await s.cli(["check-site", "-h"]);
  expect(help.code).toBe(0);
  expect(help.out).toContain("  4  could not start");
});
