// The daemon's remote-pull settings, read once at start-up so a bad value stops the daemon
// there rather than in the middle of a pull. Ours, not alpenhorn's, which hard-codes
// `--rsh=ssh -q` and leaves everything else to the site's ssh configuration:
// - `daemon.rsync_rsh`: rsync's remote shell command (default `ssh -q`). rsync splits it on
//   spaces itself (quotes group words); no shell is run. A site keeps its ssh options in its
//   ssh config as before; tests and unusual sites give a port or key here.
// - `daemon.rsync_bwlimit`: rsync's `--bwlimit`, in KiB/s (default: none).

import type { Config } from "../../common/config.ts";
import { ConfigError } from "../../common/errors.ts";
import type { RemotePullSettings } from "../extension-api.ts";

export function remotePullSettings(config: Config): RemotePullSettings {
  const rsh = config.str("daemon.rsync_rsh", "ssh -q").trim();
  if (rsh === "") throw new ConfigError('invalid config value for daemon.rsync_rsh: a command expected');
  const bwlimit = config.has("daemon.rsync_bwlimit") ? config.int("daemon.rsync_bwlimit", { min: 1 }) : null;
  return Object.freeze({ rsh, bwlimit });
}
