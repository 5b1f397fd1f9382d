// The Python original reading what we wrote, on SQLite and MariaDB: upstream main (89943e0) run from its
// source (the bare mirror this project reads) on an index we made in main's layout, and
// alpenhorn 632dd41 on the same index after our `db migrate --to 632dd41`; each read-only
// command prints exactly what ours prints. And the other way: upstream main's own `db init`
// makes byte for byte the tables of our `db init --layout main`, which we read as main's.
// Needs python3 with peewee, click, PyYAML, tabulate and PyMySQL (Debian's python3-* packages; their
// older peewee lacks two UTC helpers, supplied by a shim) and the mirror; skipped without them.

import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import { readLayout } from "../../src/index/layout/detect.ts";
import { LAYOUT_MAIN } from "../../src/index/layout/types.ts";
import { describeFor, emptyIndex, type Backend } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const MIRROR = "/work/.mirror/radiocosmology+alpenhorn/repo";
const PYTHON = "/usr/bin/python3";

function pythonReady(): boolean {
  if (!existsSync(MIRROR) || !existsSync(PYTHON)) return false;
  return Bun.spawnSync([PYTHON, "-c", "import peewee, click, yaml, tabulate, pymysql"]).exitCode === 0;
}

const SHIM = `import datetime, sys
import peewee
if not hasattr(peewee, "utcnow"):
    peewee.utcnow = lambda: datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
if not hasattr(peewee, "utcfromtimestamp"):
    peewee.utcfromtimestamp = lambda ts: datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).replace(tzinfo=None)
from alpenhorn.cli.entry import entry
entry()
`;

/** The original at `commit`, unpacked with a package record (its version is read from one) and the shim. */
function unpack(root: string, commit: string): string {
  const dir = join(root, commit);
  mkdirSync(join(dir, "alpenhorn-2.0.0.dist-info"), { recursive: true });
  const tar = Bun.spawnSync(["git", "-C", MIRROR, "archive", commit, "alpenhorn"]);
  if (tar.exitCode !== 0) throw new Error(`git archive ${commit}: ${tar.stderr}`);
  const untar = Bun.spawnSync(["tar", "-x", "-C", dir], { stdin: tar.stdout });
  if (untar.exitCode !== 0) throw new Error(`tar: ${untar.stderr}`);
  writeFileSync(join(dir, "alpenhorn-2.0.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: alpenhorn\nVersion: 2.0.0\n");
  writeFileSync(join(dir, "run.py"), SHIM);
  return dir;
}

function original(dir: string, conf: string, args: readonly string[]) {
  const r = Bun.spawnSync([PYTHON, join(dir, "run.py"), "--test-isolation", "--conf", conf, ...args], {
    env: { ...process.env, PYTHONPATH: dir, HOME: dir },
    cwd: dir,
  });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
}

const READS: ReadonlyArray<readonly string[]> = [
  ["node", "list"],
  ["node", "show", "store1"],
  ["node", "show", "spare"],
  ["group", "show", "store1", "--node-details"],
  ["node", "stats"],
];

const READY = pythonReady();
const SKIP = "(skipped: needs python3 with peewee, click, PyYAML, tabulate and PyMySQL, and the alpenhorn mirror)";

for (const backend of ["sqlite", "mysql"] as Backend[]) {
  const describeOn = await describeFor(backend);
  const describePy = READY ? describeOn : (name: string, fn: () => void) => describe.skip(`${name} ${SKIP}`, fn);

  describePy(`the Python original reads what we wrote [${backend}]`, () => {
    test("upstream main reads our main-layout index, 632dd41 reads it after our migration, outputs equal ours", async () => {
      using py = tempDir("python-original");
      const main = unpack(py.path, "89943e0");
      const old = unpack(py.path, "632dd41");
      await using idx = await emptyIndex(backend);
      const ours = cliFor(idx);
      for (const argv of [
        ["db", "init", "--layout", "main"],
        ["host", "create", "alpenhost1", "--username=alp", "--address=host1.example", "--notes=rack 1"],
        ["node", "create", "store1", "--create-group", "--host=alpenhost1", "--archive", "--root=/data", "--activate"],
        ["node", "create", "spare", "--group=store1", "--max-total=3"],
      ])
        expect((await ours(argv)).code).toBe(0);

      for (const args of [...READS, ["host", "list"], ["host", "show", "alpenhost1", "--node-details"]]) {
        const mine = await ours(args);
        expect({ args, ...original(main, ours.confPath, args) }).toEqual({ args, ...mine });
      }

      // Going back loses the host's notes only (listed), then 632dd41 reads the same nodes.
      expect((await ours(["db", "migrate", "--to", "632dd41", "--force"])).code).toBe(0);
      for (const args of READS) {
        const mine = await ours(args);
        expect({ args, ...original(old, ours.confPath, args) }).toEqual({ args, ...mine });
      }
    }, 120_000);

    test.if(backend === "sqlite")("upstream main's db init makes exactly our --layout main tables, and we read them as main's", async () => {
      using py = tempDir("python-original-init");
      const main = unpack(py.path, "89943e0");
      await using theirs = await emptyIndex("sqlite");
      await using ours = await emptyIndex("sqlite");
      const r = original(main, cliFor(theirs).confPath, ["db", "init"]);
      expect(r.out).toBe("Data Index version 2 initialised.\n");
      expect((await cliFor(ours)(["db", "init", "--layout", "main"])).code).toBe(0);
      const ddl = async (url: string) => {
        const db = await connectIndex({ url });
        try {
          expect(await readLayout(db)).toEqual(LAYOUT_MAIN);
          return await db.all("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name");
        } finally {
          await db.close();
        }
      };
      expect(await ddl(theirs.url)).toEqual(await ddl(ours.url));
    }, 120_000);
  });
}
