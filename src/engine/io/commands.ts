// External commands for the transfer tools (alpenhorn/common/util.py: run_command at 632dd41):
// an argv array handed to Bun.spawn, never a shell, so a file name is always one argument and
// nothing in it is parsed. A process past its timeout is SIGKILLed and abandoned, as alpenhorn
// does. Unlike alpenhorn, the child is tied to the daemon (setpriv --pdeathsig KILL when
// available): a daemon killed mid-pull leaves no rsync writing on, so the restart's tidy-up
// removes a temporary directory no one is still filling. The daemon stopping kills it too. The
// command runs in its own session (setsid), so a kill reaches its children as well (rsync's
// ssh), and a child holding the output pipes open can never keep a pull waiting.

import type { Logger } from "../../common/logger.ts";
import { pyFloatRepr } from "../../common/pyfmt.ts";
import type { CommandService } from "../extension-api.ts";

/** The argv as alpenhorn logs it (joined by spaces); control characters escaped so one run is one log line. */
export function commandLine(argv: readonly string[]): string {
  // eslint-disable-next-line no-control-regex
  return argv.join(" ").replace(/[\x00-\x1f\x7f]/g, (c) => (c === "\n" ? "\\n" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`));
}

/** How long output is awaited after the command exited. */
const PIPE_GRACE_MS = 2000;

const timeoutText = (t: number | null) => (t === null ? "None" : pyFloatRepr(t));

export function commandService(log: Logger, stopping: AbortSignal, env: Record<string, string | undefined> = process.env): CommandService {
  const path = env.PATH ?? "/usr/bin:/bin";
  const which = (name: string) => Bun.which(name, { PATH: path });
  const setpriv = which("setpriv");
  const setsid = which("setsid");
  return {
    which,
    async run(argv, timeout) {
      const line = commandLine(argv);
      log.debug(`Running command [timeout=${timeoutText(timeout)}]: ${line}`);
      // The parent-death signal outlives setpriv's exec of the command (not of a set-uid one).
      // setsid execs in place (a fresh child is never a group leader): pid = pgid = the command's.
      const cmd = [...(setsid ? [setsid] : []), ...(setpriv ? [setpriv, "--pdeathsig", "KILL", "--"] : []), ...argv];
      let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
      try {
        proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe", env: env as Record<string, string> });
      } catch (err) {
        return { rc: 127, stdout: "", stderr: String((err as Error).message), overrun: false };
      }
      let overrun = false;
      const kill = () => {
        try {
          if (setsid) process.kill(-proc.pid, "SIGKILL");
        } catch {
          // The group is gone already.
        }
        proc.kill("SIGKILL");
      };
      const timer =
        timeout === null
          ? undefined
          : setTimeout(() => {
              overrun = true;
              log.warning(`Process overrun [timeout=${timeoutText(timeout)}]: ${line}`);
              kill();
            }, Math.max(0, timeout * 1000));
      const onStop = kill;
      stopping.addEventListener("abort", onStop, { once: true });
      try {
        const out = new Response(proc.stdout).text();
        const err = new Response(proc.stderr).text();
        await proc.exited;
        // A grandchild may hold the pipes after the command ended: read what came, briefly.
        const grace = <T>(p: Promise<T>, dflt: T) => Promise.race([p, Bun.sleep(PIPE_GRACE_MS).then(() => dflt)]);
        const [stdout, stderr] = await Promise.all([grace(out, ""), grace(err, "")]);
        const killed = overrun || proc.signalCode !== null;
        return { rc: killed ? null : proc.exitCode, stdout: overrun ? "" : stdout, stderr: overrun ? "" : stderr, overrun };
      } finally {
        clearTimeout(timer);
        stopping.removeEventListener("abort", onStop);
      }
    },
  };
}
