// The shortcuts in src/engine/fs/paths.ts (childPath, relativeToRoot, isNodeFileRel) give what
// the general rule (node's posix.relative / join) gives, on plain paths and on every awkward
// shape that must fall back to it.

import { describe, expect, test } from "bun:test";
import { isAbsolute, join, posix, relative, sep } from "node:path";
import { childPath, isNodeFileRel, relativeToRoot } from "../../../src/engine/fs/paths.ts";

const PARENTS = ["2025/01/01", "a", "a/b", "/r", "/r/node", "/r/node/", "r/./x", "a//b", "..", "../a", "/", "", "."];
const TAILS = ["x.dat", "00/0001.dat", "b/../c", "./x", "x/", "x//y", "..", "../x", ".hidden", "..x", "x..", "a b/'q\"", ""];

function generalRelative(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel;
}

const pairs = PARENTS.flatMap((p) => [...TAILS.map((t) => [p, `${p}/${t}`]), ...TAILS.map((t) => [p, t]), [p, p], [p, `${p}x/y`]] as Array<[string, string]>);

describe("path shortcuts equal the general rule", () => {
  test("childPath(parent, path) is posix.relative(parent, path)", () => {
    for (const [parent, path] of pairs) expect([parent, path, childPath(parent, path)]).toEqual([parent, path, posix.relative(parent, path)]);
  });

  test("relativeToRoot(root, path) is relative() with its not-under-root rule", () => {
    for (const [root, path] of pairs) expect([root, path, relativeToRoot(root, path)]).toEqual([root, path, generalRelative(root, path)]);
  });

  test("isNodeFileRel(root, rel) is join(root, rel) === join(root, 'ALPENHORN_NODE')", () => {
    const rels = ["ALPENHORN_NODE", "x/ALPENHORN_NODE", "x/../ALPENHORN_NODE", "./ALPENHORN_NODE", "ALPENHORN_NODE/", "/ALPENHORN_NODE", "../node/ALPENHORN_NODE", "ALPENHORN_NODEx", "alpenhorn_node"];
    let hits = 0;
    for (const root of ["/r/node", "/r/node/", "node", "/"]) {
      for (const rel of rels) {
        const want = join(root, rel) === join(root, "ALPENHORN_NODE");
        if (want) hits++;
        expect([root, rel, isNodeFileRel(root, rel)]).toEqual([root, rel, want]);
      }
    }
    // The table has both answers in it.
    expect(hits).toBeGreaterThan(4);
  });
});
