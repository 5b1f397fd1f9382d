// Symlinks leading out of a node root, met by a running daemon of the compiled binary: at
// import (a file and a directory linked to the sentinel tree beside the roots), at a pull's
// destination (the acquisition directory on the destination node is a link out), in place of
// copies being deleted (the file, or its directory, swapped for a link out) and in place of a
// pull's source copy. Each is refused
// or handled without following the link, a good request filed alongside completes, and the
// sentinel tree is never read into the index, written or deleted from.

import { expect, test } from "bun:test";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pullCopy, pullLink } from "../../src/engine/fs/threads/pull-ops.ts";
import { connectIndex } from "../../src/index/connect.ts";
import type { Driver } from "../../src/index/driver/types.ts";
import { backendSuites } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { snapshot, workspace } from "./hostile-kit.ts";

async function count(db: Driver, sql: string): Promise<number> {
  return Number((await db.values(sql))[0]![0]);
}
const COPY = "SELECT COUNT(*) FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id JOIN archivefile f ON f.id = c.file_id";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`symlinks out of node roots, compiled binary and daemon [${backend}]`, () => {
    test("import, pull destination, deletion: links are never followed out of the root", async () => {
      await using ws = await workspace(backend);
      const root = (n: string) => ws.dir.join(`roots/${n}`);
      // A and B archive (so C's copies may be deleted), C a field node, D and E (field: pulls
      // from A copy) pull destinations.
      for (const [node, type] of [["A", "--archive"], ["B", "--archive"], ["C", "--field"], ["D", "--field"], ["E", "--field"]] as const) {
        mkdirSync(root(node), { recursive: true });
        await ws.ok(["node", "create", node, "--create-group", `--root=${root(node)}`, "--host=h1", type, "--activate", "--init"]);
      }
      const s = ws.sentinel;
      // The sentinel holds files named like the ones the daemon handles, to be hit if a link is followed.
      writeFileSync(join(s, "acq", "good1.dat"), "sentinel good1\n");
      writeFileSync(join(s, "acq", "good4.dat"), "sentinel good4\n");
      writeFileSync(join(s, "sss.txt"), "sentinel sss\n");
      const GOOD = ["run1/good1.dat", "run1/good2.dat", "run1/good3.dat", "run3/good4.dat"];
      for (const p of GOOD) {
        mkdirSync(join(root("A"), p, ".."), { recursive: true });
        writeFileSync(join(root("A"), p), `bytes of ${p}\n`);
      }
      symlinkSync(join(s, "secret.txt"), join(root("A"), "run1", "link.dat"));
      symlinkSync(s, join(root("A"), "run1", "dirlink"));
      symlinkSync(join(s, "acq"), join(root("A"), "run2"));
      const outside = snapshot(s);

      const db = await connectIndex({ url: ws.url });
      try {
        const d = await ws.daemon();
        for (const n of ["A", "B", "C", "D", "E"]) await d.wait(new RegExp(`Node "${n}" initialised\\.$`), 30_000);
        const until = async (what: string, done: () => Promise<boolean>) => {
          const end = Date.now() + 60_000;
          while (!(await done())) {
            if (Date.now() > end) {
              if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, `${d.text}\n${JSON.stringify(await db.all("SELECT r.id, f.name, r.group_to_id, r.completed, r.cancelled FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id"))}\n${JSON.stringify(await db.all("SELECT c.file_id, c.node_id, c.has_file, c.wants_file FROM archivefilecopy c"))}`);
              throw new Error(`timed out waiting for ${what}\n--- log ---\n${d.text}`);
            }
            if (d.proc.exitCode !== null) throw new Error(`daemon exited\n${d.text}`);
            await Bun.sleep(200);
          }
        };
        const onNode = (node: string, state = "Y") => count(db, `${COPY} WHERE n.name = '${node}' AND c.has_file = '${state}'`);

        // 1. Import: a scan of A, and import requests naming the links themselves.
        await ws.ok(["node", "scan", "A", "--register-new"]);
        await ws.ok(["file", "import", "run1/link.dat", "A", "--register-new"]);
        await ws.ok(["file", "import", "run2/good1.dat", "A", "--register-new"]);
        await until("the good files imported", async () => (await onNode("A")) === GOOD.length);
        await until("the import requests done", async () => (await count(db, "SELECT COUNT(*) FROM archivefileimportrequest WHERE completed = 0")) === 0);
        const names = await db.all<{ p: string }>("SELECT a.name || '/' || f.name AS p FROM archivefile f JOIN archiveacq a ON a.id = f.acq_id ORDER BY p");
        expect(names.map((r) => r.p)).toEqual(GOOD);
        for (const p of ["run1/link.dat", "run2/good1.dat"])
          await d.wait(new RegExp(`^WARNING >> \\[Worker#\\d\\] Ignoring import of ${p}: not rooted under node ${root("A")}$`), 30_000);

        // 2. A pull whose destination directory is a link out of D's root is refused; the same
        //    file into B (filed alongside) completes.
        symlinkSync(join(s, "acq"), join(root("D"), "run1"));
        await ws.ok(["file", "sync", "--from", "A", "--to", "D", "run1/good1.dat"]);
        await ws.ok(["node", "sync", "A", "B", "--force"]);
        await ws.ok(["node", "sync", "A", "C", "--force"]);
        await until("pulls into B and C", async () => (await onNode("B")) === GOOD.length && (await onNode("C")) === GOOD.length);
        await d.wait(new RegExp(`^INFO >> \\[Worker#\\d\\] Output: run1/good1\\.dat is not inside node root ${root("D")}$`), 30_000);
        expect(await onNode("D")).toBe(0);
        expect(snapshot(s)).toEqual(outside);

        // 3. Deletion: on C, run1/good1.dat swapped for a link to the sentinel's secret, and the
        //    whole run3 directory for a link to the sentinel's acq (holding a good4.dat of its
        //    own). The link is removed itself; the file through the linked directory is refused;
        //    good2 and good3 are deleted as usual.
        rmSync(join(root("C"), "run1/good1.dat"));
        symlinkSync(join(s, "secret.txt"), join(root("C"), "run1/good1.dat"));
        renameSync(join(root("C"), "run3"), join(root("C"), "run3.moved"));
        symlinkSync(join(s, "acq"), join(root("C"), "run3"));
        await ws.ok(["node", "clean", "C", "--now", "--force"]);
        await until("C's run1 copies deleted", async () => (await count(db, `${COPY} WHERE n.name = 'C' AND c.has_file = 'N'`)) === 3);
        await d.wait(new RegExp(`Error deleting run3/good4\\.dat: not inside node root ${root("C")}$`), 30_000);
        expect(snapshot(s)).toEqual(outside);
        expect(readFileSync(join(s, "acq", "good4.dat"), "utf8")).toBe("sentinel good4\n");
        expect(readFileSync(join(s, "secret.txt"), "utf8")).toBe("not yours\n");
        expect(existsSync(join(root("C"), "run1"))).toBe(false); // emptied, then pruned
        expect(lstatSync(join(root("C"), "run3")).isSymbolicLink()).toBe(true);
        // The copies elsewhere are untouched.
        for (const n of ["A", "B"]) for (const p of GOOD) expect(readFileSync(join(root(n), p), "utf8")).toBe(`bytes of ${p}\n`);

        // 4. A pull whose SOURCE copy was swapped for a link out of A's root: the copy does not
        //    follow it (before the fix in pull-ops.ts it read the link's target into E); the
        //    source is then found corrupt and the request cancelled, while good3 (filed
        //    alongside) arrives. (The hard-link path: the unit test at the end of this file.)
        rmSync(join(root("A"), "run1/good2.dat"));
        symlinkSync("../../../outside/sss.txt", join(root("A"), "run1/good2.dat"));
        for (const f of ["good2.dat", "good3.dat"]) await ws.ok(["file", "sync", "--from", "A", "--to", "E", `run1/${f}`]);
        await until("good3 on E", async () => (await onNode("E")) === 1);
        await d.wait(/^ERROR >> \[Worker#\d\] File run1\/good2\.dat on node A is corrupt! Not a regular file\.$/, 30_000);
        const good2 = `SELECT COUNT(*) FROM archivefilecopyrequest r JOIN archivefile f ON f.id = r.file_id JOIN storagegroup g ON g.id = r.group_to_id WHERE f.name = 'good2.dat' AND g.name = 'E'`;
        await until("the good2 request cancelled", async () => (await count(db, `${good2} AND r.cancelled = 1 AND r.completed = 0`)) === 1);
        expect(readdirSync(join(root("E"), "run1"))).toEqual(["good3.dat"]);
        await d.wait(new RegExp(`^WARNING >> \\[Worker#\\d\\] local copy failed: \\[Errno 40\\] Too many levels of symbolic links: '${root("A")}/run1/good2\\.dat'$`), 30_000);
        expect(d.has(/MD5 mismatch on node E/)).toBe(false); // no byte of the link's target came in
        expect(snapshot(s)).toEqual(outside);

        expect(d.proc.exitCode).toBeNull();
        expect(d.text).not.toContain("Fatal error!");
        if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, d.text);
      } finally {
        await db.close();
      }
    }, 180_000);
  });
}

test("a hard-link pull never takes a symlink source, even one whose own size matches the file's", () => {
  using dir = tempDir("link-source");
  dir.write({ "outside/sss.txt": "sentinel\n", "A/run1/.keep": "", "B/run1/.keep": "" });
  const link = dir.join("A/run1/good2.dat");
  symlinkSync("../../outside/sss.txt", link); // 21 characters: its lstat size
  const target = dir.join("B/run1/good2.dat");
  expect(pullLink(link, target, 21, null, () => {})).toMatchObject({ state: "mismatch" });
  expect(readdirSync(dir.join("B/run1"))).toEqual([".keep"]);
  expect(() => pullCopy(link, target, null, 0, () => {})).toThrow(/ELOOP|symbolic links/);
  expect(readdirSync(dir.join("B/run1"))).toEqual([".keep"]);
});
