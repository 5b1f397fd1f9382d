// `alpenhorn file`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "file", description: "Manage Files." },
  help: "Manage Files.",
  subCommands: {},
  summaries: {},
});
