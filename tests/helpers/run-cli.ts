// Run the CLI in-process through the same edge as the binary, against a test index.

import { writeFileSync } from "node:fs";
import { runCli } from "../../src/cli.ts";
import { memoryIO } from "../../src/commands/_shared/io.ts";
import type { TestIndex } from "./index.ts";

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export interface CliRunner {
  /** Run `alpenhorn --test-isolation -c <conf> ...argv` with `input` on stdin. */
  (argv: readonly string[], input?: string): Promise<CliResult>;
  readonly confPath: string;
}

/** A runner whose config names the test index (plus any extra YAML lines). */
export function cliFor(index: TestIndex, extraYaml = ""): CliRunner {
  const confPath = index.dir.join("alpenhorn.conf");
  writeFileSync(confPath, `database:\n  url: ${JSON.stringify(index.url)}\n${extraYaml}`);
  const run = async (argv: readonly string[], input = ""): Promise<CliResult> => {
    const io = memoryIO(input);
    const code = await runCli(["--test-isolation", "-c", confPath, ...argv], {
      io,
      env: { HOME: index.dir.path },
      cwd: index.dir.path,
    });
    return { code, out: io.out, err: io.err };
  };
  return Object.assign(run, { confPath });
}

/**
 * alpenhorn's `assert_row_present`: some line consists of exactly these non-empty cells,
 * separated by whitespace.
 */
export function hasRow(text: string, ...cells: Array<string | number>): boolean {
  const want = cells.map(String).filter((c) => c !== "");
  return text.split("\n").some((line) => {
    let rest = line.trim();
    for (const [i, cell] of want.entries()) {
      if (!rest.startsWith(cell)) return false;
      rest = rest.slice(cell.length);
      if (i < want.length - 1) {
        if (!/^\s+/.test(rest)) return false;
        rest = rest.trimStart();
      }
    }
    return rest === "";
  });
}
