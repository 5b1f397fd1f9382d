// `alpenhorn acq`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "acq", description: "Manage Acquisitions." },
  help: "Manage Acquisitions.",
  subCommands: {},
  summaries: {},
});
