// `alpenhorn node sync NODE [GROUP]`: group sync seen from the source node (same engine,
// arguments swapped; `--all` with `--cancel` cancels every outbound request of NODE).

import { defineCommand } from "../_shared/define.ts";
import { syncCommand, syncOptions } from "../group/sync.ts";

export default defineCommand({
  meta: { name: "sync", description: "Copy files off a Storage Node." },
  help: `Copy files off a Storage Node.

The sync command requests files from the Storage Node NODE be copied into the Storage Group GROUP.  The copying will be handled by the daemon running on the desination.  Only files which are not already in GROUP will be copied.

Which files are copied may be further limited with the --acq, --file-list, and --target options.

\b
CANCELLING TRANSFERS
--------------------

Using the --cancel flag, this command can also be used to cancel pending transfers out of NODE.  With a GROUP, transfers from NODE to GROUP are cancelled, but you can instead of GROUP use the special flag --all to cancel all outbound transfers from NODE.  Cancelling can still be further limited by --acq and --file-list, but not --target.`,
  options: syncOptions(
    "Must be used with --cancel.  Cancel _all_ outbound transfers from NODE.  GROUP must not be specified if this flag is used.",
    "Cancel pending transfers from NODE.",
  ),
  args: [{ name: "NODE" }, { name: "GROUP", required: false }],
  run: (ctx, a) => syncCommand(ctx, a, { groupName: a.group, nodeName: a.node, other: "GROUP" }),
});
