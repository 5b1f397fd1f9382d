// The README's CLI reference must be what scripts/cli-reference.ts generates from the command
// definitions today: a command, option or help text changed without regenerating it fails here.

import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { tempDir } from "../../helpers/tmp.ts";
import { BEGIN, END, README, generate, splice } from "../../../scripts/cli-reference.ts";
import { ROOT_SUMMARIES } from "../../../src/commands/index.ts";

describe("README CLI reference", () => {
  test("the block in README.md is the generated one (else: bun scripts/cli-reference.ts --write)", async () => {
    const readme = readFileSync(README, "utf8");
    expect(readme).toContain(BEGIN);
    expect(readme).toContain(END);
    const block = readme.slice(readme.indexOf(BEGIN) + BEGIN.length + 1, readme.indexOf(END));
    expect(block).toBe(await generate());
  });

  test("the generated block covers every listed command and the layout variants", async () => {
    const block = await generate();
    for (const name of Object.keys(ROOT_SUMMARIES)) expect(block).toContain(`### \`alpenhorn ${name}\``);
    expect(block).toContain("#### `alpenhorn node sync`\n\n`alpenhorn node sync [OPTIONS] NODE GROUP`");
    expect(block).toContain("- `--timeout DUR`");
    expect(block).toContain("Upstream main's table layout only");
    // node create takes --host and --archive only on main's layout: listed in that section.
    const mainPart = block.slice(block.indexOf("### On upstream main's table layout"));
    expect(mainPart).toContain("#### `alpenhorn node create`");
    expect(mainPart).toMatch(/`--archive \/ --no-archive`/);
    // The hidden _names command is not documented.
    expect(block).not.toContain("_names");
  });

  test("splice replaces only the block", () => {
    const text = `a\n${BEGIN}\nold\n${END}\nb\n`;
    expect(splice(text, "new\n")).toBe(`a\n${BEGIN}\nnew\n${END}\nb\n`);
    expect(() => splice("no markers", "x")).toThrow();
  });

  test("--check exits 1 on a stale README, 0 on a fresh one; --write refreshes it", async () => {
    using dir = tempDir("cliref");
    const copy = dir.join("README.md");
    const script = `${import.meta.dir}/../../../scripts/cli-reference.ts`;
    const run = (mode: string) => Bun.spawnSync([process.execPath, script, mode], { env: { ...process.env, CLI_REFERENCE_README: copy } });
    const fresh = readFileSync(README, "utf8");
    writeFileSync(copy, fresh);
    expect(run("--check").exitCode).toBe(0);
    // An option's help changed in the code but not here: the block no longer matches.
    writeFileSync(copy, fresh.replace("- `--timeout DUR`: With --wait, give up after DUR", "- `--timeout DUR`: With --wait, stop after DUR"));
    const stale = run("--check");
    expect(stale.exitCode).toBe(1);
    expect(stale.stderr.toString()).toContain("the CLI reference is stale");
    expect(run("--write").exitCode).toBe(0);
    expect(readFileSync(copy, "utf8")).toBe(fresh);
  });
});
