// `alpenhorn node`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "node", description: "Manage Storage Nodes." },
  help: "Manage Storage Nodes.",
  subCommands: {},
  summaries: {},
});
