// `alpenhorn file import PATH NODE [-n/--register-new]`: leave an import request for the
// daemon managing NODE (the CLI itself touches no file).

import { UsageError } from "../../common/errors.ts";
import { requestFileImport as insertImportRequest } from "../../index/queries/requests.ts";
import { defineCommand } from "../_shared/define.ts";
import { resolveNode } from "../_shared/resolve.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

export default defineCommand({
  meta: { name: "import", description: "Import a File on a Node." },
  help: `Import a File on a Node.

Requests the daemon import the file at PATH onto NODE. The PATH may not be absolute. It is assumed to be relative to the Node's root path.

By default, only files already known to alpenhorn are imported, but you can tell the daemon to create a new file record for an previously-unknown file at PATH by using the "--register-new" flag.`,
  options: {
    registerNew: {
      names: ["--register-new", "-n"],
      kind: "flag",
      help: "If path points to a previously-unknown file, add it to the Data Index instead of ignoring it.",
    },
    ...WAIT_OPTIONS,
  },
  args: [{ name: "PATH" }, { name: "NODE" }],
  async run(ctx, a) {
    const path = a.path;
    if (path.startsWith("/")) throw new UsageError("PATH may not be absolute");
    const wait = waitPlan(a);
    const id = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, a.node);
      // PATH is stored verbatim (not normalised), as alpenhorn does.
      return insertImportRequest(tx, node.id, path, a.registerNew);
    });
    ctx.out.echo("Added new import request.");
    await waitForFiled(ctx, wait, { kind: "imports", ids: [id] });
  },
});
