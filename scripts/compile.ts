// Builds the single executable dist/alpenhorn (or a probe entry) with `bun build --compile`.
// Usage: bun scripts/compile.ts [--entry PATH] [--outfile PATH]; also exports compile() for tests.
import { rmSync, statSync } from "node:fs";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");
export const DEFAULT_ENTRY = resolve(ROOT, "src/main.ts");
export const DEFAULT_OUTFILE = resolve(ROOT, "dist/alpenhorn");
/** Worker-thread entries the binary starts with `new Worker(new URL("./x.ts", import.meta.url))`:
 * each must be an entry point of its own to be embedded. */
const THREAD_ENTRIES = [
  resolve(ROOT, "src/engine/fs/threads/thread.ts"),
  resolve(ROOT, "src/engine/fs/threads/read-ahead-thread.ts"),
  resolve(ROOT, "src/engine/audit/snapshot-thread.ts"),
];
/** Host target: we only build for the machine we run on (linux-x64-glibc for now). */
export const TARGET = `bun-${process.platform}-${process.arch}`;

export interface CompileOptions {
  entry?: string;
  outfile?: string;
}

export async function compile({ entry = DEFAULT_ENTRY, outfile = DEFAULT_OUTFILE }: CompileOptions = {}): Promise<void> {
  const result = await Bun.build({
    entrypoints: [resolve(entry), ...THREAD_ENTRIES],
    // Embedded files keep their paths from the repository root, so a thread entry is always
    // at /$bunfs/root/src/… whatever the main entry (src/engine/fs/threads/pool.ts relies on it).
    root: ROOT,
    target: "bun",
    // ESM: bytecode with the default (CJS) format rejects top-level await.
    format: "esm",
    // Chunks loaded when first imported: `alpenhorn --version` (src/main.ts) evaluates none of
    // the CLI, daemon, drivers or YAML parser (31 ms here instead of 42 ms).
    splitting: true,
    // Whitespace and syntax only: renaming identifiers turned class names into `we`, so a crash
    // printed `we: no such table: …` and stack frames named `cy`, `C0`. keepNames would add
    // `__name()` calls but is a no-op in Bun 1.4.5 (oven-sh/bun#25332). Keeping names costs
    // ~0.2 MiB and no measurable start-up time (README, "Choices against the design card").
    minify: { whitespace: true, syntax: true, identifiers: false },
    // "linked" embeds a zstd-compressed map in the binary, so stack traces show .ts lines.
    sourcemap: "linked",
    // Parsing moves to build time: `alpenhorn --version` starts in ~11 ms instead of ~29 ms (+4 MB).
    bytecode: true,
    compile: {
      outfile: resolve(outfile),
      // The archive manager runs from arbitrary directories (node roots, user cwd): never let a
      // bunfig.toml (preload!), .env, tsconfig.json or package.json found there change its behaviour.
      autoloadBunfig: false,
      autoloadDotenv: false,
      autoloadTsconfig: false,
      autoloadPackageJson: false,
    },
  }).catch((err: unknown) => {
    // Bun.build throws an AggregateError on a failed bundle; surface each message with its location.
    const errors: unknown[] = err instanceof AggregateError ? err.errors : [err];
    throw new Error(`compile of ${entry} failed:\n${errors.map(describe).join("\n")}`);
  });
  if (!result.success) throw new Error(`compile of ${entry} failed:\n${result.logs.map(describe).join("\n")}`);
  // The map is already embedded; a loose .map next to the binary would only be clutter.
  for (const out of result.outputs) if (out.kind === "sourcemap") rmSync(out.path, { force: true });
}

function describe(msg: unknown): string {
  const pos = (msg as { position?: { file: string; line: number; column: number } | null }).position;
  return pos ? `${pos.file}:${pos.line}:${pos.column}: ${String(msg)}` : String(msg);
}

function argValue(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value) throw new Error(`${flag} needs a path`);
  return value;
}

async function main(args: string[]): Promise<number> {
  const entry = resolve(argValue(args, "--entry") ?? DEFAULT_ENTRY);
  const outfile = resolve(argValue(args, "--outfile") ?? DEFAULT_OUTFILE);
  await compile({ entry, outfile });
  const mib = (statSync(outfile).size / 2 ** 20).toFixed(1);
  console.log(`built ${outfile} (${mib} MiB, target ${TARGET})`);
  // Smoke test the real CLI only; probe entries take other arguments.
  if (entry !== DEFAULT_ENTRY) return 0;
  const run = Bun.spawnSync([outfile, "--version"], { stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) {
    console.error(`${outfile} --version failed (exit ${run.exitCode}):\n${run.stderr.toString()}`);
    return 1;
  }
  console.log(`smoke: ${run.stdout.toString().split("\n")[0]}`);
  return 0;
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
