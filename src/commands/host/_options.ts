// The metadata options of host create and host modify (upstream main's cli_option texts).

import { defineOptions } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";

export const HOST_OPTIONS = defineOptions({
  address: { names: ["--address"], kind: "value", metavar: "ADDR", help: "Domain name or IP address to use for remote access to the host." },
  notes: COMMON.notes,
  username: { names: ["--username"], kind: "value", metavar: "USER", help: "Username to use for remote access to the host." },
});
