// Hostile configuration on the compiled binary: malformed YAML, wrong types, bad database URLs,
// an unreachable database, unloadable extensions, bad daemon and logging settings. Each case
// runs a command that would write (`acq create`, or `serve --once`) with the bad config and
// must end with one `Error:` line and a non-zero exit, without touching the index, the work
// directory or the sentinel tree beside it. Cases that involve the database run on both.

import { expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { binaryPath, runBinary } from "../helpers/binary.ts";
import { backendSuites } from "../helpers/index.ts";
import { expectOneErrorLine, snapshot, workspace, type Workspace } from "./hostile-kit.ts";

interface Case {
  readonly name: string;
  /** The config file's text, given the workspace's good database URL and sentinel path. */
  readonly conf: (url: string, sentinel: string) => string;
  readonly args?: readonly string[];
  /** The one error line. */
  readonly error: RegExp;
  /** Does the case involve the database (then it runs on MariaDB too)? */
  readonly db: boolean;
}

const db = (url: string) => `database:\n  url: ${JSON.stringify(url)}\n`;
const CONNECT_FAILED = /^Error: Unable to connect to the database: Database connect failed\.$/;
const SERVE = ["serve", "--once"];

const CASES: readonly Case[] = [
  { name: "malformed YAML", conf: () => "database: [unclosed\n", error: /^Error: unable to parse config file .*: /, db: false },
  { name: "a key given twice", conf: (u) => `${db(u)}${db(u)}`, error: /^Error: unable to parse config file .*Map keys must be unique/, db: false },
  { name: "binary garbage", conf: () => "\u0000\u0001\u0002\u00ff", error: /^Error: (invalid|unable to parse) config file /, db: false },
  { name: "a list at the top", conf: () => "- a\n- b\n", error: /^Error: invalid config file .*: mapping expected$/, db: false },
  { name: "database not a mapping", conf: () => "database: 5\n", error: /^Error: invalid config value for database: mapping expected$/, db: false },
  { name: "database.url a number", conf: () => "database:\n  url: 5\n", error: CONNECT_FAILED, db: false },
  { name: "an unknown URL scheme", conf: () => db("postgres://h/x"), error: CONNECT_FAILED, db: false },
  { name: "a mangled MySQL URL", conf: () => db("mysql://[::1/x"), error: CONNECT_FAILED, db: true },
  { name: "a port that is not a number", conf: () => db("mysql://root@127.0.0.1:abc/x"), error: CONNECT_FAILED, db: true },
  { name: "a port out of range", conf: () => db("mysql://root@127.0.0.1:99999/x"), error: /^Error: Database read error: Port should be >= 0 and < 65536/, db: true },
  { name: "an unreachable server", conf: () => db("mysql://root@127.0.0.1:1/x"), error: /^Error: Database read error: connect ECONNREFUSED 127\.0\.0\.1:1$/, db: true },
  { name: "an unresolvable host", conf: () => db("mysql://u:p@nohost.invalid/x"), error: /^Error: Database read error: getaddrinfo (ENOTFOUND|EAI_AGAIN) nohost\.invalid$/, db: true },
  { name: "an SQLite file in a missing directory", conf: () => db("sqlite:////nonexistent/dir/x.db"), error: /^Error: Database read error: unable to open database file$/, db: true },
  { name: "extensions not a list", conf: (u) => `${db(u)}extensions: 5\n`, error: /^Error: invalid config value for extensions: sequence expected$/, db: false },
  { name: "a missing extension module", conf: (u) => `${db(u)}extensions:\n  - /nonexistent/ext.ts\n`, error: /^Error: unable to import extension module \/nonexistent\/ext\.ts: /, db: false },
  {
    name: "an extension name that is a shell command",
    conf: (u, s) => `${db(u)}extensions:\n  - "$(touch ${s}/PWNED)"\n  - "\`touch ${s}/PWNED\`"\n`,
    error: /^Error: unable to import extension module \$\(touch /,
    db: false,
  },
  { name: "num_workers not a number", conf: (u) => `${db(u)}daemon:\n  num_workers: lots\n`, args: SERVE, error: /^Error: invalid config value for daemon\.num_workers: /, db: true },
  { name: "a negative update_interval", conf: (u) => `${db(u)}daemon:\n  update_interval: -1\n`, args: SERVE, error: /^Error: config parameter "daemon\.update_interval" too small: -1 < 0$/, db: true },
  { name: "fs_timeout not a number", conf: (u) => `${db(u)}daemon:\n  fs_timeout: soon\n`, args: SERVE, error: /^Error: invalid config value for daemon\.fs_timeout: /, db: true },
  { name: "a metrics port out of range", conf: (u) => `${db(u)}daemon:\n  prom_client_port: 99999\n`, args: ["serve"], error: /^Error: config parameter "daemon\.prom_client_port" too large: 99999 > 65535$/, db: true },
  { name: "an unknown log level", conf: (u) => `${db(u)}logging:\n  level: LOUD\n`, args: SERVE, error: /^Error: Log level LOUD defined by logging\.level is not valid$/, db: true },
  // Found here: an unopenable log file ended in `Fatal error!` and a traceback.
  { name: "a log file in a missing directory", conf: (u) => `${db(u)}logging:\n  file:\n    name: /nonexistent/dir/log\n`, args: SERVE, error: /^Error: unable to open log file \/nonexistent\/dir\/log \(logging\.file\.name\): ENOENT$/, db: true },
  { name: "a log file that is a directory", conf: (u, s) => `${db(u)}logging:\n  file:\n    name: ${s}\n`, args: SERVE, error: /^Error: unable to open log file .* \(logging\.file\.name\): EISDIR$/, db: true },
  { name: "archive_copy_count below two", conf: (u) => `${db(u)}daemon:\n  archive_copy_count: 1\n`, args: SERVE, error: /^Error: FATAL\.  Data protection rules not satisfied and --disable-archive-integrity not used\.$/, db: true },
];

/** Names in the work directory (a failed command must not leave files there). */
const workFiles = (ws: Workspace) => readdirSync(ws.dir.path).sort();

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`hostile configuration, compiled binary [${backend}]`, () => {
    const cases = CASES.filter((c) => backend === "sqlite" || c.db);
    test(`${cases.length} bad configs: one Error: line, exit ≠ 0, nothing written`, async () => {
      await using ws = await workspace(backend);
      const outside = snapshot(ws.sentinel);
      const before = workFiles(ws);
      const failures: string[] = [];
      for (const c of cases) {
        writeFileSync(ws.dir.join("bad.conf"), c.conf(ws.url, ws.sentinel));
        const args = ["--test-isolation", "-c", "bad.conf", ...(c.args ?? ["acq", "create", "hostile_acq"])];
        const r = await runBinary(await binaryPath(), args, { cwd: ws.dir.path });
        try {
          expectOneErrorLine(r, c.error);
        } catch (e) {
          failures.push(`${c.name}: ${(e as Error).message.split("\n")[0]}\n${r.err}`);
        }
      }
      expect(failures).toEqual([]);
      // Nothing reached the index, the work directory or the tree beside it.
      expect(await ws.ok(["acq", "list"])).toBe("No acquisitions\n");
      expect(workFiles(ws)).toEqual([...before, "bad.conf"].sort());
      expect(snapshot(ws.sentinel)).toEqual(outside);
      console.log(`fault matrix [${backend} config]: ${cases.length} cases, ${cases.length - failures.length} refused cleanly`);
    }, 120_000);

    test("unknown keys are ignored, as alpenhorn does: the command works", async () => {
      await using ws = await workspace(backend);
      writeFileSync(ws.dir.join("extra.conf"), `${db(ws.url).replace("\n", "\n  pool_size_typo: 3\n")}bogus: 1\ndaemon:\n  bogus: 2\n`);
      const r = await runBinary(await binaryPath(), ["--test-isolation", "-c", "extra.conf", "acq", "create", "run1"], { cwd: ws.dir.path });
      expect(r).toEqual({ code: 0, out: 'Created acquisition "run1".\n', err: "" });
    });
  });
}
