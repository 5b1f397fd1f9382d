// `alpenhorn db`: the Data Index group.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "db", description: "Manage the Data Index." },
  help: "Manage the Data Index.",
  startup: "db-group",
  subCommands: {
    init: () => import("./init.ts").then((m) => m.default),
    migrate: () => import("./migrate.ts").then((m) => m.default),
  },
  summaries: { init: "Initialise or upgrade the Data Index.", migrate: "Move the Data Index to another table layout." },
});
