// `alpenhorn group`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";
import { mainConfirmHelp } from "../_shared/main-layout-help.ts";

export default defineGroup({
  meta: { name: "group", description: "Manage Storage Groups." },
  help: "Manage Storage Groups.",
  subCommands: {
    autosync: () => import("./autosync.ts").then((m) => m.default),
    create: () => import("./create.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    modify: () => import("./modify.ts").then((m) => m.default),
    rename: () => import("./rename.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
    sync: mainConfirmHelp(() => import("./sync.ts").then((m) => m.default)),
  },
  summaries: {
    autosync: "Manage autosync sources for this group.",
    create: "Create a new storage group.",
    list: "List all storage groups.",
    modify: "Modify storage group metadata.",
    rename: "Rename a storage group.",
    show: "Show details of a storage group.",
    sync: "Copy files into a Storage Group.",
  },
});
