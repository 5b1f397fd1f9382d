// examples/robot.sh run as cron would run it (bash, the CLI from source as `alpenhorn`), while
// a daemon serves the index: a sync that completes (exit 0, nothing left only on the source),
// and one into a group no daemon serves (the wait times out: exit 3, the silent host named).

import { describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { demoIndex, demoNode, runServe, until } from "../engine/_daemon.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";
import type { TestIndex } from "../helpers/index.ts";

const ROBOT = resolve(import.meta.dir, "../../examples/robot.sh");
const MAIN = resolve(import.meta.dir, "../../src/main.ts");
const hasJq = Bun.which("jq") !== null;

async function site() {
  const idx = await demoIndex("sqlite");
  const a = await demoNode(idx, { name: "field1" });
  const b = await demoNode(idx, { name: "archive1" });
  for (const n of [a, b]) writeFileSync(join(n.root, "ALPENHORN_NODE"), `${n.node.name}\n`);
  mkdirSync(join(a.root, "2025/02/21/00"), { recursive: true });
  writeFileSync(join(a.root, "2025/02/21/meta.txt"), "metadata\n");
  writeFileSync(join(a.root, "2025/02/21/00/0000.dat"), "data\n".repeat(100));
  // A group whose only node is on a host without a daemon.
  const far = await seed.group(idx.db, { name: "far" });
  await seed.node(idx.db, { name: "far1", group_id: far.id, root: idx.dir.join("far1"), host: "elsewhere", active: 0 });
  const cli = cliFor(idx);
  expect((await cli(["node", "scan", "field1", "--register-new"])).code).toBe(0);
  expect((await runServe(idx)).code).toBe(0); // imports the two files
  const exe = idx.dir.join("alpenhorn");
  writeFileSync(exe, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} --test-isolation "$@"\n`);
  chmodSync(exe, 0o755);
  return { idx, cli, exe };
}

async function robot(idx: TestIndex, exe: string, conf: string, args: string[], timeout: string) {
  const proc = Bun.spawn(["bash", ROBOT, ...args], {
    cwd: idx.dir.path,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: idx.dir.path, ALPENHORN: exe, ALPENHORN_CONF: conf, ROBOT_TIMEOUT: timeout },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out: out + err };
}

describe("examples/robot.sh", () => {
  test.skipIf(!hasJq)("syncs to the archive group, waits, reports, exits 0; then 3 when the wait times out (jq needed)", async () => {
    const { idx, cli, exe } = await site();
    await using _ = idx;
    let ok = { code: -1, out: "" };
    let late = { code: -1, out: "" };
    const r = await runServe(idx, {
      once: false,
      daemon: "  num_workers: 1\n",
      during: async (out) => {
        await until(() => out.messages.some((m) => m.startsWith("INFO Tasks:")), 20_000, "a first update");
        ok = await robot(idx, exe, cli.confPath, ["field1", "archive1"], "60s");
        expect((await cli(["node", "activate", "far1"])).code).toBe(0);
        late = await robot(idx, exe, cli.confPath, ["field1", "far"], "3s");
      },
    });
    expect(r.code).toBe(0);
    if (process.env.ROBOT_TEST_PRINT) console.log(ok.out, late.out);

    expect(ok.out).toContain("robot: syncing node field1 to group archive1 (waiting up to 60s)");
    expect(ok.out).toContain("All 2 transfers");
    expect(ok.out).toContain("robot: sync: every copy completed");
    expect(ok.out).toContain("robot: copy requests still pending into archive1: 0");
    expect(ok.out).toContain("robot: every file on field1 has a healthy copy elsewhere");
    expect(ok.out).not.toContain("WARNING");
    expect(ok.out).toContain("robot: done (exit 0)");
    expect([ok.code, ok.out]).toEqual([0, ok.out]);
    const copies = await idx.db.all("SELECT c.id FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.name = 'archive1' AND c.has_file = 'Y'");
    expect(copies.length).toBe(2);

    expect(late.out).toContain("Error: timed out after 3s: 2 of 2 transfers still pending.");
    expect(late.out).toContain("robot: sync: timed out after 3s; the pending requests stay filed");
    expect(late.out).toContain("robot: copy requests still pending into far: 2");
    // far1's host has an active node and no daemon: named; the timeout's 3 is kept.
    expect(late.out).toContain("robot: WARNING: no daemon heard from on host elsewhere");
    expect(late.out).toContain("robot: done (exit 3)");
    expect([late.code, late.out]).toEqual([3, late.out]);
  }, 120_000);

  test("usage: two arguments", async () => {
    const proc = Bun.spawnSync(["bash", ROBOT, "only-one"]);
    expect(proc.exitCode).toBe(2);
    expect(proc.stderr.toString()).toContain("usage: robot.sh SOURCE_NODE ARCHIVE_GROUP");
  });
});
