// Imports go one way: commands → engine → index → common (and commands → index). A module
// importing against that direction fails here; so does SQL outside src/index/.

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../../src");
const LAYERS = ["common", "index", "engine", "commands"] as const;
type Layer = (typeof LAYERS)[number];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function layerOf(path: string): Layer | null {
  const top = relative(SRC, path).split("/")[0];
  return (LAYERS as readonly string[]).includes(top!) ? (top as Layer) : null;
}

/** Which layers each layer may import. */
const ALLOWED: Record<Layer, Layer[]> = {
  common: ["common"],
  index: ["index", "common"],
  engine: ["engine", "index", "common"],
  commands: ["commands", "engine", "index", "common"],
};

function imports(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)["'](\.{1,2}\/[^"']+)["']/gm)].map((m) => resolve(join(path, ".."), m[1]!));
}

describe("layering", () => {
  test("no module imports against the direction commands → engine → index → common", () => {
    const bad: string[] = [];
    for (const f of files(SRC)) {
      const from = layerOf(f);
      if (!from) continue;
      for (const target of imports(f)) {
        const to = layerOf(target);
        if (to && !ALLOWED[from].includes(to)) bad.push(`${relative(SRC, f)} → ${relative(SRC, target)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  test("no SQL statements outside src/index/", () => {
    const sql = /["'`]\s*(SELECT|INSERT|UPDATE|DELETE FROM|CREATE TABLE|DROP TABLE)\s/;
    const bad = files(SRC)
      .filter((f) => layerOf(f) === "engine" || layerOf(f) === "commands")
      .filter((f) => sql.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(bad).toEqual([]);
  });
});
