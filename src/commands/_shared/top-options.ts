// The options of `alpenhorn` itself, before the command name: parsed by the process edge
// (cli.ts), listed in the root help and offered by shell completion.

import type { OptionDef } from "./define.ts";

// Help texts as alpenhorn's entry point has them (its "mulitple" typo included).
export const TOP_OPTIONS: Record<string, OptionDef> = {
  version: { names: ["--version"], kind: "flag", help: "Show version information and exit." },
  conf: { names: ["--conf", "-c"], kind: "value", metavar: "FILE", help: "Configuration file to read." },
  quiet: { names: ["-q", "--quiet"], kind: "count", help: "Decrease verbosity.  May be specified mulitple times: once suppresses normal CLI output, leaving only warning and error message.  A second use also suppresses warnings." },
  testIsolation: { names: ["--test-isolation"], kind: "flag", help: "Enable test isolation.  Using this option prevents alpenhorn from reading config from the standard config paths." },
  verbose: { names: ["-v", "--verbose"], kind: "count", help: "Increase verbosity.  May be specified mulitple times: once enables informational messages.  A second use also enables debugging messages." },
  debug: { names: ["--debug"], kind: "flag", help: "Maximum verbosity." },
  helpConfig: { names: ["--help-config"], kind: "flag", help: "Help on configuring alpenhorn." },
};
