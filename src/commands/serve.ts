// `alpenhorn serve`: the daemon (alpenhornd). Options follow the word `serve`; -c/--conf and
// --test-isolation given before it (top-level options) mean the same. Start-up is the
// daemon's own (engine/daemon.ts), in the daemon log format on stderr.

import { HELP_CONFIG_TEXT, versionText } from "../common/about.ts";
import { ExitRequest } from "../common/errors.ts";
import { runDaemon } from "../engine/daemon.ts";
import { defineCommand } from "./_shared/define.ts";

export default defineCommand({
  meta: { name: "serve", description: "Run the alpenhorn daemon." },
  help: "Run the alpenhorn daemon.",
  startup: "none",
  options: {
    conf: { names: ["--conf", "-c"], kind: "value", type: "path", metavar: "FILE", help: "Configuration file to read." },
    // Later than 632dd41 (upstream 89943e0).
    disableArchiveIntegrity: {
      names: ["--disable-archive-integrity"],
      kind: "flag",
      help: 'Allow use of an alpenhorn config which violates alpenhorn\'s normal data protection rules.  Specifically, if the "daemon.archive_copy_count" is set to a value less than two, this flag is required to let the daemon run in a mode where it cannot guarantee file preservation.',
    },
    once: {
      names: ["--exit-after-update", "-o", "--once"],
      kind: "flag",
      help: "Exit after a single update loop and after all tasks have completed.",
    },
    testIsolation: { names: ["--test-isolation"], kind: "flag", help: "Use test isolation mode: don't read the standard configuration files." },
    version: { names: ["--version"], kind: "flag", help: "Show the version and exit." },
    helpConfig: { names: ["--help-config"], kind: "flag", help: "Show configuration information and exit." },
  },
  args: [],
  async run(ctx, args) {
    if (args.version) return ctx.io.stdout(versionText());
    if (args.helpConfig) return ctx.io.stdout(HELP_CONFIG_TEXT);
    const code = await runDaemon({
      confFile: args.conf ?? ctx.topLevel.confFile,
      testIsolation: args.testIsolation || ctx.topLevel.testIsolation,
      once: args.once,
      disableArchiveIntegrity: args.disableArchiveIntegrity,
      env: ctx.env,
      cwd: ctx.cwd,
      stderr: { write: (line) => ctx.io.stderr(line + "\n"), writeLines: (lines) => ctx.io.stderr(lines.join("\n") + "\n") },
      signals: true,
    });
    if (code !== 0) throw new ExitRequest(code);
  },
});
