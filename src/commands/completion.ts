// `alpenhorn completion bash|zsh`: print a shell completion script generated from the command
// definitions. Made by a factory that is handed the root table, so this module does not
// import the table that loads it.

import { UsageError } from "../common/errors.ts";
import { completionEntries, type RootTable } from "./_shared/completion-spec.ts";
import { bashScript, zshScript } from "./_shared/completion-scripts.ts";
import { defineCommand } from "./_shared/define.ts";

const SHELLS = { bash: bashScript, zsh: zshScript } as const;

export function completionCommand(root: RootTable) {
  return defineCommand({
    meta: { name: "completion", description: "Print a shell completion script." },
    help: `Print a shell completion script.

SHELL is "bash" or "zsh".  The script completes commands, options, and the names of nodes, groups and acquisitions (read from the data index named by the configuration, or by the -c/--conf given on the line being completed).

\b
To load it in the current shell:
    source <(alpenhorn completion bash)
    source <(alpenhorn completion zsh)     (after compinit)`,
    startup: "none",
    options: {},
    args: [{ name: "SHELL" }],
    async run(ctx, a) {
      if (!Object.hasOwn(SHELLS, a.shell)) throw new UsageError(`Invalid value for 'SHELL': '${a.shell}' is not one of 'bash', 'zsh'.`);
      const make = SHELLS[a.shell as keyof typeof SHELLS];
      ctx.io.stdout(make(await completionEntries(root)));
    },
  });
}
