// `alpenhorn _names node|group|acq` (hidden: not listed in the help): one name per line, for
// the completion scripts to offer.

import { UsageError } from "../common/errors.ts";
import { namesOf, type NameKind } from "../index/queries/names.ts";
import { defineCommand } from "./_shared/define.ts";

const KINDS: readonly NameKind[] = ["node", "group", "acq"];

export default defineCommand({
  meta: { name: "_names", description: "Names for shell completion." },
  help: "Names for shell completion.\n\nPrint the name of every node, group or acquisition (KIND), one a line.",
  options: {},
  args: [{ name: "KIND" }],
  async run(ctx, a) {
    const kind = KINDS.find((k) => k === a.kind);
    if (!kind) throw new UsageError(`Invalid value for 'KIND': '${a.kind}' is not one of 'node', 'group', 'acq'.`);
    for (const name of await namesOf(ctx.db, kind)) ctx.io.stdout(name + "\n");
  },
});
