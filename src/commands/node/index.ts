// `alpenhorn node`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";
import { mainConfirmHelp } from "../_shared/main-layout-help.ts";

export default defineGroup({
  meta: { name: "node", description: "Manage Storage Nodes." },
  help: "Manage Storage Nodes.",
  subCommands: {
    // Commands whose options differ on upstream main's table layout load main's variant there.
    activate: (layout) => (layout?.name === "main" ? import("./main-layout/activate.ts") : import("./activate.ts")).then((m) => m.default),
    autoclean: () => import("./autoclean.ts").then((m) => m.default),
    clean: mainConfirmHelp(() => import("./clean.ts").then((m) => m.default)),
    create: (layout) => (layout?.name === "main" ? import("./main-layout/create.ts") : import("./create.ts")).then((m) => m.default),
    deactivate: () => import("./deactivate.ts").then((m) => m.default),
    drain: () => import("./drain.ts").then((m) => m.default),
    init: () => import("./init.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    modify: (layout) => (layout?.name === "main" ? import("./main-layout/modify.ts") : import("./modify.ts")).then((m) => m.default),
    rename: () => import("./rename.ts").then((m) => m.default),
    risk: () => import("./risk.ts").then((m) => m.default),
    scan: () => import("./scan.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
    stats: () => import("./stats.ts").then((m) => m.default),
    sync: mainConfirmHelp(() => import("./sync.ts").then((m) => m.default)),
    verify: () => import("./verify.ts").then((m) => m.default),
  },
  summaries: {
    activate: "Activate a node.",
    autoclean: "Manage autoclean triggers for this node.",
    clean: "Remove files from a Storage Node.",
    create: "Create a new Storage Node.",
    deactivate: "Deactivate a node.",
    drain: "Empty a Storage Node safely.",
    init: "Initialise a known Storage Node.",
    list: "List Storage Nodes.",
    modify: "Modify a Storage Node.",
    rename: "Rename a storage node.",
    risk: "Show files at risk on Storage Nodes.",
    scan: "Scan a node for files to import.",
    show: "Show details of a Storage Node.",
    stats: "Show Storage Node stats.",
    sync: "Copy files off a Storage Node.",
    verify: "Verify files on a Storage Node.",
  },
});
