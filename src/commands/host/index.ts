// `alpenhorn host`: the Storage Host group of upstream main (89943e0); its table exists only in
// main's layout, so on a 632dd41-layout index every command of it is one error line.

import { defineGroup } from "../_shared/define.ts";

export default defineGroup({
  meta: { name: "host", description: "Manage Storage Hosts." },
  help: "Manage Storage Hosts.",
  needsLayout: "main",
  subCommands: {
    create: () => import("./create.ts").then((m) => m.default),
    delete: () => import("./delete.ts").then((m) => m.default),
    list: () => import("./list.ts").then((m) => m.default),
    modify: () => import("./modify.ts").then((m) => m.default),
    rename: () => import("./rename.ts").then((m) => m.default),
    show: () => import("./show.ts").then((m) => m.default),
  },
  summaries: {
    create: "Create a new Storage Host.",
    delete: "Delete a Storage Host.",
    list: "List all storage hosts.",
    modify: "Modify a Storage Host.",
    rename: "Rename a storage host.",
    show: "Show details of a storage host.",
  },
});
