// `alpenhorn file`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "file", description: "Manage Files." },
  help: "Manage Files.",
  subCommands: {
    clean: () => import("./clean.ts").then((m) => m.default),
    create: () => import("./create.ts").then((m) => m.default),
    find: () => import("./find.ts").then((m) => m.default),
    import: () => import("./import.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    modify: () => import("./modify.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
    state: () => import("./state.ts").then((m) => m.default),
    sync: () => import("./sync.ts").then((m) => m.default),
    verify: () => import("./verify.ts").then((m) => m.default),
  },
  summaries: {
    clean: "Clean (delete) a file.",
    create: "Create a new file in an acquisition.",
    find: "Find files by state and location.",
    import: "Import a file (or request import).",
    list: "List files.",
    modify: "Modify file properties.",
    show: "Show details of a file.",
    state: "Get or set the state of a file copy.",
    sync: "Copy a file between nodes.",
    verify: "Request verification of a file copy.",
  },
});
