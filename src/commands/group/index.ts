// `alpenhorn group`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "group", description: "Manage Storage Groups." },
  help: "Manage Storage Groups.",
  subCommands: {},
  summaries: {},
});
