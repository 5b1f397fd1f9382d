// The process edge, shared by the binary (main.ts) and in-process tests: top-level options,
// alpenhorn's start-up sequence (config → extensions → database → schema check), dispatch
// to the command, and the one place where an error becomes a message and an exit status.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { HELP_CONFIG_TEXT, versionText } from "./common/about.ts";
import type { Config } from "./common/config.ts";
import { AbortedError, AlpenhornError, CliError, ExitRequest, UsageError, exitCodeFor } from "./common/errors.ts";
import { Logger, stderrSink, type LevelName } from "./common/logger.ts";
import { initExtensions } from "./engine/extensions/init.ts";
import { loadExtensions } from "./engine/extensions/load.ts";
import { NO_EXTENSIONS, type LoadedExtensions } from "./engine/extensions/types.ts";
import { connectIndex } from "./index/connect.ts";
import type { Driver } from "./index/driver/types.ts";
import { CORE_SCHEMA_VERSION } from "./index/schema.ts";
import { detectLayout, knownLayout } from "./index/layout/detect.ts";
import { LAYOUT_TITLES, type LayoutName } from "./index/layout/types.ts";
import { checkSchemaVersion } from "./index/version.ts";
import { parseArgs } from "./commands/_shared/argv.ts";
import type { CommandContext } from "./commands/_shared/context.ts";
import { makeOutput } from "./commands/_shared/context.ts";
import { HELP_OPTION, type CommandDef, type GroupDef, type Startup } from "./commands/_shared/define.ts";
import { commandHelp, groupHelp, usageLine } from "./commands/_shared/help.ts";
import type { CliIO } from "./commands/_shared/io.ts";
import { ROOT_COMMANDS, ROOT_HELP, ROOT_SUMMARIES } from "./commands/index.ts";
import { TOP_OPTIONS } from "./commands/_shared/top-options.ts";

export interface RunOptions {
  readonly io: CliIO;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
}

/** Verbosity 1–5 from -q/-v/--debug, with click's usage errors for conflicting flags. */
export function verbosityOf(quiet: number, verbose: number, debug: boolean): number {
  if (quiet && verbose) throw new UsageError("cannot use both --quiet and --verbose", "");
  if (quiet && debug) throw new UsageError("cannot use both --quiet and --debug", "");
  if (debug) return 5;
  return Math.max(1, Math.min(5, 3 - quiet + verbose));
}

const LOG_LEVEL: Record<number, LevelName> = { 1: "ERROR", 2: "WARNING", 3: "WARNING", 4: "INFO", 5: "DEBUG" };

interface TopLevel {
  eager: Array<"help" | "version" | "helpConfig">;
  conf?: string;
  quiet: number;
  verbose: number;
  debug: boolean;
  testIsolation: boolean;
  sawOption: boolean;
  rest: string[];
}

/** Top-level options stop at the first non-option (the command name), as a click group does. */
function parseTopLevel(argv: readonly string[], cwd: string): TopLevel {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "-" && argv[i] !== "--") {
    // `-c FILE` / `--conf FILE` consume the next word; `-cFILE` and `--conf=FILE` do not.
    if (argv[i] === "-c" || argv[i] === "--conf" || /^-[qv]*c$/.test(argv[i]!)) i++;
    i++;
  }
  i = Math.min(i, argv.length);
  const head = argv.slice(0, i);
  const rest = argv.slice(argv[i] === "--" ? i + 1 : i);
  const { values } = parseArgs({ options: { ...TOP_OPTIONS, help: { ...HELP_OPTION, kind: "count" } }, args: [] }, head, cwd);
  const eager: TopLevel["eager"] = [];
  // Eager options act in command-line order; the first one wins.
  for (const tok of head) {
    const name = tok.split("=")[0]!;
    if ((name === "-h" || name === "--help") && !eager.includes("help")) eager.push("help");
    if (name === "--version" && !eager.includes("version")) eager.push("version");
    if (name === "--help-config" && !eager.includes("helpConfig")) eager.push("helpConfig");
  }
  const conf = values.conf as string | undefined;
  // click processes eager options (-h, --version, --help-config) before the others, so one of
  // them wins over a bad -c path.
  if (eager.length === 0 && conf !== undefined && (conf === "" || !existsSync(resolve(cwd, conf))))
    throw new UsageError(`Invalid value for '--conf' / '-c': Path '${conf}' does not exist.`, "");
  return {
    eager,
    conf,
    quiet: values.quiet as number,
    verbose: values.verbose as number,
    debug: values.debug as boolean,
    testIsolation: values.testIsolation as boolean,
    sawOption: head.length > 0,
    rest,
  };
}

function rootHelp(): string {
  return groupHelp("", { kind: "root", help: ROOT_HELP, options: [...Object.values(TOP_OPTIONS), HELP_OPTION], summaries: ROOT_SUMMARIES });
}

/** Run one CLI invocation; resolves to the exit status. Never calls process.exit. */
export async function runCli(argv: readonly string[], opts: RunOptions): Promise<number> {
  const { io } = opts;
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  let db: Driver | undefined;
  let path = "";
  let usageFor: CommandDef | GroupDef | { kind: "root" } = { kind: "root" };
  const log = new Logger("cli", "WARNING", [{ write: (line) => io.stderr(line + "\n") }]);
  try {
    const top = parseTopLevel(argv, cwd);
    const eager = top.eager[0];
    if (eager === "help" || (argv.length === 0)) {
      io.stdout(rootHelp());
      return 0;
    }
    if (eager === "version") {
      io.stdout(versionText());
      return 0;
    }
    if (eager === "helpConfig") {
      io.stdout(HELP_CONFIG_TEXT);
      return 0;
    }
    const [name, ...rest] = top.rest;
    if (name === undefined) throw new UsageError("Missing command.", "");
    const loader = ROOT_COMMANDS[name];
    if (!loader) throw new UsageError(`No such command '${name}'.`, "");
    const verbosity = verbosityOf(top.quiet, top.verbose, top.debug);
    log.setLevel(LOG_LEVEL[verbosity]!);
    let def = await loader();
    path = name;
    usageFor = def;

    const startup: Startup = def.startup ?? "index";
    let config: Config | undefined;
    let extensions: LoadedExtensions = NO_EXTENSIONS;
    if (startup !== "none") try {
      // Imported here, not above: `--help` and usage errors never need the YAML parser.
      const { loadConfig } = await import("./common/config.ts");
      config = loadConfig({ confFile: top.conf, testIsolation: top.testIsolation, env, cwd, log });
      extensions = await loadExtensions(config.list("extensions", []), log, cwd);
      const dbConfig = config.mapping("database", {});
      const trace = verbosity >= 5 ? (sql: string) => log.debug(sql) : undefined;
      db = extensions.database ? await extensions.database.ext.connect(dbConfig) : await connectIndex(dbConfig, { cwd, trace });
      if (startup === "db-group") await checkSchemaVersion(db, `<=${CORE_SCHEMA_VERSION}`);
      else {
        await checkSchemaVersion(db, CORE_SCHEMA_VERSION);
        // Both table layouts say version 2: decide which one this is before any other query.
        await detectLayout(db);
      }
      await initExtensions(extensions, db, log, { dbGroup: startup === "db-group" });
    } catch (err) {
      throw startupFailure(err, def);
    }

    // Descend through groups: each parses only -h and the next command name.
    let args = rest;
    while (def.kind === "group") {
      const group = def;
      // A group parses its own options (only -h) up to the first word, the sub-command.
      const at = args.findIndex((t) => !t.startsWith("-") || t === "-");
      const head = at < 0 ? args : args.slice(0, at);
      const { help } = parseArgs({ options: {}, args: [] }, head, cwd);
      if (help || at < 0) {
        io.stdout(groupHelp(path, group));
        return 0;
      }
      const sub = args[at]!;
      const next = group.subCommands[sub];
      if (!next) throw new UsageError(`No such command '${sub}'.`);
      if (group.needsLayout) requireLayout(db, path, group.needsLayout);
      args = args.slice(at + 1);
      def = await next(db && knownLayout(db));
      path = `${path} ${sub}`;
      usageFor = def;
    }
    const command = def;
    const parsed = parseArgs(command, args, cwd);
    if (parsed.help) {
      io.stdout(commandHelp(path, command));
      return 0;
    }
    const ctx: CommandContext = {
      commandPath: path,
      config: config!,
      db: db!,
      log,
      out: makeOutput(io, verbosity),
      io,
      verbosity,
      extensions,
      env,
      cwd,
      topLevel: { confFile: top.conf, testIsolation: top.testIsolation },
    };
    await command.run(ctx, parsed.values);
    return 0;
  } catch (err) {
    return report(err, io, log, path, usageFor);
  } finally {
    await db?.close().catch(() => undefined);
  }
}

/** A start-up failure, with the command's own exit status for it when it declares one. */
/** A group that exists in one table layout only, run on an index of the other: one error line. */
function requireLayout(db: Driver | undefined, path: string, needs: LayoutName): void {
  const has = db && knownLayout(db);
  if (!has || has.name === needs) return;
  throw new CliError(`"alpenhorn ${path}" needs a Data Index in ${LAYOUT_TITLES[needs]}; this one is in ${LAYOUT_TITLES[has.name]}.`);
}

function startupFailure(err: unknown, def: CommandDef | GroupDef): unknown {
  if (def.kind !== "command" || def.startupExit === undefined || err instanceof UsageError || err instanceof ExitRequest) return err;
  return new AlpenhornError(err instanceof Error ? err.message : String(err), def.startupExit);
}

/** Print an error the way click does and return its exit status. */
function report(err: unknown, io: CliIO, log: Logger, path: string, usageFor: CommandDef | GroupDef | { kind: "root" }): number {
  if (err instanceof ExitRequest) return err.exitCode;
  if (err instanceof UsageError) {
    // An error raised for the top level itself carries commandPath "" and the root usage line.
    const p = err.commandPath ?? path;
    const usage = err.commandPath === undefined ? usageLine(path, usageFor) : usageLine(p, { kind: "root" });
    io.stderr(`${usage}\nTry 'alpenhorn${p ? " " + p : ""} -h' for help.\n\nError: ${err.message}\n`);
    return 2;
  }
  if (err instanceof AbortedError) {
    io.stderr("Aborted!\n");
    return 1;
  }
  if (err instanceof AlpenhornError) {
    io.stderr(`Error: ${err.message}\n`);
    return exitCodeFor(err);
  }
  // A genuine crash: alpenhorn logs it at ERROR with the traceback.
  const stack = err instanceof Error ? (err.stack ?? String(err)) : String(err);
  io.stderr(`ERROR >> Fatal error!\n${stack}\n`);
  log.debug("crash reported");
  return 1;
}

export { stderrSink };
