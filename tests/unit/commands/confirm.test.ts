// The confirmation flow (alpenhorn/cli/cli.py: check_then_update at 632dd41) and the pure parts
// of --file-list (alpenhorn/cli/options.py: files_from_file, check_if_from_stdin), without a
// database: prompt answers, re-prompting, EOF, check/force modes, the stdin warning, root
// stripping.

import { describe, expect, test } from "bun:test";
import { AbortedError, ExitRequest, UsageError } from "../../../src/common/errors.ts";
import { Logger } from "../../../src/common/logger.ts";
import { checkThenUpdate, confirm, notBoth, requiresOther, stdinForcesCheck, type RunMode } from "../../../src/commands/_shared/confirm.ts";
import { makeOutput, type CommandContext } from "../../../src/commands/_shared/context.ts";
import { fileListEntries, stripRoot } from "../../../src/commands/_shared/file-list.ts";
import { memoryIO } from "../../../src/commands/_shared/io.ts";

/** A context with captured streams and `input` on stdin; only what the flow touches is real. */
function fakeCtx(input: string, verbosity = 3) {
  const io = memoryIO(input);
  const log = new Logger("cli", "WARNING", [{ write: (line) => io.stderr(line + "\n") }]);
  const ctx = { io, log, out: makeOutput(io, verbosity), verbosity } as unknown as CommandContext;
  return { ctx, io };
}

/** A run that records its modes and prints like a command does. */
function recorder(ctx: CommandContext) {
  const modes: RunMode[] = [];
  const run = async (mode: RunMode) => {
    modes.push(mode);
    ctx.out.echo(mode.update ? "Doing." : "Would do.");
  };
  return { modes, run };
}

describe("confirm", () => {
  test.each([
    ["y\n", true],
    ["YES\n", true],
    ["  Yes \n", true],
    ["n\n", false],
    ["No\n", false],
    ["\n", false],
  ])("answer %j → %p", async (input, expected) => {
    const { ctx, io } = fakeCtx(input);
    expect(await confirm(ctx)).toBe(expected);
    expect(io.out).toBe("Continue? [y/N]: ");
  });

  test("other input prints `Error: invalid input` on stdout and asks again", async () => {
    const { ctx, io } = fakeCtx("what\nok\ny\n");
    expect(await confirm(ctx)).toBe(true);
    expect(io.out).toBe("Continue? [y/N]: Error: invalid input\nContinue? [y/N]: Error: invalid input\nContinue? [y/N]: ");
  });

  test("end of input aborts", async () => {
    const { ctx } = fakeCtx("");
    await expect(confirm(ctx)).rejects.toBeInstanceOf(AbortedError);
  });

  test("the prompt is not silenced by -q", async () => {
    const { ctx, io } = fakeCtx("y\n", 2);
    await confirm(ctx);
    expect(io.out).toBe("Continue? [y/N]: ");
  });
});

describe("checkThenUpdate", () => {
  test("yes: check run, empty line, prompt, empty line, update run from scratch", async () => {
    const { ctx, io } = fakeCtx("y\n");
    const { modes, run } = recorder(ctx);
    await checkThenUpdate(ctx, { check: false, force: false }, run);
    expect(modes).toEqual([{ update: false, firstTime: true }, { update: true, firstTime: false }]);
    expect(io.out).toBe("Would do.\n\nContinue? [y/N]: \nDoing.\n");
  });

  test("no: `Cancelled.` after an empty line, then a successful early exit", async () => {
    const { ctx, io } = fakeCtx("n\n");
    const { modes, run } = recorder(ctx);
    const err = await checkThenUpdate(ctx, { check: false, force: false }, run).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExitRequest);
    expect((err as ExitRequest).exitCode).toBe(0);
    expect(modes.length).toBe(1);
    expect(io.out).toBe("Would do.\n\nContinue? [y/N]: \nCancelled.\n");
  });

  test("--check runs only the check; --force only the update, as the first run", async () => {
    const c = fakeCtx("y\n");
    const check = recorder(c.ctx);
    await checkThenUpdate(c.ctx, { check: true, force: false }, check.run);
    expect(check.modes).toEqual([{ update: false, firstTime: true }]);
    expect(c.io.out).toBe("Would do.\n");
    const f = fakeCtx("n\n");
    const force = recorder(f.ctx);
    await checkThenUpdate(f.ctx, { check: false, force: true }, force.run);
    expect(force.modes).toEqual([{ update: true, firstTime: true }]);
    expect(f.io.out).toBe("Doing.\n");
  });

  test("a check run that finds nothing ends before the prompt", async () => {
    const { ctx, io } = fakeCtx("y\n");
    const run = async () => {
      ctx.out.echo("Nothing.");
      throw new ExitRequest(0);
    };
    await expect(checkThenUpdate(ctx, { check: false, force: false }, run)).rejects.toBeInstanceOf(ExitRequest);
    expect(io.out).toBe("Nothing.\n");
  });
});

describe("usage checks", () => {
  test("notBoth / requiresOther messages; empty lists count as not given", () => {
    expect(() => notBoth(true, "check", true, "force")).toThrow(new UsageError("cannot use both --check and --force"));
    expect(() => notBoth(true, "cancel", [], "target")).not.toThrow();
    expect(() => notBoth(true, "cancel", ["G"], "target")).toThrow("cannot use both --cancel and --target");
    expect(() => requiresOther(true, "all", false, "cancel")).toThrow("--all may only be used with --cancel");
    expect(() => requiresOther(false, "all", false, "cancel")).not.toThrow();
  });

  test("`-F -` without --check/--force forces check mode with a warning", () => {
    const { ctx, io } = fakeCtx("");
    expect(stdinForcesCheck(ctx, "-", false, false)).toBe(true);
    expect(io.err).toBe("WARNING >> stdin has been redirected without --force.  Automatically enabling --check mode.\n");
    expect(stdinForcesCheck(ctx, "-", false, true)).toBe(false);
    expect(stdinForcesCheck(ctx, "-", true, false)).toBe(true);
    expect(stdinForcesCheck(ctx, "list.txt", false, false)).toBe(false);
    expect(io.err.split("\n").length).toBe(2);
  });
});

describe("file list parsing", () => {
  test("comments need # in column 1; lines are stripped; blanks skipped; numbers count every line", () => {
    const text = "# comment\n  Acq/F1  \n\n #not a comment\r\nAcq/F2\rAcq/F3";
    expect(fileListEntries(text, null)).toEqual([
      { lineNo: 2, path: "Acq/F1" },
      { lineNo: 4, path: "#not a comment" },
      { lineNo: 5, path: "Acq/F2" },
      { lineNo: 6, path: "Acq/F3" },
    ]);
  });

  test("the node root is removed component-wise from absolute lines only", () => {
    expect(stripRoot("/node/Acq/F", "/node")).toBe("Acq/F");
    expect(stripRoot("/node//Acq/./F", "/node/")).toBe("Acq/F");
    expect(stripRoot("/nodeX/Acq/F", "/node")).toBeNull();
    expect(stripRoot("/node", "/node")).toBe(".");
    expect(stripRoot("/a/b", "/")).toBe("a/b");
    expect(stripRoot("/node/a", "node")).toBeNull();
    expect(fileListEntries("/node/Acq/F\n/other/Acq/F\nAcq/G\n", "/node").map((e) => e.path)).toEqual(["Acq/F", "/other/Acq/F", "Acq/G"]);
  });

  test("exactly two leading slashes are their own PurePosixPath anchor: `//node/x` is not under `/node`", () => {
    expect(stripRoot("//node/Acq/F", "/node")).toBeNull();
    expect(stripRoot("/node/Acq/F", "//node")).toBeNull();
    expect(stripRoot("//node/Acq/F", "//node")).toBe("Acq/F");
    expect(stripRoot("///node/Acq/F", "/node")).toBe("Acq/F");
    expect(fileListEntries("//node/Acq/F\n", "/node").map((e) => e.path)).toEqual(["//node/Acq/F"]);
  });
});
