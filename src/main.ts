// Entry point of the `alpenhorn` binary: run the CLI on the real streams and exit with its status.

import { runCli } from "./cli.ts";
import { processIO } from "./commands/_shared/io.ts";

const status = await runCli(process.argv.slice(2), { io: processIO() });
process.exit(status);
