// Every process the demo starts (daemons, CLI runs) is tracked here, so that it can stop all of
// them whatever way the demo ends: at the end of the story, at the first failing command, or on
// Ctrl-C / SIGTERM. Daemons and CLI runs also run under `setpriv --pdeathsig` where it exists,
// so even a demo killed with SIGKILL takes them along (the sshd does the same, scripts/lib).

import { closeSync, openSync, readFileSync } from "node:fs";

const SEARCH_PATH = [process.env.PATH ?? "", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");
const SETPRIV = Bun.which("setpriv", { PATH: SEARCH_PATH });
/** How long a process has to exit after SIGTERM before it gets SIGKILL. */
const STOP_GRACE_MS = 5000;

export class Processes {
  private readonly live = new Set<Bun.Subprocess>();
  private readonly stoppers: Array<() => Promise<void>> = [];
  /** Set once stopping began: the story may still be running, and must start nothing new. */
  private closed = false;

  /**
   * Spawn and track a process; it leaves the set when it exits. `dieWithUs`: it gets SIGTERM
   * if the demo dies without stopping it.
   */
  spawn(cmd: string[], opts: Parameters<typeof Bun.spawn>[1] & object, dieWithUs = false): Bun.Subprocess {
    if (this.closed) throw new Error("the demo is stopping");
    const argv = dieWithUs && SETPRIV ? [SETPRIV, "--pdeathsig", "TERM", "--", ...cmd] : cmd;
    const proc = Bun.spawn(argv, opts);
    this.live.add(proc);
    void proc.exited.then(() => this.live.delete(proc));
    return proc;
  }

  /** Something else to stop at the end (the sshd, which stops itself). */
  onStop(fn: () => Promise<void>): void {
    this.stoppers.push(fn);
  }

  /** SIGTERM every live process, SIGKILL what is left after the grace period, then stop the rest. */
  async stopAll(): Promise<void> {
    this.closed = true;
    const procs = [...this.live];
    for (const p of procs) p.kill("SIGTERM");
    // A cleared timer, not Bun.sleep: a pending sleep would hold the demo's exit back.
    const timer = setTimeout(() => {
      for (const p of procs) p.kill("SIGKILL");
    }, STOP_GRACE_MS);
    await Promise.all(procs.map((p) => p.exited));
    clearTimeout(timer);
    for (const stop of this.stoppers.splice(0)) await stop().catch(() => undefined);
  }

  /** Last resort on process exit (synchronous): SIGKILL whatever still runs. */
  killNow(): void {
    for (const p of this.live) p.kill("SIGKILL");
  }
}

/** A daemon's log line without its timestamp: `LEVEL >> [thread] message`. */
export function stripStamp(line: string): string {
  return line.replace(/^\w{3} [ \d]\d \d\d:\d\d:\d\d /, "");
}

/** A running `alpenhorn serve` writing its log (stderr) to a file of its own. */
export class Daemon {
  private offset = 0;
  private partial = "";
  /** Every log line so far, timestamps removed. */
  readonly lines: string[] = [];
  /** How many of `lines` the transcript has shown. */
  shown = 0;

  private constructor(
    readonly host: string,
    readonly logPath: string,
    readonly proc: Bun.Subprocess,
  ) {}

  static start(procs: Processes, host: string, exe: string, conf: string, logPath: string, cwd: string): Daemon {
    const fd = openSync(logPath, "a");
    try {
      // --test-isolation: the config file here is the whole config (no /etc/alpenhorn, no ~/.config).
      // detached (a session of its own): a Ctrl-C on the terminal reaches the demo, which stops
      // the daemon with one SIGTERM, and not the daemon itself, which would then get two
      // signals, and a second signal during its shutdown kills it before it has finished.
      const proc = procs.spawn(
        [exe, "serve", "--test-isolation", "-c", conf],
        { cwd, env: { ...process.env, HOME: cwd }, stdin: "ignore", stdout: fd, stderr: fd, detached: true },
        true,
      );
      return new Daemon(host, logPath, proc);
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(fd);
    }
  }

  /** Read what the daemon has logged since the last call. */
  refresh(): void {
    const buf = readFileSync(this.logPath);
    if (buf.length <= this.offset) return;
    const text = this.partial + buf.subarray(this.offset).toString("utf8");
    this.offset = buf.length;
    const parts = text.split("\n");
    this.partial = parts.pop()!;
    for (const l of parts) this.lines.push(stripStamp(l));
  }

  count(re: RegExp): number {
    this.refresh();
    return this.lines.filter((l) => re.test(l)).length;
  }

  /** Wait until the log has at least `n` lines matching `re`; fails if the daemon exits or time runs out. */
  async waitFor(re: RegExp, n = 1, timeoutMs = 20_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.count(re) < n) {
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) throw new Error(`the ${this.host} daemon exited (see ${this.logPath}) while waiting for ${re}`);
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for the ${this.host} daemon to log ${re} (see ${this.logPath})`);
      await Bun.sleep(50);
    }
  }
}
