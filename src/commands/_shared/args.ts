// Option declarations shared by several commands, each declared once (alpenhorn's cli_option).

import type { OptionDef } from "./define.ts";

/** `-F/--file-list PATH` of node clean/verify/sync and group sync. */
export const fileListOption: OptionDef = {
  names: ["-F", "--file-list"],
  kind: "value",
  type: "file",
  metavar: "PATH",
  help: "Limit operation to files listed in text file at PATH.  If PATH is -, stdin will be read.  In that case, --check will be assumed if --force isn't used.",
};
