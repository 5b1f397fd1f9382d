// Daemon start-up and exit details (alpenhorn/daemon/entry.py: entry and log_exception,
// alpenhorn/common/config.py at 632dd41): config keys read only where alpenhorn reads them,
// and an uncaught main-flow exception logged as `Fatal error!` in the daemon format (so it
// also reaches a configured log file), exit 1.

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runCli } from "../../src/cli.ts";
import { memoryIO } from "../../src/commands/_shared/io.ts";
import { confFile, demoIndex, demoNode, runServe } from "./_daemon.ts";

const CRASHING = resolve(import.meta.dir, "../fixtures/extensions/crashing-io.ts");

describe("daemon start-up", () => {
  test("prom_client_port is not read with --once (no server); without --once 0 is `too small`", async () => {
    await using idx = await demoIndex("sqlite");
    const r = await runServe(idx, { daemon: "  prom_client_port: 0\n" });
    expect(r.code).toBe(0);
    expect(r.messages).toContain("INFO Update complete.  Exiting.");

    const io = memoryIO();
    const conf = confFile(idx, "", "  prom_client_port: 0\n");
    const code = await runCli(["--test-isolation", "-c", conf, "serve"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
    expect(code).toBe(1);
    expect(io.err.endsWith('Error: config parameter "daemon.prom_client_port" too small: 0 < 1\n')).toBe(true);
  });

  test("daemon.auto_import_interval is checked (int, min 1) when the first observer starts", async () => {
    await using idx = await demoIndex("sqlite");
    const { root } = await demoNode(idx, { auto_import: 1 });
    writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
    const io = memoryIO();
    const conf = confFile(idx, "", "  auto_import_interval: 0\n");
    const code = await runCli(["--test-isolation", "-c", conf, "serve", "--once"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
    expect(code).toBe(1);
    expect(io.err.endsWith('Error: config parameter "daemon.auto_import_interval" too small: 0 < 1\n')).toBe(true);
  });

  test("an uncaught exception in the main flow: `Fatal error!` + traceback in the daemon format, exit 1", async () => {
    await using idx = await demoIndex("sqlite");
    const { node, root } = await demoNode(idx);
    writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
    await idx.db.run("UPDATE storagenode SET io_class = ? WHERE id = ?", ["Crashing", node.id]);
    const io = memoryIO();
    const conf = confFile(idx, `extensions:\n  - ${CRASHING}\nlogging:\n  file:\n    name: ${idx.dir.join("d.log")}\n`);
    const code = await runCli(["--test-isolation", "-c", conf, "serve", "--once"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
    expect(code).toBe(1);
    expect(io.err).toMatch(/\n\w{3} \d\d \d\d:\d\d:\d\d ERROR >> \[MainThread\] Fatal error!\nError: boom in before_update\n\s+at /);
    expect(io.err).not.toContain("ERROR >> Fatal error!");
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(idx.dir.join("d.log"), "utf8")).toContain("ERROR >> [MainThread] Fatal error!\nError: boom in before_update");
  });
});

describe("logging.level", () => {
  test("an unknown level is a one-line config error, exit 1 (alpenhorn crashed with a traceback)", async () => {
    await using idx = await demoIndex("sqlite");
    const io = memoryIO();
    const conf = confFile(idx, "logging:\n  level: loud\n");
    const code = await runCli(["--test-isolation", "-c", conf, "serve", "--once"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
    expect(code).toBe(1);
    expect(io.err).toEndWith("\nError: Log level LOUD defined by logging.level is not valid\n");
    expect(io.err).not.toContain("Fatal error!");
  });
});
