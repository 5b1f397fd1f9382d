// What a command's run() receives: the loaded config, the open index, the logger, and the
// output channel with alpenhorn's verbosity rule (command output is hidden below level 3).

import type { Config } from "../../common/config.ts";
import type { Logger } from "../../common/logger.ts";
import type { LoadedExtensions } from "../../engine/extensions/types.ts";
import type { Driver } from "../../index/driver/types.ts";
import type { CliIO } from "./io.ts";

export interface Output {
  /** Command output (click.echo through alpenhorn's wrapper): suppressed at verbosity 1–2. */
  echo(line?: string): void;
  /** Output that is never suppressed (db init messages, prompts). */
  print(line?: string): void;
  /** Text without a newline, never suppressed (the `Continue? [y/N]: ` prompt). */
  write(text: string): void;
}

export interface CommandContext {
  /** Command path for usage lines, e.g. "node list". */
  readonly commandPath: string;
  readonly config: Config;
  /** The open Data Index (absent only for commands whose startup is "none"). */
  readonly db: Driver;
  readonly log: Logger;
  readonly out: Output;
  readonly io: CliIO;
  readonly verbosity: number;
  readonly extensions: LoadedExtensions;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  /** Top-level options, for commands that do their own start-up (serve). */
  readonly topLevel: { readonly confFile?: string; readonly testIsolation: boolean };
}

export function makeOutput(io: CliIO, verbosity: number): Output {
  return {
    echo: (line = "") => {
      if (verbosity >= 3) io.stdout(line + "\n");
    },
    print: (line = "") => io.stdout(line + "\n"),
    write: (text) => io.stdout(text),
  };
}
