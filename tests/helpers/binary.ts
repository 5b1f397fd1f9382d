// The compiled binary for end-to-end tests: dist/alpenhorn (built by `npm test` first, or
// here on demand), run as a user would, optionally from a copy in an empty directory.

import { copyFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile, DEFAULT_OUTFILE } from "../../scripts/compile.ts";
import { unprivilegedArgv } from "./unprivileged.ts";

let built: Promise<string> | undefined;

/** Path of dist/alpenhorn, compiling it once per test run if it is not there. */
export function binaryPath(): Promise<string> {
  built ??= (async () => {
    if (!existsSync(DEFAULT_OUTFILE)) await compile();
    return DEFAULT_OUTFILE;
  })();
  return built;
}

/** Copy the binary alone into `dir` (no node_modules anywhere near it); returns the copy's path. */
export async function binaryCopyIn(dir: string): Promise<string> {
  const dest = join(dir, "alpenhorn");
  copyFileSync(await binaryPath(), dest);
  return dest;
}

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Run the binary with arguments, a working directory, extra environment and stdin text;
 * `unprivileged` runs it as nobody when the tests run as root (tests/helpers/unprivileged.ts).
 */
export async function runBinary(
  bin: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number; unprivileged?: boolean } = {},
): Promise<RunResult> {
  const argv = [resolve(bin), ...args];
  const proc = Bun.spawn(opts.unprivileged ? unprivilegedArgv(argv) : argv, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: opts.cwd ?? "/tmp", ...opts.env },
    stdin: opts.input === undefined ? "ignore" : new TextEncoder().encode(opts.input),
    stdout: "pipe",
    stderr: "pipe",
    timeout: opts.timeoutMs ?? 60_000,
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, out, err };
}
