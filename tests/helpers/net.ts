// A free TCP port on 127.0.0.1 for servers tests start (one copy, shared with the scripts).
export { freePort } from "../../scripts/lib/net.ts";
