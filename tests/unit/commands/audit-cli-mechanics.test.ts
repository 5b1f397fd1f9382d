// Audit of the CLI mechanics shared by every command (alpenhorn/cli/entry.py and
// alpenhorn/cli/options.py: cli_option at 632dd41, on click): click's help layout (option
// spellings sorted short-first, whitespace kept, \b blocks), eager options before -c's path
// check, "Did you mean" as difflib/click compute it, and value conversion in command-line order.

import { describe, expect, test } from "bun:test";
import { runCli } from "../../../src/cli.ts";
import { parseArgs } from "../../../src/commands/_shared/argv.ts";
import type { ParseSpec } from "../../../src/commands/_shared/argv.ts";
import { memoryIO } from "../../../src/commands/_shared/io.ts";
import { commandHelp } from "../../../src/commands/_shared/help.ts";
import { defineCommand } from "../../../src/commands/_shared/define.ts";

async function bare(argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, { io, env: {}, cwd: "/" });
  return { code, out: io.out, err: io.err };
}

describe("help layout", () => {
  test("option spellings are listed short-first, as click's _join_options sorts them", async () => {
    const r = await bare(["-h"]);
    expect(r.out).toContain("\n  -c, --conf FILE ");
    expect(r.out).not.toContain("--conf, -c");
  });

  test("help text keeps double spaces inside a line and prints \\b blocks verbatim", () => {
    const def = defineCommand({
      meta: { name: "x" },
      help: "Short.\n\nOne.  Two.\n\n\b\nHEADING\n-------",
      options: { all: { names: ["--all", "-a"], kind: "flag", help: "Must be used with --cancel.  Cancel all." } },
      args: [{ name: "GROUP" }, { name: "NODE", required: false }],
      run: async () => undefined,
    });
    const help = commandHelp("group sync", def);
    expect(help).toContain("\n  One.  Two.\n\n  HEADING\n  -------\n");
    expect(help).toContain("\n  -a, --all   Must be used with --cancel.  Cancel all.\n");
    // click prints an argument's explicit metavar as is: no brackets for an optional one.
    expect(help).toStartWith("Usage: alpenhorn group sync [OPTIONS] GROUP NODE\n");
  });

  test("wrapping drops the whitespace at a line break but keeps it elsewhere", () => {
    const word = "abcdefghi";
    const text = Array.from({ length: 12 }, () => word).join(".  ");
    const def = defineCommand({ meta: { name: "x" }, help: text, options: {}, args: [], run: async () => undefined });
    const lines = commandHelp("x", def).split("\n").slice(2, 4);
    for (const l of lines) {
      expect(l.length).toBeLessThanOrEqual(78);
      expect(l).toStartWith("  abcdefghi");
      expect(l).not.toEndWith(" ");
      expect(l).toContain(".  abcdefghi");
    }
  });
});

describe("eager options", () => {
  test("--version and -h act before -c's path check (click processes eager options first)", async () => {
    const v = await bare(["-c", "/nonexistent/alpenhorn.conf", "--version"]);
    expect(v.code).toBe(0);
    expect(v.out).toStartWith("alpenhorn ");
    const h = await bare(["-c", "/nonexistent/alpenhorn.conf", "-h"]);
    expect(h.code).toBe(0);
    expect(h.out).toStartWith("Usage: alpenhorn [OPTIONS] COMMAND [ARGS]...\n");
    const bad = await bare(["-c", "/nonexistent/alpenhorn.conf", "acq", "list"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toEndWith("Error: Invalid value for '--conf' / '-c': Path '/nonexistent/alpenhorn.conf' does not exist.\n");
  });
});

const spec: ParseSpec = {
  options: {
    all: { names: ["--all", "-a"], kind: "flag" },
    size: { names: ["--size"], kind: "value", type: "int" },
    days: { names: ["--days"], kind: "value", type: "int" },
    host: { names: ["--host"], kind: "value" },
    ab: { names: ["--abcd"], kind: "flag" },
    ac: { names: ["--acbd"], kind: "flag" },
    ghost: { names: ["--ghost"], kind: "flag" },
    removed: { names: ["--show-removed"], kind: "flag" },
  },
  args: [],
};

describe("parser messages", () => {
  test("an unknown short option never gets suggestions", () => {
    expect(() => parseArgs(spec, ["-s"])).toThrow(/^No such option '-s'\.$/);
  });
  test("several possibilities are listed in alphabetical order", () => {
    expect(() => parseArgs(spec, ["--ab"])).toThrow("No such option '--ab'. (Possible options: --abcd, --acbd, --all)");
    // --host scores higher than --ghost, but click sorts the names it prints.
    expect(() => parseArgs(spec, ["--host2"])).toThrow("No such option '--host2'. (Possible options: --ghost, --host)");
  });
  test("similarity is difflib's ratio (matching blocks), not the longest common subsequence", () => {
    // Python: SequenceMatcher(None, "--show-removed", "--whos-veromed").ratio() = 0.571 (< 0.6,
    // no suggestion), while the longest common subsequence would give 0.643.
    expect(() => parseArgs(spec, ["--whos-veromed"])).toThrow(/^No such option '--whos-veromed'\.$/);
  });
  test("bad values are reported in command-line order", () => {
    expect(() => parseArgs(spec, ["--days=x", "--size=y"])).toThrow("Invalid value for '--days': 'x' is not a valid integer.");
    expect(() => parseArgs(spec, ["--size=y", "--days=x"])).toThrow("Invalid value for '--size': 'y' is not a valid integer.");
  });
});

describe("empty paths", () => {
  test("-c '' / --conf= is a usage error: an empty path does not exist", async () => {
    const r = await bare(["--test-isolation", "--conf=", "acq", "list"]);
    expect(r.code).toBe(2);
    expect(r.err).toEndWith("Error: Invalid value for '--conf' / '-c': Path '' does not exist.\n");
  });
  test("-F '' does not exist either (not 'is a directory')", () => {
    const s: ParseSpec = { options: { fileList: { names: ["-F", "--file-list"], kind: "value", type: "file" } }, args: [] };
    expect(() => parseArgs(s, ["-F", ""], "/")).toThrow("Invalid value for '-F' / '--file-list': File '' does not exist.");
  });
});

/** click's make_default_short_help (first sentence of the first paragraph, at most 45 wide). */
function shortHelp(help: string, max = 45): string {
  const end = help.indexOf("\n\n");
  let words = (end < 0 ? help : help.slice(0, end)).split(/\s+/).filter(Boolean);
  if (words[0] === "\b") words = words.slice(1);
  let total = 0;
  for (const [i, w] of words.entries()) {
    total += w.length + (i > 0 ? 1 : 0);
    if (total > max) throw new Error("too long for this check");
    if (w.endsWith(".")) return words.slice(0, i + 1).join(" ");
  }
  return words.join(" ");
}

describe("group listings", () => {
  for (const name of ["acq", "db", "group"]) {
    test(`\`${name} -h\` lists each command with the first sentence of its own help (click derives it)`, async () => {
      const group = (await import(`../../../src/commands/${name}/index.ts`)).default;
      for (const [sub, load] of Object.entries(group.subCommands) as Array<[string, () => Promise<{ help: string }>]>) {
        const cmd = await load();
        expect(`${sub}: ${group.summaries[sub]}`).toBe(`${sub}: ${shortHelp(cmd.help)}`);
      }
    });
  }
});
