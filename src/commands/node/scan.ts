// `alpenhorn node scan NODE [PATH] [-n/--register-new]`: ask the daemon to scan (part of) a
// node for files to import (a recursive AFIR).

import { CliError } from "../../common/errors.ts";
import { insertImportRequest } from "../../index/queries/requests.ts";
import { defineCommand } from "../_shared/define.ts";
import { normalisePath, resolveNode } from "../_shared/resolve.ts";
import { WAIT_OPTIONS, waitForFiled, waitPlan } from "../_shared/wait.ts";

/** PurePosixPath.relative_to: `path` below `root` component-wise (lexically), or null. */
function relativeTo(path: string, root: string): string | null {
  const parts = (p: string) => normalisePath(p).split("/").filter((x, i) => x !== "" || i === 0);
  const pp = parts(path);
  const rp = parts(root);
  if (rp.length > pp.length || rp.some((x, i) => x !== pp[i])) return null;
  const rest = pp.slice(rp.length).join("/");
  return rest === "" ? "." : rest;
}

export default defineCommand({
  meta: { name: "scan", description: "Scan a node for files to import." },
  help: `Scan a node for files to import.

This command will submit a request to ask the daemon managing NODE to scan PATH for new files to add to the Node.  if PATH is absolute, it must start with the Node root path.  Otherwise, it's assumed PATH is relative to Node root.  If not given, PATH defaults to "." (i.e. the scan is performed on the entire Node).

By default, only files already registered in the data index will be imported to NODE.  Unknown files will be skipped.  This can be changed, however, by using the --register-new flag, which tells the daemon to create new records for new files which are determined to be importable.`,
  options: {
    registerNew: { names: ["-n", "--register-new"], kind: "flag", help: "Register unknown files instead of ignoring them." },
    ...WAIT_OPTIONS,
  },
  args: [{ name: "NODE", required: true }, { name: "PATH", required: false }],
  async run(ctx, a) {
    const name = a.node;
    const given = a.path ?? ".";
    const register = a.registerNew;
    const wait = waitPlan(a);
    const { message, id } = await ctx.db.transaction(async (tx) => {
      const node = await resolveNode(tx, name);
      let path = normalisePath(given);
      if (path.startsWith("/")) {
        if (node.root === null) throw new CliError(`PATH can't be absolute: Node "${node.name}" has no root.`);
        const rel = relativeTo(path, node.root);
        if (rel === null) throw new CliError(`absolute path "${path}" outside node root: ${node.root}`);
        path = rel;
      }
      const id = await insertImportRequest(tx, node.id, path, { recurse: true, register });
      return { message: `Added request for scan of "${path}" on Node "${node.name}".`, id };
    });
    ctx.out.echo(message);
    await waitForFiled(ctx, wait, { kind: "imports", ids: [id] });
  },
});
