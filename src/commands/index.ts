// The root command table: group and command names mapped to lazy loaders, so that
// `alpenhorn node list` loads neither the daemon nor the other groups.

import type { Loader } from "./_shared/define.ts";

export const ROOT_HELP = "Alpenhorn data management system.\n\nThis is the command-line interface to the alpenhorn data index.";

export const ROOT_COMMANDS: Record<string, Loader> = {
  acq: () => import("./acq/index.ts").then((m) => m.default),
  // Hidden (not in ROOT_SUMMARIES): the completion scripts' source of names.
  _names: () => import("./complete-names.ts").then((m) => m.default),
  "check-site": () => import("./check-site.ts").then((m) => m.default),
  completion: () => import("./completion.ts").then((m) => m.completionCommand({ commands: ROOT_COMMANDS, summaries: ROOT_SUMMARIES })),
  db: () => import("./db/index.ts").then((m) => m.default),
  file: () => import("./file/index.ts").then((m) => m.default),
  group: () => import("./group/index.ts").then((m) => m.default),
  host: () => import("./host/index.ts").then((m) => m.default),
  node: () => import("./node/index.ts").then((m) => m.default),
  serve: () => import("./serve.ts").then((m) => m.default),
  status: () => import("./status.ts").then((m) => m.default),
};

export const ROOT_SUMMARIES: Record<string, string> = {
  acq: "Manage Acquisitions.",
  "check-site": "Audit a node's files against the Data Index.",
  completion: "Print a shell completion script.",
  db: "Manage the Data Index.",
  file: "Manage Files.",
  group: "Manage Storage Groups.",
  host: "Manage Storage Hosts.",
  node: "Manage Storage Nodes.",
  serve: "Run the alpenhorn daemon.",
  status: "Show the state of the whole archive.",
};
