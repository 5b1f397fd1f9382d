// `alpenhorn db`: the Data Index group.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "db", description: "Manage the Data Index." },
  help: "Manage the Data Index.",
  startup: "db-group",
  subCommands: {
    check: () => import("./check.ts").then((m) => m.default),
    init: () => import("./init.ts").then((m) => m.default),
    migrate: () => import("./migrate.ts").then((m) => m.default),
    "node-totals": () => import("./node-totals.ts").then((m) => m.default),
  },
  summaries: {
    check: "Check the Data Index for inconsistencies.",
    init: "Initialise or upgrade the Data Index.",
    migrate: "Move the Data Index to another table layout.",
    "node-totals": "Keep per-node copy totals for fast stats.",
  },
});
