// Hostile file and acquisition names through the compiled binary and a running daemon: spaces,
// quotes, `$()`, backticks, `;`, `|`, `&`, newlines, leading `-`, `..` inside a name, globs,
// backslashes. They are valid names (alpenhorn refuses only path shapes: `..` elements,
// absolute paths, `//`…), so they must travel intact through import (a scan), `file create`,
// `--file-list`, pulls (rsync over ssh from another host, hard links on one) and deletion, and
// nothing may run them: every name below would create a file PWNED if a shell saw it. Path
// shapes that leave the root are refused with one error line and nothing written.

import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import type { Driver } from "../../src/index/driver/types.ts";
import { backendSuites } from "../helpers/index.ts";
import { sshdOrSkip, stopSshd } from "../helpers/sshd.ts";
import { DETECT_ALL, expectOneErrorLine, snapshot, workspace } from "./hostile-kit.ts";

const MD5 = "d41d8cd98f00b204e9800998ecf8427e";

/** `acq/file` paths planted on node A, each a command if a shell ever parsed it. */
const PLANTED = [
  "run 1/with space.dat",
  `run 1/it's "quoted".dat`,
  "run 1/$(touch PWNED).dat",
  "run 1/`touch PWNED`.dat",
  "run 1/a;touch PWNED;.dat",
  "run 1/a|touch PWNED.dat",
  "run 1/a&touch PWNED&.dat",
  "run 1/-rf.dat",
  "run 1/--help.dat",
  "run 1/a..b.dat",
  "run 1/*?[glob].dat",
  "run 1/back\\slash.dat",
  "run 1/>PWNED.dat",
  "run 1/ünï©ødé.dat",
  "-acq/-f.dat",
  "$(touch PWNED)/x.dat",
  `q'u"ote/y.dat`,
];
/** Those pulled to B by rsync over ssh (a log-in costs seconds here, so not all of them). */
const REMOTE = [
  "run 1/*?[glob].dat",
  "run 1/$(touch PWNED).dat",
  "run 1/`touch PWNED`.dat",
  "run 1/a;touch PWNED;.dat",
  `run 1/it's "quoted".dat`,
  "run 1/back\\slash.dat",
  "-acq/-f.dat",
];
/** Names a file list cannot hold (one path per line), imported and created all the same. */
const NEWLINE = "run 1/new\nline.dat";
const ALL = [...PLANTED, NEWLINE];

/** Every PWNED file anywhere under `dirs` (there must be none). */
function pwned(...dirs: string[]): string[] {
  return dirs.flatMap((d) => (readdirSync(d, { recursive: true }) as string[]).filter((p) => p.split("/").pop() === "PWNED").map((p) => join(d, p)));
}

async function count(db: Driver, sql: string, params: string[] = []): Promise<number> {
  return Number((await db.values(sql, params))[0]![0]);
}
const COPY = "SELECT COUNT(*) FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id";

const sshd = await sshdOrSkip();
afterAll(() => stopSshd());
const DAEMON_CONF = (host: string) =>
  `daemon:\n  host: ${host}\n  update_interval: 1\n  num_workers: 2\n  fs_timeout: 30\n  rsync_rsh: ${JSON.stringify(sshd?.rsh ?? "")}\nlogging:\n  level: info\n`;

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`hostile names, compiled binary and two daemons [${backend}]`, () => {
    test.skipIf(sshd === null)("import, file create, --file-list, rsync and hard-link pulls, clean: names intact, nothing run, nothing outside", async () => {
      // Host h0 holds A and C (pulls A → C are local hard links); host h1 holds B, which pulls
      // from A by rsync over ssh: every name an argument of rsync and of the remote side.
      await using ws = await workspace(backend, { daemonConf: DAEMON_CONF("h1") });
      const [rootA, rootB, rootC] = ["a", "b", "c"].map((n) => ws.dir.join(`roots/${n}`)) as [string, string, string];
      const login = ["--username", sshd!.user, "--address", sshd!.host];
      // A and C are archive nodes: B's copies may go while they hold two.
      for (const [node, root, host, type] of [["A", rootA, "h0", "--archive"], ["B", rootB, "h1", "--field"], ["C", rootC, "h0", "--archive"]] as const) {
        mkdirSync(root, { recursive: true });
        await ws.ok(["node", "create", node, "--create-group", `--root=${root}`, `--host=${host}`, type, ...login, "--activate", "--init"]);
      }
      for (const p of ALL) {
        mkdirSync(dirname(join(rootA, p)), { recursive: true });
        writeFileSync(join(rootA, p), `bytes of ${p}\n`);
      }
      const outside = snapshot(ws.sentinel);
      const db = await connectIndex({ url: ws.url });
      try {
        const d = await ws.daemon();
        writeFileSync(ws.dir.join("h0.conf"), `database:\n  url: ${JSON.stringify(ws.url)}\nextensions:\n  - ${DETECT_ALL}\n${DAEMON_CONF("h0")}`);
        const d0 = await ws.daemon([], ws.dir.join("h0.conf"));
        for (const n of ["A", "C"]) await d0.wait(new RegExp(`Node "${n}" initialised\\.$`), 30_000);
        await d.wait(/Node "B" initialised\.$/, 30_000);
        const until = async (what: string, done: () => Promise<boolean>) => {
          const end = Date.now() + 60_000;
          while (!(await done())) {
            if (Date.now() > end) {
              if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, `${d0.text}\n=====\n${d.text}`);
              throw new Error(`timed out waiting for ${what}\n--- logs ---\n${d0.text}\n${d.text}`);
            }
            if (d.proc.exitCode !== null || d0.proc.exitCode !== null) throw new Error(`a daemon exited\n${d0.text}\n${d.text}`);
            await Bun.sleep(200);
          }
        };
        const paths = async () =>
          (await db.all<{ p: string }>("SELECT a.name || '/' || f.name AS p FROM archivefile f JOIN archiveacq a ON a.id = f.acq_id")).map((r) => r.p).sort();

        // 1. Import by a scan: every name registered once, exactly as on disk.
        await ws.ok(["node", "scan", "A", "--register-new"]);
        await until("the scan's imports", async () => (await count(db, `${COPY} WHERE n.name = 'A' AND c.has_file = 'Y'`)) === ALL.length);
        expect(await paths()).toEqual([...ALL].sort());

        // 2. `file create`: hostile names register; path shapes leaving the root are refused.
        const created = ["cli $(touch PWNED)", "cli;touch PWNED", "cli`touch PWNED`", "cli|touch PWNED&", "cli\nnewline"];
        for (const n of created) expect(await ws.ok(["file", "create", n, "run 1", "--size=1", `--md5=${MD5}`])).toBe(`Registered File run 1/${n}.\n`);
        expect(await ws.ok(["file", "create", "--size=1", `--md5=${MD5}`, "--", "-dash", "run 1"])).toBe("Registered File run 1/-dash.\n");
        const files = await count(db, "SELECT COUNT(*) FROM archivefile");
        const refused: Array<[string[], RegExp]> = [
          [["file", "create", "../escape", "run 1"], /^Error: invalid name: invalid start$/],
          [["file", "create", "/etc/passwd", "run 1"], /^Error: invalid name: invalid start$/],
          [["file", "create", "x/../../escape", "run 1"], /^Error: invalid name: invalid path element "\.\."$/],
          [["file", "create", "x//y", "run 1"], /^Error: invalid name: repeated \/$/],
          [["file", "create", "x/..", "run 1"], /^Error: invalid name: invalid end$/],
          [["acq", "create", "/abs"], /^Error: invalid name: invalid start$/],
          [["acq", "create", "../up"], /^Error: invalid name: invalid start$/],
          [["file", "create", "-rf", "run 1"], /^Error: No such option '-r'/],
        ];
        for (const [args, error] of refused) expectOneErrorLine(await ws.cli([...args, ...(args[0] === "file" ? ["--size=1", `--md5=${MD5}`] : [])]), error);
        expect(await count(db, "SELECT COUNT(*) FROM archivefile")).toBe(files);

        // 3. `--file-list` naming the REMOTE paths (relative, or absolute under A's root): pulls
        //    A → B by rsync over ssh, one argv each (the glob name fetched another file before
        //    the fix in src/engine/io/default/rsync.ts).
        writeFileSync(ws.dir.join("list.txt"), `# hostile names\n${REMOTE.map((p, i) => (i % 2 ? join(rootA, p) : p)).join("\n")}\n`);
        const sync = await ws.ok(["node", "sync", "A", "B", "--force", "--file-list", "list.txt"]);
        expect(sync).toContain(`Added ${REMOTE.length} new copy requests.\n`);
        await until("pulls into B", async () => (await count(db, `${COPY} WHERE n.name = 'B' AND c.has_file = 'Y'`)) === REMOTE.length);
        for (const p of REMOTE) expect(readFileSync(join(rootB, p), "utf8")).toBe(`bytes of ${p}\n`);
        await d.until(() => d.count(/^INFO >> \[Worker#\d\] Pulling remote file .* using rsync$/) === REMOTE.length, "an rsync per file", 30_000);

        //    A list naming paths outside the index or the root is refused whole.
        const requests = await count(db, "SELECT COUNT(*) FROM archivefilecopyrequest");
        for (const bad of ["../../etc/passwd", "/etc/passwd", `${ws.sentinel}/secret.txt`, "run 1/../run 1/with space.dat"]) {
          writeFileSync(ws.dir.join("bad.txt"), `run 1/with space.dat\n${bad}\n`);
          expectOneErrorLine(await ws.cli(["node", "sync", "A", "C", "--force", "--file-list", "bad.txt"]), /^Error: No such file on line 2 of bad\.txt: /);
        }
        expect(await count(db, "SELECT COUNT(*) FROM archivefilecopyrequest")).toBe(requests);

        // 4. Everything (newline names too) A → C: hard links on one filesystem.
        await ws.ok(["node", "sync", "A", "C", "--force"]);
        await until("pulls into C", async () => (await count(db, `${COPY} WHERE n.name = 'C' AND c.has_file = 'Y'`)) === ALL.length);
        for (const p of ALL) expect(readFileSync(join(rootC, p), "utf8")).toBe(`bytes of ${p}\n`);
        // (The log reaches us through a pipe, after the index: wait for the lines.)
        await d0.until(() => d0.count(/^INFO >> \[Worker#\d\] Hardlinked local file /) === ALL.length, "a hard link per file", 30_000);

        // 5. Clean B by such a list (paths relative or under B's root): the daemon deletes exactly those files (A and C keep two
        //    archive copies of each).
        writeFileSync(ws.dir.join("clean.txt"), REMOTE.map((p, i) => (i % 2 ? join(rootB, p) : p)).join("\n"));
        expect(await ws.ok(["node", "clean", "B", "--now", "--force", "--file-list", "clean.txt"])).toContain(`Updated ${REMOTE.length} files.\n`);
        await until("deletions on B", async () => (await count(db, `${COPY} WHERE n.name = 'B' AND c.has_file = 'N'`)) === REMOTE.length);
        for (const p of REMOTE) expect(existsSync(join(rootB, p))).toBe(false);
        for (const p of ALL) expect(readFileSync(join(rootA, p), "utf8")).toBe(`bytes of ${p}\n`);

        expect(pwned(ws.dir.path, rootB, process.cwd())).toEqual([]);
        expect(snapshot(ws.sentinel)).toEqual(outside);
        if (process.env.FAULTS_LOG) writeFileSync(process.env.FAULTS_LOG, `${d0.text}\n=====\n${d.text}`);
        for (const daemon of [d, d0]) {
          expect(daemon.proc.exitCode).toBeNull();
          expect(daemon.text).not.toContain("Fatal error!");
        }
        console.log(
          `fault matrix [${backend} names]: ${ALL.length} imported, ${created.length + 1} created, ${refused.length + 4} refused, ` +
            `${REMOTE.length} rsync pulls over ssh, ${ALL.length} hard links, ${REMOTE.length} deletions; 0 PWNED`,
        );
      } finally {
        await db.close();
      }
    }, 180_000);
  });
}
