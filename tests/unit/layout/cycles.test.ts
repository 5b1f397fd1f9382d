// No import cycle anywhere in src/, type imports included: a cycle ties modules together so
// that no one of them can change (or be read) alone. Static and dynamic relative imports and
// `export … from` count.

import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../../src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports of a module: `import … from`, `export … from`, `import("…")`, bare `import "…"`. */
export function importsOf(path: string, text = readFileSync(path, "utf8")): string[] {
  const re = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
  return [...text.matchAll(re)].map((m) => resolve(join(path, ".."), m[1]!));
}

/** Strongly connected components with more than one module, or a module importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

test("the cycle finder sees a two-module cycle and a self-import, and no cycle in a chain", () => {
  const g = new Map([
    ["a", ["b"]],
    ["b", ["a", "c"]],
    ["c", []],
    ["d", ["d"]],
  ]);
  expect(cycles(g)).toEqual([["a", "b"], ["d"]]);
  expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).toEqual([]);
});

test("the import parser reads type imports, re-exports, dynamic and bare imports", () => {
  const text = `import type { X } from "./x.ts";\nexport { Y } from "../y.ts";\nconst z = () => import("./z.ts");\nimport "./side.ts";\nimport { w } from "node:fs";\n`;
  expect(importsOf("/p/m.ts", text)).toEqual(["/p/x.ts", "/y.ts", "/p/z.ts", "/p/side.ts"]);
});

test("no import cycle in src/, type imports included", () => {
  const graph = new Map(files(SRC).map((f) => [f, importsOf(f)]));
  const found = cycles(graph).map((scc) => scc.map((f) => relative(SRC, f)).join(" ↔ "));
  expect(found).toEqual([]);
});
