// `alpenhorn file`: the command group; each verb lives in its own file beside this one.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "file", description: "Manage Files." },
  help: "Manage Files.",
  subCommands: {
    clean: () => import("./clean.ts").then((m) => m.default),
    create: () => import("./create.ts").then((m) => m.default),
    explain: () => import("./explain.ts").then((m) => m.default),
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
    clean: "Remove a File from a Node.",
    create: "Create a new File record.",
    explain: "Explain what the daemon will do with a File.",
    find: "Find Files on Nodes.",
    import: "Import a File on a Node.",
    list: "List Files.",
    modify: "Change File details.",
    show: "Show details of a File.",
    state: "Show or update the state of a File.",
    sync: "Create or cancel a File transfer.",
    verify: "Request verification of a File.",
  },
});
