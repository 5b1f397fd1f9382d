// A daemon run from a compiled binary as a separate process, whose log (stderr) is collected
// and searched as it grows.

export class DaemonProc {
  readonly proc: ReturnType<typeof Bun.spawn>;
  text = "";
  constructor(exe: string, args: string[], cwd: string, env: Record<string, string> = {}) {
    this.proc = Bun.spawn([exe, ...args], { cwd, env: { PATH: "/usr/bin:/bin", HOME: cwd, ...env }, stdout: "pipe", stderr: "pipe" });
    void this.pump();
  }
  private async pump() {
    const dec = new TextDecoder();
    for await (const chunk of this.proc.stderr as ReadableStream<Uint8Array>) this.text += dec.decode(chunk);
  }
  /** Messages as `LEVEL >> [thread] message` (timestamp removed). */
  get lines(): string[] {
    return this.text.split("\n").map((l) => l.replace(/^\w{3} \d\d \d\d:\d\d:\d\d /, ""));
  }
  has(re: RegExp | string): boolean {
    return this.lines.some((l) => (typeof re === "string" ? l.endsWith(re) : re.test(l)));
  }
  count(re: RegExp | string): number {
    return this.lines.filter((l) => (typeof re === "string" ? l.endsWith(re) : re.test(l))).length;
  }
  wait(re: RegExp | string, ms = 20_000): Promise<void> {
    return this.until(() => this.has(re), String(re), ms);
  }
  /** Wait until `done()` holds; fails with the log when the daemon exits or time runs out. */
  async until(done: () => boolean, what: string, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!done()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n--- log ---\n${this.text}`);
      if (this.proc.exitCode !== null) throw new Error(`daemon exited (${this.proc.exitCode}) waiting for ${what}\n${this.text}`);
      await Bun.sleep(50);
    }
  }
}
