// README's "Configuration reference" against the code and examples/alpenhorn.conf: every key
// the sources read through the config getters is in the table and every key of the table is
// read (or is the one accepted-but-unused key); the annotated example sets every key of the
// table and nothing else, and a daemon started on it (database and log file redirected to a
// temp dir) runs an update pass and exits 0.

import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runCli } from "../../../src/cli.ts";
import { memoryIO } from "../../../src/commands/_shared/io.ts";
import { parseConfigText } from "../../../src/common/config.ts";
import { demoIndex, demoNode } from "../../engine/_daemon.ts";

const ROOT = resolve(import.meta.dir, "../../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const EXAMPLE = join(ROOT, "examples/alpenhorn.conf");

/** Keys in the README table: the first cell of each row of the section. */
function tableKeys(): string[] {
  const start = README.indexOf("### Configuration reference");
  expect(start).toBeGreaterThan(0);
  const end = README.indexOf("\n## ", start);
  return [...README.slice(start, end).matchAll(/^\| `([a-z_.]+)` \|/gm)].map((m) => m[1]!);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Keys the sources read: through Config's getters, hostname()'s two keys, and database.url. */
function codeKeys(): Set<string> {
  const keys = new Set<string>();
  const getter = /\.(?:int|float|str|bool|list|mapping|raw|has|bytes)\(\s*"((?:database|extensions|base|daemon|logging)(?:\.[a-z_]+)*)"/g;
  for (const file of sources(join(ROOT, "src"))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(getter)) keys.add(m[1]!);
    for (const m of text.matchAll(/for \(const key of \[([^\]]*)\]\)/g)) for (const k of m[1]!.matchAll(/"([a-z_.]+)"/g)) keys.add(k[1]!);
  }
  // connectIndex reads the url out of the `database` mapping.
  expect(readFileSync(join(ROOT, "src/index/connect.ts"), "utf8")).toContain("database.url");
  keys.add("database.url");
  return keys;
}

/** Dotted paths of the example's leaves (a mapping of `module_levels` counts as one value). */
function leaves(tree: unknown, prefix = ""): string[] {
  if (typeof tree !== "object" || tree === null || Array.isArray(tree) || prefix === "logging.module_levels") return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

describe("configuration reference", () => {
  test("the README table lists every key the code reads, and only those", () => {
    const table = tableKeys();
    const code = codeKeys();
    expect(code.size).toBeGreaterThan(25);
    for (const k of code) {
      // A section read as a whole (`database`, `logging.file`) is covered by its rows.
      const covered = table.includes(k) || table.some((t) => t.startsWith(`${k}.`));
      if (!covered) throw new Error(`config key ${k} is read in src/ but missing from README's table`);
    }
    for (const k of table) if (!code.has(k) && k !== "logging.module_levels") throw new Error(`README documents ${k}, which src/ never reads`);
    expect(new Set(table).size).toBe(table.length);
  });

  test("examples/alpenhorn.conf sets every documented key and no other", () => {
    const example = leaves(parseConfigText(readFileSync(EXAMPLE, "utf8"), EXAMPLE));
    const table = tableKeys();
    for (const path of example) expect(table.some((k) => path === k || path.startsWith(`${k}.`))).toBe(true);
    for (const k of table) expect(example.some((path) => path === k || path.startsWith(`${k}.`))).toBe(true);
  });

  test("a daemon runs one update on examples/alpenhorn.conf (database and log file redirected)", async () => {
    await using idx = await demoIndex("sqlite");
    const { root } = await demoNode(idx, { auto_import: 1 });
    writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
    await idx.db.run("UPDATE storagenode SET auto_verify = 2");
    const log = idx.dir.join("alpenhorn.log");
    const override = idx.dir.join("override.conf");
    // Later files override earlier ones key by key: only these four values change.
    writeFileSync(override, `database:\n  url: ${JSON.stringify(idx.url)}\ndaemon:\n  update_interval: 1\nlogging:\n  file:\n    name: ${log}\n  syslog:\n    enable: false\n`);
    const io = memoryIO();
    const code = await runCli(["--test-isolation", "-c", override, "serve", "--once"], {
      io,
      env: { HOME: idx.dir.path, ALPENHORN_CONFIG_FILE: EXAMPLE },
      cwd: idx.dir.path,
    });
    expect(io.err).toContain(`Loading config file ${EXAMPLE}`);
    expect(code).toBe(0);
    expect(io.err).toContain("Update complete.  Exiting.");
    const written = readFileSync(log, "utf8");
    expect(written).toContain("Logging to [rotating]");
    expect(written).toContain("Update complete.  Exiting.");
  });
});
