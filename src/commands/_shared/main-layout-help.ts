// Upstream main words the --check and --force help of its confirming commands once for all
// (its cli_option "check" and "force"); on a main-layout index the commands whose 632dd41
// wording differs show main's. Only help text changes: options and behaviour are the same.

import type { CommandDef, Loader } from "./define.ts";

const MAIN_CHECK_HELP = "Only check (and print) what would be done, don't actually do anything.  Incompatible with --force";
const MAIN_FORCE_HELP = "Force update (skips confirmation).  Incompatible with --check";

function withMainConfirmHelp(def: CommandDef): CommandDef {
  const options = { ...def.options };
  if (options.check) options.check = { ...options.check, help: MAIN_CHECK_HELP };
  if (options.force) options.force = { ...options.force, help: MAIN_FORCE_HELP };
  return { ...def, options, run: def.run.bind(def) };
}

/** A loader that gives `load`'s command main's --check/--force help on a main-layout index. */
export function mainConfirmHelp(load: () => Promise<CommandDef>): Loader {
  return async (layout) => {
    const def = await load();
    return layout?.name === "main" ? withMainConfirmHelp(def) : def;
  };
}
