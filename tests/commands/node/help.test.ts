// `alpenhorn node --help`: click lists each sub-command with the first sentence of its own
// docstring, so the group's command list must agree with each command's description.

import { describe, expect, test } from "bun:test";
import nodeGroup from "../../../src/commands/node/index.ts";
import { initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";

describe("node --help", () => {
  test("each command is listed with the first sentence of its own help", async () => {
    await using idx = await initialisedIndex("sqlite");
    const r = await cliFor(idx)(["node", "--help"]);
    expect(r.code).toBe(0);
    const listing = r.out.split("\nCommands:\n")[1]!;
    const group = nodeGroup as unknown as { subCommands: Record<string, () => Promise<{ meta: { description: string } }>> };
    for (const [name, load] of Object.entries(group.subCommands)) {
      const def = await load();
      expect(listing).toContain(`  ${name.padEnd(10)}  ${def.meta.description}\n`);
    }
    expect(listing).toContain("  init        Initialise a known Storage Node.\n");
    expect(listing).toContain("  scan        Scan a node for files to import.\n");
    expect(listing).toContain("  show        Show details of a Storage Node.\n");
    expect(listing).toContain("  stats       Show Storage Node stats.\n");
  });
});
