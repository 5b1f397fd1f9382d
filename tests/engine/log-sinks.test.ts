// Daemon log sinks from config (alpenhorn/common/logger.py: configure_logging,
// configure_file_logging, configure_sys_logging and tests/common/test_logger.py at 632dd41):
// a log file (plain, self-rotating, reopened after an external rename) and syslog over UDP,
// each receiving the replayed start-up records in the daemon format; the config errors exit 1
// with alpenhorn's messages.

import { describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { existsSync, readFileSync, renameSync, statSync } from "node:fs";
import { runCli } from "../../src/cli.ts";
import { memoryIO } from "../../src/commands/_shared/io.ts";
import { demoIndex, confFile, runServe, until } from "./_daemon.ts";

const LINE = /^\w{3} [ \d]\d \d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) >> \[[^\]]+\] /;
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

describe("logging.file", () => {
  test("plain file: start-up records replayed, daemon format, `Logging to {name}` with ~ expanded", async () => {
    await using idx = await demoIndex("sqlite");
    const r = await runServe(idx, { extra: "logging:\n  file:\n    name: ~/daemon.log\n" });
    const path = idx.dir.join("daemon.log");
    expect(r.code).toBe(0);
    expect(r.messages).toContain(`INFO Logging to ${path}`);
    const got = lines(path);
    for (const l of got) expect(l).toMatch(LINE);
    expect(got[0]).toEndWith("INFO >> [MainThread] Alpenhorn start.");
    expect(got.some((l) => l.endsWith(`INFO >> [MainThread] Loading config file ${confFile(idx)}`))).toBe(true);
    expect(got.some((l) => l.endsWith(`INFO >> [MainThread] Logging to ${path}`))).toBe(true);
    expect(got.at(-1)).toEndWith("INFO >> [MainThread] Update complete.  Exiting.");
    // The file holds exactly what went to stderr.
    expect(got).toEqual(r.lines);
  });

  test("rotate: max_bytes/backup_count give file, file.1, file.2 and no more", async () => {
    await using idx = await demoIndex("sqlite");
    const path = idx.dir.join("rot.log");
    const r = await runServe(idx, { extra: `logging:\n  file:\n    name: ${path}\n    rotate: true\n    max_bytes: 300\n    backup_count: 2\n` });
    expect(r.code).toBe(0);
    expect(r.messages).toContain(`INFO Logging to [rotating] ${path}`);
    for (const p of [path, `${path}.1`, `${path}.2`]) {
      expect(statSync(p).size).toBeLessThanOrEqual(300);
      for (const l of lines(p)) expect(l).toMatch(LINE);
    }
    expect(existsSync(`${path}.3`)).toBe(false);
    // Newest records in the base file, older ones in .1.
    expect(lines(path).at(-1)).toEndWith("Update complete.  Exiting.");
    const all = [...lines(`${path}.2`), ...lines(`${path}.1`), ...lines(path)];
    expect(all).toEqual(r.lines.slice(r.lines.length - all.length));
  });

  test("watch: after an external rename the file is reopened under its name", async () => {
    await using idx = await demoIndex("sqlite");
    const path = idx.dir.join("w.log");
    const r = await runServe(idx, {
      once: false,
      extra: `logging:\n  file:\n    name: ${path}\n    watch: true\n`,
      during: async (out) => {
        await until(() => out.messages.some((m) => m.startsWith("INFO Main loop execution was")), 15000, "a loop");
        renameSync(path, `${path}.old`);
        const mark = out.lines.length;
        await until(() => out.messages.slice(mark).some((m) => m.startsWith("INFO Main loop execution was")), 15000, "another loop");
      },
    });
    expect(r.messages).toContain(`INFO Logging to [watching] ${path}`);
    const old = lines(`${path}.old`);
    const now = lines(path);
    expect(old[0]).toEndWith("Alpenhorn start.");
    expect(now.length).toBeGreaterThan(0);
    expect([...old, ...now]).toEqual(r.lines);
  });

  test("config errors: rotate+watch, missing name → `Error: …`, exit 1", async () => {
    await using idx = await demoIndex("sqlite");
    const cases: Array<[string, string]> = [
      ["logging:\n  file:\n    name: x.log\n    rotate: true\n    watch: true\n", "Error: logging.file.rotate and logging.file.watch both true in config\n"],
      ["logging:\n  syslog:\n    facility: bogus\n", "Error: unknown facility bogus in logging.syslog.facility\n"],
      ["logging:\n  file:\n    watch: true\n", "Error: missing config value: logging.file.name\n"],
      [
        "logging:\n  syslog:\n    address: /dev/log\n    port: 0\n",
        "Error: logging.syslog: Unix datagram socket /dev/log is not supported; set logging.syslog.use_tcp: true for a stream socket, or log to a UDP port\n",
      ],
    ];
    for (const [yaml, error] of cases) {
      const io = memoryIO();
      const code = await runCli(["--test-isolation", "-c", confFile(idx, yaml), "serve", "--once"], { io, env: { HOME: idx.dir.path }, cwd: idx.dir.path });
      expect(code).toBe(1);
      expect(io.err.endsWith(error)).toBe(true);
      expect(io.out).toBe("");
    }
  });
});

describe("logging.syslog", () => {
  test("UDP: every record, start-up ones first, as <PRI>{daemon line}\\0 with the configured facility", async () => {
    await using idx = await demoIndex("sqlite");
    const got: string[] = [];
    const server = createSocket("udp4");
    server.on("message", (m) => got.push(m.toString("utf8")));
    await new Promise<void>((res) => server.bind(0, "127.0.0.1", () => res()));
    const port = server.address().port;
    try {
      const r = await runServe(idx, { extra: `logging:\n  syslog:\n    address: 127.0.0.1\n    port: ${port}\n    facility: LOCAL3\n` });
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`INFO Logging to syslog at ('127.0.0.1', ${port}):${port} via UDP as facility local3`);
      await until(() => got.length >= r.lines.length, 5000, "all datagrams");
      // local3 = 19; INFO = 6, WARNING = 4.
      const sevOf = { INFO: 6, WARNING: 4, DEBUG: 7, ERROR: 3, CRITICAL: 2 } as const;
      const expected = r.lines.map((l) => `<${19 * 8 + sevOf[LINE.exec(l)![1] as keyof typeof sevOf]}>${l}\0`);
      expect(got).toEqual(expected);
      expect(got[0]).toMatch(/^<158>\w{3} .* INFO >> \[MainThread\] Alpenhorn start\.\0$/);
    } finally {
      server.close();
    }
  });
});
