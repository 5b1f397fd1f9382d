// The compiled binary alone, copied into an empty directory, initialises a Data Index on
// SQLite and on MariaDB, and maps errors to click's exit statuses.

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { freshDatabase, mariadbOrSkip } from "../helpers/mariadb.ts";
import { binaryCopyIn, runBinary } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

const server = await mariadbOrSkip();

describe("dist/alpenhorn", () => {
  test("--version prints the version line and the licence", async () => {
    using dir = tempDir("bin");
    const bin = await binaryCopyIn(dir.path);
    const r = await runBinary(bin, ["--version"], { cwd: dir.path });
    expect(r.code).toBe(0);
    expect(r.out).toStartWith("alpenhorn ");
    expect(r.out).toEndWith("SOFTWARE.\n\n");
  });

  test("db init on a new SQLite file, from an empty directory", async () => {
    using dir = tempDir("bin");
    const bin = await binaryCopyIn(dir.path);
    writeFileSync(dir.join("a.conf"), `database:\n  url: sqlite:///${dir.join("index.db")}\n`);
    const r = await runBinary(bin, ["--test-isolation", "-c", "a.conf", "db", "init"], { cwd: dir.path });
    expect(r).toEqual({ code: 0, out: "Data Index version 2 initialised.\n", err: "" });
    const again = await runBinary(bin, ["--test-isolation", "-c", "a.conf", "db", "init"], { cwd: dir.path });
    expect(again.out).toBe("Data Index already initialised.\n");
  });

  test.if(server !== null)("db init on MariaDB, with the built-in pattern_importer", async () => {
    using dir = tempDir("bin");
    await using db = await freshDatabase("bin");
    const bin = await binaryCopyIn(dir.path);
    writeFileSync(dir.join("a.conf"), `database:\n  url: ${db.url}\nextensions:\n  - pattern_importer\n`);
    const r = await runBinary(bin, ["--test-isolation", "-c", "a.conf", "db", "init"], { cwd: dir.path });
    expect(r).toEqual({ code: 0, out: 'Data Index version 2 initialised.\nComponent "pattern_importer" version 2 initialised.\n', err: "" });
  });

  test("exit statuses: 1 for runtime errors, 2 for usage errors", async () => {
    using dir = tempDir("bin");
    const bin = await binaryCopyIn(dir.path);
    const noConfig = await runBinary(bin, ["--test-isolation", "db", "init"], { cwd: dir.path });
    expect(noConfig).toEqual({ code: 1, out: "", err: "Error: No configuration files available.  See --help-config for more details.\n" });
    const unknown = await runBinary(bin, ["frobnicate"], { cwd: dir.path });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe("Usage: alpenhorn [OPTIONS] COMMAND [ARGS]...\nTry 'alpenhorn -h' for help.\n\nError: No such command 'frobnicate'.\n");
    const badConf = await runBinary(bin, ["-c", "missing.conf", "db", "init"], { cwd: dir.path });
    expect(badConf.code).toBe(2);
    expect(badConf.err).toContain("Error: Invalid value for '--conf' / '-c': Path 'missing.conf' does not exist.");
    writeFileSync(dir.join("bad.conf"), "database: [unclosed\n");
    const malformed = await runBinary(bin, ["--test-isolation", "-c", "bad.conf", "db", "init"], { cwd: dir.path });
    expect(malformed.code).toBe(1);
    expect(malformed.err).toStartWith(`Error: unable to parse config file ${dir.join("bad.conf")}: `);
    expect(malformed.err.trim().split("\n")).toHaveLength(1);
  });

  test("an unreachable MySQL server is a one-line database error", async () => {
    using dir = tempDir("bin");
    const bin = await binaryCopyIn(dir.path);
    writeFileSync(dir.join("a.conf"), "database:\n  url: mysql://root@127.0.0.1:1/none\n");
    const r = await runBinary(bin, ["--test-isolation", "-c", "a.conf", "db", "init"], { cwd: dir.path });
    expect(r.code).toBe(1);
    expect(r.err).toStartWith("Error: Database read error: ");
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});
