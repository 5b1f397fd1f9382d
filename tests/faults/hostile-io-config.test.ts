// Huge and malformed `io_config` values: through the CLI (`node create --io-config`, `--io-var`)
// each is refused with one error line and nothing stored, or stored exactly; written straight
// into the index by another tool, the daemon refuses each bad node with one bounded log line
// (again only when the value changes) and carries on with a good node's import.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import { backendSuites } from "../helpers/index.ts";
import { expectOneErrorLine, snapshot, workspace } from "./hostile-kit.ts";

const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
const NOT_JSON = /^Error: Unable to parse --io-config value as JSON\.$/;
const NOT_OBJECT = /^Error: Argument to --io-config must be a JSON object literal\.$/;

/** CLI cases: the --io-config text and the one error line. */
const REFUSED: ReadonlyArray<[string, string[], RegExp]> = [
  ["malformed", ["--io-config={bad"], NOT_JSON],
  ["truncated", ['--io-config={"a": [1, 2'], NOT_JSON],
  ["a list", ["--io-config=[1,2]"], NOT_OBJECT],
  ["a number", ["--io-config=5"], NOT_OBJECT],
  ["null", ["--io-config=null"], NOT_OBJECT],
  ["a string", ['--io-config="x"'], NOT_OBJECT],
  // Found here: 20,000 levels overflowed the stack (`Fatal error!` and a trace).
  ["nested 20,000 deep", [`--io-config=${deep(20_000)}`], NOT_JSON],
  ["nested 1,001 deep", [`--io-config=${deep(1001)}`], NOT_JSON],
  ["--io-var without =", ["--io-var=novalue"], /^Error: /],
];

/** Daemon cases: io_config text written straight into a node row, refused by the daemon. */
const IN_INDEX: ReadonlyArray<[string, string]> = [
  ["X1", "{bad"],
  ["X2", "[1]"],
  ["X3", `{"${"garbage ".repeat(7000)}`], // 56 kB, unparsable (under MariaDB TEXT's 64 kB)
  ["X5", '"just a string"'],
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`hostile io_config, compiled binary [${backend}]`, () => {
    test(`CLI: ${REFUSED.length} bad values refused with one line, nothing stored; big and odd good ones stored exactly`, async () => {
      await using ws = await workspace(backend);
      await ws.ok(["group", "create", "G"]);
      const outside = snapshot(ws.sentinel);
      for (const [, opts, error] of REFUSED) expectOneErrorLine(await ws.cli(["node", "create", "N", "--group=G", ...opts]), error);
      const db = await connectIndex({ url: ws.url });
      try {
        expect(Number((await db.values("SELECT COUNT(*) FROM storagenode"))[0]![0])).toBe(0);
        // Accepted: 1,000 levels (Python's limit is near there too), a 40 kB value, odd numbers.
        const accepted: Array<[string, string]> = [
          ["D1", deep(999)],
          ["D2", JSON.stringify({ big: "x".repeat(40_000) })],
          ["D3", '{"n": NaN, "i": Infinity, "e": 1e400}'],
        ];
        for (const [name, text] of accepted) await ws.ok(["node", "create", name, "--group=G", `--io-config=${text}`]);
        const stored = await db.all<{ name: string; io_config: string }>("SELECT name, io_config FROM storagenode ORDER BY name");
        expect(stored.map((r) => r.name)).toEqual(["D1", "D2", "D3"]);
        expect(stored[1]!.io_config).toBe(JSON.stringify({ big: "x".repeat(40_000) }).replace(":", ": "));
        expect(stored[2]!.io_config).toBe('{"n": NaN, "i": Infinity, "e": Infinity}');
        // 100 kB: SQLite stores it; MariaDB's TEXT column (64 kB) refuses it in one line.
        const huge = JSON.stringify({ big: "y".repeat(100_000) });
        const r = await ws.cli(["node", "create", "H", "--group=G", `--io-config=${huge}`]);
        if (backend === "sqlite") expect(r).toEqual({ code: 0, out: 'Created storage node "H".\n', err: "" });
        else {
          expectOneErrorLine(r, /^Error: Data too long for column 'io_config' at row 1$/);
          expect(Number((await db.values("SELECT COUNT(*) FROM storagenode WHERE name = 'H'"))[0]![0])).toBe(0);
        }
        // Modify a node with a bad value: refused, the stored value unchanged.
        expectOneErrorLine(await ws.cli(["node", "modify", "D3", `--io-config=${deep(5000)}`]), NOT_JSON);
        expect((await db.get<{ io_config: string }>("SELECT io_config FROM storagenode WHERE name = 'D3'"))!.io_config).toBe(stored[2]!.io_config);
      } finally {
        await db.close();
      }
      expect(snapshot(ws.sentinel)).toEqual(outside);
      console.log(`fault matrix [${backend} io_config]: ${REFUSED.length + (backend === "sqlite" ? 1 : 2)} refused, ${backend === "sqlite" ? 4 : 3} accepted`);
    }, 60_000);

    test(`daemon: ${IN_INDEX.length} nodes with bad io_config in the index are skipped with one short line each; a good node imports`, async () => {
      await using ws = await workspace(backend);
      const good = ws.dir.join("roots/good");
      mkdirSync(join(good, "run1"), { recursive: true });
      writeFileSync(join(good, "run1", "f.dat"), "data\n");
      await ws.ok(["node", "create", "good", "--create-group", `--root=${good}`, "--host=h1", "--activate", "--init"]);
      const db = await connectIndex({ url: ws.url });
      try {
        for (const [name, text] of IN_INDEX) {
          const root = ws.dir.join(`roots/${name}`);
          mkdirSync(root, { recursive: true });
          await ws.ok(["node", "create", name, "--create-group", `--root=${root}`, "--host=h1", "--activate"]);
          await db.run("UPDATE storagenode SET io_config = ? WHERE name = ?", [text, name]);
        }
        // Valid but nested 10,000 deep (60 kB): the daemon takes it (JSON.parse copes) and the
        // node goes on to its usual checks.
        mkdirSync(ws.dir.join("roots/X4"));
        await ws.ok(["node", "create", "X4", "--create-group", `--root=${ws.dir.join("roots/X4")}`, "--host=h1", "--activate"]);
        await db.run("UPDATE storagenode SET io_config = ? WHERE name = 'X4'", [deep(10_000)]);
        const d = await ws.daemon();
        await d.wait(/Node "good" initialised\.$/, 30_000);
        await ws.ok(["node", "scan", "good", "--register-new"]);
        await d.wait(/^INFO >> \[Worker#\d\] Imported file copy "run1\/f\.dat" on node "good"\.$/, 30_000);
        await d.until(() => d.count(/^INFO >> \[MainThread\] Main loop execution was/) >= 3, "three update loops", 30_000);
        for (const [name] of IN_INDEX) {
          const lines = d.lines.filter((l) => l.endsWith(`Ignoring StorageNode ${name}.`));
          expect(lines.length).toBeGreaterThanOrEqual(1);
          for (const l of lines) {
            expect(l).toStartWith('ERROR >> [MainThread] Invalid io_config: "');
            expect(l.length).toBeLessThan(400);
          }
        }
        expect(d.lines).toContain('WARNING >> [MainThread] Ignoring node "X4": not initialised.');
        expect(d.has(/Ignoring StorageNode X4\.$/)).toBe(false);
        expect(d.proc.exitCode).toBeNull();
        expect(d.text).not.toContain("Fatal error!");
        console.log(`fault matrix [${backend} io_config daemon]: ${IN_INDEX.length} bad nodes skipped, good import done`);
      } finally {
        await db.close();
      }
    }, 90_000);
  });
}
