// SQLite's "outage": another process holding the index's write lock (BEGIN EXCLUSIVE in a
// separate bun process) for seconds while the daemon idles, while it imports a batch and while
// it pulls one. The daemon is only delayed (its statements wait out the busy timeout): it never
// exits and every request is carried out once. A CLI write issued during the lock waits for it
// and then succeeds.

import { expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import { expectOrderlyEnd, snapshot, workspace } from "./hostile-kit.ts";

const FILES = 150;
const HOLD_S = 3;
const name = (i: number) => `f${String(i).padStart(3, "0")}.dat`;

/** Holds an exclusive lock on the SQLite file `path` for `seconds`; resolves once it is held. */
async function holdLock(path: string, seconds: number): Promise<{ released: Promise<number> }> {
  const script = `
    import { Database } from "bun:sqlite";
    const db = new Database(${JSON.stringify(path)});
    db.run("PRAGMA busy_timeout = 60000");
    db.run("BEGIN EXCLUSIVE");
    db.run("UPDATE dataindexversion SET version = version WHERE 0");
    console.log("locked");
    await Bun.sleep(${seconds * 1000});
    db.run("COMMIT");
    db.close();
  `;
  const proc = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const { value } = await reader.read();
  if (!new TextDecoder().decode(value).includes("locked")) throw new Error("lock holder did not take the lock");
  return { released: proc.exited };
}

test("SQLite: a second process holding the write lock delays the daemon but loses nothing [sqlite]", async () => {
  await using ws = await workspace("sqlite");
  const dbFile = ws.url.replace(/^sqlite:\/\/\//, "");
  const rootA = ws.dir.join("roots/a");
  const rootB = ws.dir.join("roots/b");
  mkdirSync(join(rootA, "run1"), { recursive: true });
  mkdirSync(rootB, { recursive: true });
  await ws.ok(["node", "create", "A", "--create-group", `--root=${rootA}`, "--host=h1", "--activate", "--init"]);
  await ws.ok(["node", "create", "B", "--create-group", `--root=${rootB}`, "--host=h1", "--activate", "--init"]);
  for (let i = 0; i < FILES; i++) writeFileSync(join(rootA, "run1", name(i)), `content of ${i}\n`);
  const outside = snapshot(ws.sentinel);
  const d = await ws.daemon();
  await d.wait(/Node "B" initialised\.$/, 30_000);
  await d.wait(/Node "A" initialised\.$/, 30_000);
  let locks = 0;

  // 1. Locked while idle; the CLI's write (the scan request) waits for the lock, then lands.
  let lock = await holdLock(dbFile, HOLD_S);
  locks++;
  const scan = await ws.cli(["node", "scan", "A", "--register-new"]);
  expect(scan).toMatchObject({ code: 0, err: "" });
  expect(await lock.released).toBe(0);

  // 2. Locked while the import batch runs.
  await d.wait(/^INFO >> \[Worker#\d\] Beginning task Import run1\/f000\.dat \(\+149 more\) on A$/, 60_000);
  lock = await holdLock(dbFile, HOLD_S);
  locks++;
  expect(await lock.released).toBe(0);
  await d.wait(/^INFO >> \[Worker#\d\] Completed import request #3\.$/, 60_000);

  // 3. Locked while the pulls run.
  await ws.ok(["node", "sync", "A", "B", "--force"]);
  await d.wait(/^INFO >> \[Worker#\d\] Beginning task AFCR#\d+ \(\+149 more\): A -> B$/, 60_000);
  lock = await holdLock(dbFile, HOLD_S);
  locks++;
  expect(await lock.released).toBe(0);

  const db = await connectIndex({ url: ws.url });
  try {
    const count = async (sql: string) => Number((await db.values(sql))[0]![0]);
    const copiesOn = (node: string) => `SELECT COUNT(*) FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.name = '${node}'`;
    const end = Date.now() + 60_000;
    while ((await count("SELECT COUNT(*) FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0")) > 0) {
      if (Date.now() > end) throw new Error(`pull requests still open\n${d.text}`);
      await Bun.sleep(250);
    }
    expect(await count("SELECT COUNT(*) FROM archivefile")).toBe(FILES);
    expect(await count("SELECT COUNT(DISTINCT name) FROM archivefile")).toBe(FILES);
    for (const node of ["A", "B"]) expect(await count(`${copiesOn(node)} AND c.has_file = 'Y'`)).toBe(FILES);
    expect(await count(copiesOn("B"))).toBe(FILES);
    expect(await count("SELECT COUNT(*) FROM archivefilecopyrequest WHERE completed = 1 AND cancelled = 0")).toBe(FILES);
    expect(await count("SELECT COUNT(*) FROM archivefileimportrequest WHERE completed = 0")).toBe(0);
  } finally {
    await db.close();
  }
  let lost = 0;
  for (let i = 0; i < FILES; i++) if (readFileSync(join(rootB, "run1", name(i)), "utf8") !== `content of ${i}\n`) lost++;
  expect(lost).toBe(0);
  await expectOrderlyEnd(ws, outside, [rootA, rootB], Array.from({ length: FILES }, (_, i) => `run1/${name(i)}`), d);
  console.log(`fault matrix [sqlite lock]: ${locks} locks held ${HOLD_S}s, ${locks} survived, ${lost} files lost`);
}, 180_000);
