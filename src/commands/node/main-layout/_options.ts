// Node options as upstream main (89943e0) declares them: a host names a storagehost row, and
// the role is only "archive or not".

import { defineOptions } from "../../_shared/define.ts";

export const MAIN_NODE_OPTIONS = defineOptions({
  archive: {
    names: ["--archive"],
    off: ["--no-archive"],
    kind: "flag",
    help: "Make node an archive node / or (the default) not an archive node.",
  },
  host: { names: ["--host"], kind: "value", metavar: "HOST", help: "The Storage Host where this node is present." },
});

/** The storage-type code our node rows use for main's archive flag (layout/node-columns.ts). */
export const roleCode = (archive: boolean) => (archive ? "A" : "T");
