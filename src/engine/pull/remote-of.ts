// The NodeRemote of a pull's source (alpenhorn/daemon/__init__.py: RemoteNode at 632dd41):
// what a daemon may know of a node it does not run — where its files are, how to reach them,
// whether it lets this host pull, whether a file is ready to be pulled. Built-in classes bring
// their own remote (LustreHSM: ready = the copy's `ready` flag); any other class uses the
// Default remote: third-party I/O classes do not register remotes (yet), and a Default remote
// describes any POSIX node.

import type { StorageNodeRow } from "../../index/rows.ts";
import type { IndexOps, NodeRemote } from "../extension-api.ts";
import { defaultNodeRemote } from "../io/default/remote.ts";
import { nodeInfo } from "../io/node-info.ts";
import { builtInRemote, parseIOConfig } from "../io/registry.ts";

/** Index operations for callers that only need a remote's paths and permissions. */
const NO_INDEX = new Proxy({} as IndexOps, {
  get: (_t, name) => () => {
    throw new Error(`NodeRemote asked the index (${String(name)}) without index access`);
  },
});

/** `index` is needed for pullReady of classes that keep readiness in the index (LustreHSM). */
export function remoteOf(source: StorageNodeRow, index: IndexOps = NO_INDEX): NodeRemote {
  let config: Record<string, unknown> = {};
  try {
    config = parseIOConfig(source.io_config);
  } catch {
    // A malformed io_config is the source daemon's problem; the remotes need none of it.
  }
  const factory = builtInRemote(source.io_class) ?? defaultNodeRemote;
  return factory(nodeInfo(source), config, index);
}
