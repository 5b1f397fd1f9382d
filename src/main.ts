// Entry point of the `alpenhorn` binary: run the CLI on the real streams and exit with its status.
// `alpenhorn --version` alone is answered before the CLI, the daemon, the database drivers and the
// YAML parser are even evaluated (they are imported dynamically below), so it costs little more
// than the runtime's own start-up.

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === "--version") {
  const { versionText } = await import("./common/about.ts");
  const { writeSync } = await import("node:fs");
  writeSync(1, versionText());
  process.exit(0);
}
const { runCli } = await import("./cli.ts");
const { processIO } = await import("./commands/_shared/io.ts");
const status = await runCli(argv, { io: processIO() });
process.exit(status);
export {};
