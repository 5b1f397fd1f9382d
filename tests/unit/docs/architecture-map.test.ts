// README's map of src/ lists every directory of src/ (and the two top files), one line each,
// and nothing that does not exist.

import { expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../../..");

function dirs(rel: string): string[] {
  return readdirSync(join(ROOT, rel)).flatMap((n) => {
    const p = `${rel}/${n}`;
    return statSync(join(ROOT, p)).isDirectory() ? [`${p}/`, ...dirs(p)] : [];
  });
}

test("README's map of src/ is the tree of src/", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("### A map of `src/`");
  expect(start).toBeGreaterThan(0);
  const block = readme.slice(readme.indexOf("```\n", start) + 4, readme.indexOf("\n```", start + 30));
  const listed = block.split("\n").map((l) => l.split(/\s+/)[0]!);
  expect(listed.every((p) => p.startsWith("src/"))).toBe(true);
  expect(new Set(listed).size).toBe(listed.length);
  expect([...listed].sort()).toEqual(["src/main.ts", "src/cli.ts", ...dirs("src")].sort());
});
