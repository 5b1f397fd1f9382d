// `alpenhorn acq`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "acq", description: "Manage Acquisitions." },
  help: "Manage Acquisitions.",
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
    files: () => import("./files.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
  },
  summaries: {
    create: "Create a new Acquisition.",
    files: "List files in an Acquisition.",
    list: "List acquisitions.",
    show: "Show details of an Acquisition.",
  },
});
