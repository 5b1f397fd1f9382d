// External commands for the transfer tools (alpenhorn/common/util.py: run_command at 632dd41):
// an argv array handed to Bun.spawn, never a shell, so a file name is always one argument and
// nothing in it is parsed. A process past its timeout is SIGKILLed and abandoned, as alpenhorn
// does. Unlike alpenhorn, the child is tied to the daemon (setpriv --pdeathsig KILL when
// available): a daemon killed mid-pull leaves no rsync writing on, so the restart's tidy-up
// removes a temporary directory no one is still filling. The daemon stopping kills it too.

import type { Logger } from "../../common/logger.ts";
import { pyFloatRepr } from "../../common/pyfmt.ts";
import type { CommandService } from "../extension-api.ts";

/** The argv as alpenhorn logs it (joined by spaces); control characters escaped so one run is one log line. */
export function commandLine(argv: readonly string[]): string {
  // eslint-disable-next-line no-control-regex
  return argv.join(" ").replace(/[\x00-\x1f\x7f]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

const timeoutText = (t: number | null) => (t === null ? "None" : pyFloatRepr(t));

export function commandService(log: Logger, stopping: AbortSignal, env: Record<string, string | undefined> = process.env): CommandService {
  const path = env.PATH ?? "/usr/bin:/bin";
  const which = (name: string) => Bun.which(name, { PATH: path });
  const setpriv = which("setpriv");
  return {
    which,
    async run(argv, timeout) {
      const line = commandLine(argv);
      log.debug(`Running command [timeout=${timeoutText(timeout)}]: ${line}`);
      // The parent-death signal outlives setpriv's exec of the command (not of a set-uid one).
      const cmd = setpriv ? [setpriv, "--pdeathsig", "KILL", "--", ...argv] : [...argv];
      let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
      try {
        proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: env as Record<string, string> });
      } catch (err) {
        return { rc: 127, stdout: "", stderr: String((err as Error).message), overrun: false };
      }
      let overrun = false;
      const timer =
        timeout === null
          ? undefined
          : setTimeout(() => {
              overrun = true;
              log.warning(`Process overrun [timeout=${timeoutText(timeout)}]: ${line}`);
              proc.kill("SIGKILL");
            }, Math.max(0, timeout * 1000));
      const onStop = () => proc.kill("SIGKILL");
      stopping.addEventListener("abort", onStop, { once: true });
      try {
        const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
        const killed = overrun || proc.signalCode !== null;
        return { rc: killed ? null : proc.exitCode, stdout: overrun ? "" : stdout, stderr: overrun ? "" : stderr, overrun };
      } finally {
        clearTimeout(timer);
        stopping.removeEventListener("abort", onStop);
      }
    },
  };
}
