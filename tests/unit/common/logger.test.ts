// Log records in alpenhorn's two formats, level filtering, and the worker name context.

import { describe, expect, test } from "bun:test";
import { Logger, daemonTimestamp, formatRecord, runAs, type LevelName } from "../../../src/common/logger.ts";

function capture(format: "cli" | "daemon", level: LevelName) {
  const lines: string[] = [];
  const log = new Logger(format, level, [{ write: (l) => lines.push(l) }]);
  return { log, lines };
}

describe("logger", () => {
  test("CLI records read `LEVEL >> message`", () => {
    const { log, lines } = capture("cli", "INFO");
    log.warning("stdin has been redirected without --force.  Automatically enabling --check mode.");
    log.info("hello");
    log.debug("hidden");
    expect(lines).toEqual(["WARNING >> stdin has been redirected without --force.  Automatically enabling --check mode.", "INFO >> hello"]);
  });

  test("daemon records carry a local timestamp and the flow's name", async () => {
    const { log, lines } = capture("daemon", "DEBUG");
    log.info("Alpenhorn start.");
    await runAs("Worker#2", async () => {
      await Promise.resolve();
      log.info("Started.");
    });
    expect(lines[0]).toMatch(/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} INFO >> \[MainThread\] Alpenhorn start\.$/);
    expect(lines[1]).toMatch(/ INFO >> \[Worker#2\] Started\.$/);
  });

  test("identical records are never folded", () => {
    const { log, lines } = capture("cli", "WARNING");
    for (let i = 0; i < 8; i++) log.warning("No active nodes on host (alpenhost1)!");
    expect(lines).toHaveLength(8);
  });

  test("the timestamp is %b %d %H:%M:%S", () => {
    expect(daemonTimestamp(new Date(2025, 1, 1, 0, 38, 32))).toBe("Feb 01 00:38:32");
    expect(formatRecord("daemon", "WARNING", "x", "MainThread", new Date(2025, 1, 21, 0, 38, 32))).toBe("Feb 21 00:38:32 WARNING >> [MainThread] x");
  });
});
