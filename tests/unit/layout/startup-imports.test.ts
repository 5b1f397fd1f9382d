// What `alpenhorn --help` and `--version` load: the modules reachable from the entry point by
// static imports only (dynamic `import()` is deferred until a command needs it). Neither the
// YAML parser, a database driver, nor the daemon may be among them, so help and usage errors
// answer at the runtime's own start-up cost.

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

const SRC = resolve(import.meta.dir, "../../../src");
const transpiler = new Bun.Transpiler({ loader: "ts" });

/** Modules and packages reachable from `entry` by value imports evaluated at load time. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    // scanImports drops type-only imports; "import-statement" excludes `import()`.
    for (const imp of transpiler.scanImports(readFileSync(file, "utf8"))) {
      if (imp.kind !== "import-statement") continue;
      if (imp.path.startsWith(".")) visit(resolve(dirname(file), imp.path));
      else seen.add(`package:${imp.path}`);
    }
  };
  visit(entry);
  return seen;
}

test("the CLI's static imports reach no YAML parser, database driver or daemon code", () => {
  const loaded = [...staticClosure(resolve(SRC, "cli.ts"))].map((p) => p.replace(`${SRC}/`, ""));
  // The check can see what it forbids: the CLI does reach its own modules and node built-ins.
  expect(loaded).toContain("commands/_shared/help.ts");
  expect(loaded).toContain("package:node:fs");
  const forbidden = loaded.filter(
    (p) => p === "package:yaml" || p === "package:mysql2/promise" || p === "package:bun:sqlite" || p.startsWith("index/driver/") || p === "common/config.ts" || p === "engine/daemon.ts" || p.startsWith("engine/scheduler/"),
  );
  expect(forbidden).toEqual([]);
});

test("the entry point reaches nothing but the version text before it decides", () => {
  const loaded = [...staticClosure(resolve(SRC, "main.ts"))].map((p) => p.replace(`${SRC}/`, ""));
  expect(loaded).toEqual(["main.ts"]);
});
