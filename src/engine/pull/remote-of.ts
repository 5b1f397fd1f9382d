// The NodeRemote of a pull's source (alpenhorn/daemon/__init__.py: RemoteNode at 632dd41):
// what a daemon may know of a node it does not run — where its files are, how to reach them,
// whether it lets this host pull. Every class here uses the Default remote: third-party I/O
// classes do not register remotes (yet), and a Default remote describes any POSIX node.

import type { StorageNodeRow } from "../../index/rows.ts";
import type { NodeRemote } from "../extension-api.ts";
import { defaultNodeRemote } from "../io/default/remote.ts";
import { nodeInfo } from "../io/node-info.ts";
import { parseIOConfig } from "../io/registry.ts";

export function remoteOf(source: StorageNodeRow): NodeRemote {
  let config: Record<string, unknown> = {};
  try {
    config = parseIOConfig(source.io_config);
  } catch {
    // A malformed io_config is the source daemon's problem; the Default remote needs none.
  }
  return defaultNodeRemote(nodeInfo(source), config);
}
