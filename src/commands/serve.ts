// `alpenhorn serve`: the daemon. Start-up is its own (daemon log format), so the edge only
// hands over the top-level options.

import { CliError } from "../common/errors.ts";
import { defineCommand } from "./_shared/define.ts";

export default defineCommand({
  meta: { name: "serve", description: "Run the alpenhorn daemon." },
  help: "Run the alpenhorn daemon.",
  startup: "none",
  options: {},
  args: [],
  async run() {
    throw new CliError("the daemon is not part of this build yet");
  },
});
