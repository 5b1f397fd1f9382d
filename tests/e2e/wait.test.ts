// `--wait [--timeout DUR]` against a real daemon process (`alpenhorn serve` run from source) on
// SQLite and MariaDB: requests filed by the CLI and completed by the daemon (exit 0), a copy
// request the daemon cancels and a verification that finds a corrupt copy (exit 1, listed),
// requests nobody serves and a deletion the archive-copy rule holds back (exit 3, pending
// listed), and the progress line drawn on a real pseudo-terminal (util-linux `script`) and
// never on a pipe.

import { binaryPath } from "../helpers/binary.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites, type TestIndex } from "../helpers/index.ts";
import { cliFor, type CliRunner } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { demoIndex, HOST } from "../engine/_daemon.ts";

// The compiled binary, as a user runs it (`npm test` builds it before the tests run).
const BIN = await binaryPath();

interface Site {
  idx: TestIndex;
  cli: CliRunner;
  daemon: DaemonProc;
  roots: Record<string, string>;
}

/** Nodes: src, dst (archive, local), scratch (field, local), far (on a host without a daemon). */
async function site(idx: TestIndex): Promise<Omit<Site, "daemon" | "cli">> {
  const roots: Record<string, string> = {};
  const local: Array<[string, "A" | "F"]> = [
    ["src", "A"],
    ["dst", "A"],
    ["scratch", "F"],
  ];
  for (const [name, type] of local) {
    const root = idx.dir.join(name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
    const group = await seed.group(idx.db, { name });
    await seed.node(idx.db, { name, group_id: group.id, root, host: HOST, active: 1, storage_type: type });
    roots[name] = root;
  }
  const far = await seed.group(idx.db, { name: "far" });
  await seed.node(idx.db, { name: "far", group_id: far.id, root: "/nonexistent/far", host: "elsewhere", active: 1 });
  return { idx, roots };
}

function startDaemon(idx: TestIndex): DaemonProc {
  const conf = idx.dir.join("daemon.conf");
  writeFileSync(
    conf,
    `database:\n  url: ${JSON.stringify(idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\ndaemon:\n  update_interval: 1\n  num_workers: 1\nlogging:\n  level: info\n`,
  );
  return new DaemonProc(BIN, ["serve", "--test-isolation", "-c", conf], idx.dir.path);
}

/** The CLI from source under a pseudo-terminal (stdout and stderr both on it); output as the terminal got it. */
async function underPty(s: Site, args: string[]): Promise<{ code: number; text: string }> {
  const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const cmd = [BIN, "--test-isolation", "-c", s.cli.confPath, ...args].map(quote).join(" ");
  const proc = Bun.spawn(["script", "-qfec", cmd, "/dev/null"], {
    cwd: s.idx.dir.path,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: s.idx.dir.path, TERM: "xterm" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: 90_000,
  });
  const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  return { code, text };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`--wait with a daemon [${backend}]`, () => {
    let s: Site;
    beforeAll(async () => {
      const idx = await demoIndex(backend);
      const base = await site(idx);
      const daemon = startDaemon(idx);
      await daemon.wait('INFO >> [MainThread] Node "dst" now available.', 60_000);
      s = { ...base, daemon, cli: cliFor(idx) };
    }, 120_000);
    afterAll(async () => {
      s?.daemon.proc.kill("SIGTERM");
      await s?.daemon.proc.exited;
      await s?.idx[Symbol.asyncDispose]();
    });

    test("file import and node scan: exit 0 once the daemon completed the import requests", async () => {
      mkdirSync(join(s.roots.src!, "2025/02/21/23"), { recursive: true });
      writeFileSync(join(s.roots.src!, "2025/02/21/meta.txt"), "This is the first acquisition in the alpenhorn demo\n");
      const imp = await s.cli(["file", "import", "2025/02/21/meta.txt", "src", "--register-new", "--wait", "--timeout", "60s"]);
      expect(imp.err).toBe("");
      expect(imp.out).toMatch(/^Added new import request\.\nAll 1 import request completed in \d+s\.\n$/);
      expect(imp.code).toBe(0);
      const copy = await s.idx.db.get<{ has_file: string }>(
        "SELECT c.has_file FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN storagenode n ON n.id = c.node_id WHERE f.name = 'meta.txt' AND n.name = 'src'",
      );
      expect(copy?.has_file).toBe("Y");

      for (const f of ["1324", "1330", "1342"]) writeFileSync(join(s.roots.src!, `2025/02/21/23/${f}.dat`), `${f} 0 1 2 3\n`);
      const scan = await s.cli(["node", "scan", "src", "2025/02/21/23", "--register-new", "--wait", "--timeout", "1m"]);
      expect(scan.out).toMatch(/^Added request for scan of "2025\/02\/21\/23" on Node "src"\.\nAll 1 import request completed in \d+s\.\n$/);
      expect(scan.code).toBe(0);
      const n = await s.idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.name = 'src' AND c.has_file = 'Y'");
      expect(Number(n?.n)).toBe(4);
    }, 120_000);

    test("node sync: exit 0 when every copy request filed is completed, with the bytes", async () => {
      const r = await s.cli(["node", "sync", "src", "dst", "--force", "--wait", "--timeout", "2m"]);
      expect(r.out).toMatch(/^Syncing 4 files \(\d+ B\) from Node "src" to Group "dst"\.\n\nAdded 4 new copy requests\.\nAll 4 transfers \(\d+ B\) completed in \d+s\.\n$/);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    }, 150_000);

    test("node verify: a copy found corrupt ends with exit 1 and is listed; the healthy ones are not", async () => {
      // Replaced, not written through: the pull hard-linked dst's copies to src's.
      const bad = join(s.roots.dst!, "2025/02/21/23/1330.dat");
      rmSync(bad);
      writeFileSync(bad, "damaged\n");
      const r = await s.cli(["node", "verify", "dst", "--all", "--force", "--wait", "--timeout", "2m"]);
      expect(r.out).toMatch(/^Requesting verification of 4 files \(\d+ B\)\.\nUpdated 4 files\.\nCorrupt: 2025\/02\/21\/23\/1330\.dat on Node "dst"\n$/);
      expect(r.err).toBe("Error: 1 of 4 checks failed.\n");
      expect(r.code).toBe(1);
    }, 150_000);

    test("file verify: a healthy copy exits 0", async () => {
      const r = await s.cli(["file", "verify", "2025/02/21/meta.txt", "dst", "--wait", "--timeout", "60"]);
      expect(r.out).toMatch(/^Requesting verification of file "2025\/02\/21\/meta\.txt"\.\nAll 1 check \(\d+ B\) completed in \d+s\.\n$/);
      expect(r.code).toBe(0);
    }, 120_000);

    test("file sync: a request the daemon cancels (source has no copy) ends with exit 1 and is listed", async () => {
      const r = await s.cli(["file", "sync", "2025/02/21/meta.txt", "--from", "far", "--to", "scratch", "--force", "--wait", "--timeout", "90s"]);
      expect(r.out).toBe(
        'File missing from source: forcing request.\nRequest submitted.\nCancelled: 2025/02/21/meta.txt from Node "far" to Group "scratch"\n',
      );
      expect(r.err).toBe("Error: 1 of 1 transfer failed.\n");
      expect(r.code).toBe(1);
    }, 120_000);

    test("group sync into a group no daemon serves: exit 3 at the timeout, pending requests listed", async () => {
      const r = await s.cli(["group", "sync", "far", "src", "--acq", "2025/02/21", "--force", "--wait", "--timeout", "3s"]);
      expect(r.code).toBe(3);
      const listing = r.out.split("Added 4 new copy requests.\n")[1];
      expect(listing).toBe(
        ["meta.txt", "23/1324.dat", "23/1330.dat", "23/1342.dat"]
          .map((f) => `Pending: 2025/02/21/${f} from Node "src" to Group "far"\n`)
          .sort()
          .join(""),
      );
      expect(r.err).toMatch(/^Error: timed out after \ds: 4 of 4 transfers still pending\.\n$/);
    }, 60_000);

    test("clean: a release the archive-copy rule holds back is pending at the timeout; one it allows completes", async () => {
      // dst's copy has one other archive copy (src): too few, so it stays.
      const held = await s.cli(["file", "clean", "2025/02/21/23/1342.dat", "--node", "dst", "--now", "--archive-ok", "--wait", "--timeout", "4s"]);
      expect(held.code).toBe(3);
      expect(held.out).toContain('Pending: 2025/02/21/23/1342.dat on Node "dst"\n');
      expect(held.err).toMatch(/still pending/);
      await s.cli(["file", "clean", "2025/02/21/23/1342.dat", "--node", "dst", "--cancel"]);

      // scratch gets a copy, then releases it: src and dst are two other archive copies.
      const sync = await s.cli(["file", "sync", "2025/02/21/23/1342.dat", "--from", "src", "--to", "scratch", "--wait", "--timeout", "90s"]);
      expect(sync.code).toBe(0);
      const r = await s.cli(["file", "clean", "2025/02/21/23/1342.dat", "--node", "scratch", "--now", "--wait", "--timeout", "90s"]);
      expect(r.out).toMatch(/^Released "2025\/02\/21\/23\/1342\.dat" for immediate removal on Node "scratch"\.\nAll 1 deletion \(\d+ B\) completed in \d+s\.\n$/);
      expect(r.code).toBe(0);
    }, 200_000);

    test("status: the running daemon's host is alive, the host without one is not", async () => {
      const r = await s.cli(["status"]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Hosts:\\n  ${HOST}: daemon alive \\(last update \\d+s ago\\)\\n`));
      expect(r.out).toContain("\n  elsewhere: NO DAEMON (last update never)\n    far (group far, checked never)\n");
    }, 60_000);

    test("Ctrl-C stops the wait (the line ended, click's Aborted!, exit 1) and leaves the request filed", async () => {
      // On a pseudo-terminal, so ^C is the terminal's interrupt, sent once the progress line
      // shows the wait has begun.
      const args = ["file", "sync", "2025/02/21/meta.txt", "--from", "src", "--to", "far", "--wait"];
      const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
      const cmd = [BIN, "--test-isolation", "-c", s.cli.confPath, ...args].map(quote).join(" ");
      const proc = Bun.spawn(["script", "-qfec", cmd, "/dev/null"], {
        cwd: s.idx.dir.path,
        // bash runs a lone command by exec: no shell in between to take the ^C for itself.
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: s.idx.dir.path, TERM: "xterm", SHELL: "/bin/bash" },
        stdin: "pipe",
        stdout: "pipe",
        stderr: "pipe",
        timeout: 60_000,
      });
      let text = "";
      const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
      while (!text.includes(" transfers, ")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`the wait never began: ${text}`);
        text += new TextDecoder().decode(value);
      }
      proc.stdin.write("\x03");
      proc.stdin.flush();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      proc.stdin.end();
      expect(await proc.exited).toBe(1);
      expect(text).toMatch(/\r\x1b\[K0\/1 transfers, 0 B of \d+ B, 0 B\/s, \d+s elapsed, ETA unknown(\^C)?\r\nAborted!\r\n$/);
      const row = await s.idx.db.get<{ completed: number; cancelled: number }>(
        "SELECT r.completed, r.cancelled FROM archivefilecopyrequest r JOIN storagegroup g ON g.id = r.group_to_id JOIN archivefile f ON f.id = r.file_id " +
          "WHERE g.name = 'far' AND f.name = 'meta.txt' ORDER BY r.id DESC",
      );
      expect([Number(row?.completed), Number(row?.cancelled)]).toEqual([0, 0]);
    }, 60_000);

    test("progress: drawn with carriage returns on a terminal, ended by a newline; never on a pipe", async () => {
      const r = await underPty(s, ["file", "sync", "2025/02/21/23/1324.dat", "--from", "src", "--to", "scratch", "--wait", "--timeout", "90s"]);
      expect(r.code).toBe(0);
      // The terminal turns each "\n" into "\r\n".
      expect(r.text).toContain("Request submitted.\r\n");
      expect(r.text).toMatch(/\r\x1b\[K1\/1 transfers, (\d+) B of \1 B, \d+ B\/s, \d+s elapsed, done\r\n/);
      expect(r.text).toMatch(/All 1 transfer \(\d+ B\) completed in \d+s\.\r\n$/);

      // The same on a pipe (the in-process runner's stderr is no terminal): no progress at all.
      const piped = await s.cli(["file", "sync", "2025/02/21/23/1330.dat", "--from", "src", "--to", "scratch", "--wait", "--timeout", "90s"]);
      expect(piped.code).toBe(0);
      expect(piped.err).toBe("");
    }, 150_000);
  });
}

describe("--wait usage", () => {
  test("--timeout needs --wait and a duration; both refused before anything is filed", async () => {
    const { initialisedIndex } = await import("../helpers/index.ts");
    await using idx = await initialisedIndex("sqlite");
    const g = await seed.group(idx.db, { name: "g" });
    await seed.node(idx.db, { name: "n", group_id: g.id });
    const cli = cliFor(idx);
    const noWait = await cli(["node", "init", "n", "--timeout", "5s"]);
    expect(noWait.code).toBe(2);
    expect(noWait.err).toContain("Error: --timeout may only be used with --wait\n");
    const bad = await cli(["node", "init", "n", "--wait", "--timeout", "5 min"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Error: Invalid value for '--timeout': '5 min' is not a duration (N, Ns, Nm or Nh).\n");
    const filed = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefileimportrequest");
    expect(Number(filed?.n)).toBe(0);
    // --check files nothing, so --wait returns at once.
    const check = await cli(["node", "verify", "n", "--all", "--check", "--wait"]);
    expect(check.code).toBe(0);
    expect(check.out).toBe("No matching files found.\n");
  });
});
