// The process edge in-process: top-level options, start-up order and exit statuses
// (alpenhorn/cli/entry.py: entry at 632dd41; the statuses as README "The CLI" lists them).

import { describe, expect, test } from "bun:test";
import { runCli } from "../../src/cli.ts";
import { memoryIO } from "../../src/commands/_shared/io.ts";
import { initialisedIndex } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";

async function bare(argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, { io, env: {}, cwd: "/" });
  return { code, out: io.out, err: io.err };
}

describe("top level", () => {
  test("no arguments prints the help and exits 0", async () => {
    const r = await bare([]);
    expect(r.code).toBe(0);
    expect(r.out).toStartWith("Usage: alpenhorn [OPTIONS] COMMAND [ARGS]...\n");
    expect(r.out).toContain("  node        Manage Storage Nodes.");
    expect(r.out).toContain("  check-site  Audit a node's files against the Data Index.");
  });

  test("--help-config and --version need no configuration", async () => {
    expect((await bare(["--help-config"])).out).toContain("ALPENHORN_CONFIG_FILE");
    expect((await bare(["--version"])).code).toBe(0);
  });

  test("options without a command: Missing command. (exit 2)", async () => {
    const r = await bare(["--test-isolation"]);
    expect(r).toEqual({ code: 2, out: "", err: "Usage: alpenhorn [OPTIONS] COMMAND [ARGS]...\nTry 'alpenhorn -h' for help.\n\nError: Missing command.\n" });
  });

  test("-q with -v or --debug is a usage error before any config is read", async () => {
    expect((await bare(["-q", "-v", "node", "list"])).err).toEndWith("Error: cannot use both --quiet and --verbose\n");
    expect((await bare(["-q", "--debug", "node", "list"])).err).toEndWith("Error: cannot use both --quiet and --debug\n");
  });

  test("start-up runs before the sub-command's own options: `node --help` without config fails", async () => {
    const r = await bare(["--test-isolation", "node", "--help"]);
    expect(r).toEqual({ code: 1, out: "", err: "Error: No configuration files available.  See --help-config for more details.\n" });
  });
});

describe("with an index", () => {
  test("a group without a sub-command prints its help; an unknown one is a usage error", async () => {
    await using idx = await initialisedIndex("sqlite");
    const run = cliFor(idx);
    const help = await run(["node"]);
    expect(help.code).toBe(0);
    expect(help.out).toStartWith("Usage: alpenhorn node [OPTIONS] COMMAND [ARGS]...\n");
    const bad = await run(["node", "frob"]);
    expect(bad).toEqual({ code: 2, out: "", err: "Usage: alpenhorn node [OPTIONS] COMMAND [ARGS]...\nTry 'alpenhorn node -h' for help.\n\nError: No such command 'frob'.\n" });
  });

  test("every command but the db group needs schema version 2", async () => {
    await using idx = await initialisedIndex("sqlite");
    await idx.db.run("UPDATE dataindexversion SET version = 3");
    const r = await cliFor(idx)(["node", "list"]);
    expect(r).toEqual({ code: 1, out: "", err: "Error: Data Index version mismatch:  wanted version 2; found version 3\n" });
    await idx.db.run("DELETE FROM dataindexversion");
    const none = await cliFor(idx)(["node", "list"]);
    expect(none.err).toBe("Error: Data Index version mismatch:  wanted version 2; no schema found\n");
  });

  test("-v logs the config files read; --debug logs SQL statements", async () => {
    await using idx = await initialisedIndex("sqlite");
    const run = cliFor(idx);
    const v = await run(["-v", "db", "init"]);
    expect(v.err).toBe(`INFO >> Loading config file ${run.confPath}\n`);
    const d = await run(["--debug", "db", "init"]);
    expect(d.err).toContain("DEBUG >> SELECT version FROM dataindexversion WHERE component = ?");
  });

  test("db init output is not silenced by -q", async () => {
    await using idx = await initialisedIndex("sqlite");
    expect((await cliFor(idx)(["-q", "db", "init"])).out).toBe("Data Index already initialised.\n");
  });
});
