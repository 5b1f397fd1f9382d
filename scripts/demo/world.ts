// The demo's world: a workspace with the Data Index, node roots, one config file and one log
// file per daemon host, and the means to act in it, each printed to the transcript: run the
// CLI (as the seed demo's alpenshell would), write files on a host, wait for a daemon's log
// line or for `node stats` to reach a state, and show the daemons' noteworthy log lines.

import { mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync, type Dirent } from "node:fs";
import { dirname, join } from "node:path";
import type { Sshd } from "../lib/sshd.ts";
import { Daemon, Processes } from "./processes.ts";

export const HOSTS = ["alpenhost1", "alpenhost2", "alpenhost3"] as const;
export type Host = (typeof HOSTS)[number];

export interface WorldOptions {
  /** The compiled binary. */
  exe: string;
  /** The workspace (emptied by the caller). */
  work: string;
  databaseUrl: string;
  /** The loopback sshd being started, or why there is none. */
  sshd: Promise<{ sshd: Sshd | null; why: string }>;
}

/** Daemon log lines worth showing in the transcript (the rest is the loop's routine). */
const NOTEWORTHY = new RegExp(
  [
    "No active nodes on host",
    "Ignoring node",
    "Requesting init",
    "initialised\\.$",
    "now available\\.$",
    "no longer available\\.$",
    "Watching node",
    'Skipping "',
    "Not importing",
    "added to DB\\.$",
    "Imported file copy",
    "Beginning task (AFCR|Delete copies|Pre-pull)",
    "Pulling (remote|local) file",
    "Hardlinked local file",
    "Pull of .* complete",
    "Checking copy",
    "is corrupt!",
    "is A-OK!",
    "Too few archive copies",
    "Removed (file copy|directory)",
    "Cancelling",
    "^(ERROR|CRITICAL) >> ",
    "Exiting due to",
  ].join("|"),
);

/** No command of the story takes long; one that does is stuck. */
const COMMAND_TIMEOUT_MS = 60_000;

/** Lines the loop repeats every update while nothing changes: each shown once per daemon. */
const REPEATED = /No active nodes on host|Ignoring node .*: not initialised|Beginning task Delete copies|Too few archive copies/;

export class World {
  readonly procs = new Processes();
  readonly daemons = new Map<Host, Daemon>();
  /** The sshd remote pulls go through, or null: then every node is on alpenhost1 and pulls are local. */
  ssh: Sshd | null = null;
  readonly started = performance.now();
  private readonly shownOnce = new Set<string>();

  constructor(readonly opts: WorldOptions) {}

  get work(): string {
    return this.opts.work;
  }
  /** The CLI's config: the index and the extension, no daemon settings (the seed's alpenshell). */
  get shellConf(): string {
    return join(this.work, "alpenshell.conf");
  }
  confOf(host: Host): string {
    return join(this.work, `${host}.conf`);
  }
  logOf(host: Host): string {
    return join(this.work, `${host}.log`);
  }
  /** The root of demo_storage{n}. */
  data(n: 1 | 2 | 3): string {
    return join(this.work, `data${n}`);
  }

  /** Where a node of the seed's host `alpenhost{n}` lives: that host with ssh, else alpenhost1. */
  hostOf(n: 1 | 2 | 3): Host {
    return this.ssh ? HOSTS[n - 1]! : "alpenhost1";
  }
  /** The log-in details remote daemons use for a node (none without ssh: nothing is remote). */
  login(): string[] {
    return this.ssh ? ["--username", this.ssh.user, "--address", this.ssh.host] : [];
  }
  daemon(host: Host): Daemon {
    const d = this.daemons.get(host);
    if (!d) throw new Error(`no daemon on ${host}`);
    return d;
  }

  private get common(): string {
    return `database:\n  url: ${JSON.stringify(this.opts.databaseUrl)}\nextensions:\n  - pattern_importer\n`;
  }

  /** The CLI's config; the CLI needs no daemon host. */
  writeShellConfig(): void {
    writeFileSync(this.shellConf, this.common);
  }

  /**
   * Settle where the nodes live once the sshd has started or failed (`sshd` resolves to null,
   * with the reason, when remote pulls cannot run here), and write the daemons' configs.
   */
  async settleHosts(): Promise<void> {
    const { sshd, why } = await this.opts.sshd;
    this.ssh = sshd;
    if (sshd) this.print(`(demo) remote pulls: rsync over the sshd on ${sshd.host}:${sshd.port}; node log-ins are ${sshd.user}@${sshd.host}`);
    else this.print(`(demo) no sshd on loopback (${why}): every node is on alpenhost1 and pulls are local`);
    this.writeHostConfigs();
  }

  private writeHostConfigs(): void {
    const common = this.common;
    for (const host of HOSTS) {
      const rsh = this.ssh ? `  rsync_rsh: ${JSON.stringify(this.ssh.rsh)}\n` : "";
      // One-second updates (the seed's daemons take ten) keep the story's waits short.
      writeFileSync(
        this.confOf(host),
        `${common}daemon:\n  host: ${host}\n  update_interval: 1\n  auto_import_interval: 1\n  num_workers: 2\n${rsh}logging:\n  level: info\n`,
      );
    }
  }

  startDaemons(): void {
    for (const host of HOSTS) this.daemons.set(host, Daemon.start(this.procs, host, this.opts.exe, this.confOf(host), this.logOf(host), this.work));
    this.print(`(${HOSTS.join(", ")}) started \`alpenhorn serve\`, logging to ${HOSTS.map((h) => `${h}.log`).join(", ")}`);
  }

  print(text: string): void {
    console.log(text);
  }

  say(title: string): void {
    this.showLogs();
    this.print(`\n# ${title}   [${this.elapsed()}]`);
  }

  /** An action on a host's filesystem, as the seed demo does in its alpenhost1 container. */
  onHost(host: Host, text: string): void {
    this.print(`(${host}) ${text}`);
  }

  write(n: 1 | 2 | 3, rel: string, text: string): void {
    const p = join(this.data(n), rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    this.onHost(this.hostOf(n), `wrote ${rel} on demo_storage${n}`);
  }

  remove(n: 1 | 2 | 3, rel: string): void {
    unlinkSync(join(this.data(n), rel));
    this.onHost(this.hostOf(n), `removed ${rel} on demo_storage${n}`);
  }

  rename(n: 1 | 2 | 3, from: string, to: string): void {
    renameSync(join(this.data(n), from), join(this.data(n), to));
    this.onHost(this.hostOf(n), `mv ${from} ${to}`);
  }

  /** `find ROOT -type f`, as the seed lists a node's filesystem. */
  listFiles(host: Host, root: string): void {
    const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
      .sort();
    this.print(`(${host}) files under ${root}:`);
    for (const f of files) this.print(`  ${f}`);
  }

  /**
   * Run the CLI without printing; returns its status and output. A `--wait` never ends if the
   * daemon it waits for has died, so a daemon's death ends the command (and the demo) too.
   */
  async run(args: string[], input?: string, conf = this.shellConf): Promise<{ code: number; out: string; err: string }> {
    const proc = this.procs.spawn(
      [this.opts.exe, "--test-isolation", "-c", conf, ...args],
      {
        cwd: this.work,
        env: { ...process.env, HOME: this.work },
        stdin: input === undefined ? "ignore" : new TextEncoder().encode(input),
        stdout: "pipe",
        stderr: "pipe",
      },
      true,
    );
    const output = Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text(), proc.exited]);
    const end = Date.now() + COMMAND_TIMEOUT_MS;
    let done = false;
    void output.finally(() => (done = true));
    while (!done) {
      const dead = this.deadDaemon();
      if (dead || Date.now() > end) {
        proc.kill("SIGKILL");
        throw new Error(dead ? `the ${dead.host} daemon exited (see ${dead.logPath}) during \`alpenhorn ${args.join(" ")}\`` : `\`alpenhorn ${args.join(" ")}\` took over ${COMMAND_TIMEOUT_MS / 1000}s`);
      }
      await Promise.race([output, Bun.sleep(100)]);
    }
    const [out, err, code] = await output;
    return { code, out, err };
  }

  /** A daemon that has exited, if any: none should before the story ends. */
  deadDaemon(): Daemon | undefined {
    for (const d of this.daemons.values()) if (d.proc.exitCode !== null || d.proc.signalCode !== null) return d;
    return undefined;
  }

  /**
   * Run `alpenhorn ARGS` and print it with its output; `input` answers a prompt; the command
   * must exit with `code` (0 unless the story expects a failure, as a `--wait` finding a
   * corrupt copy). Returns stdout.
   */
  async cli(args: string[], opts: { input?: string; code?: number; on?: Host } = {}): Promise<string> {
    const answer = opts.input === undefined ? "" : `   (answering ${JSON.stringify(opts.input.trim())})`;
    const where = opts.on ? `(on ${opts.on}, -c ${opts.on}.conf) ` : "";
    this.print(`${where}$ alpenhorn ${args.join(" ")}${answer}`);
    const r = await this.run(args, opts.input, opts.on ? this.confOf(opts.on) : this.shellConf);
    if (r.out) process.stdout.write(r.out);
    if (r.err) process.stdout.write(r.err.replace(/^(?=.)/gm, "  | "));
    const want = opts.code ?? 0;
    if (r.code !== want) throw new Error(`\`alpenhorn ${args.join(" ")}\` exited with status ${r.code} (expected ${want})`);
    this.showLogs();
    return r.out;
  }

  /** Wait for `host`'s daemon to log a line matching `re` (`n` of them), then show the logs. */
  async see(host: Host, re: RegExp, n = 1): Promise<void> {
    await this.daemon(host).waitFor(re, n);
    this.showLogs();
  }

  /** Poll `alpenhorn ARGS` until its output matches every pattern; then print it once. */
  async until(args: string[], ...patterns: RegExp[]): Promise<string> {
    const end = Date.now() + 30_000;
    for (;;) {
      const r = await this.run(args);
      if (r.code === 0 && patterns.every((p) => p.test(r.out))) break;
      if (Date.now() > end) {
        this.print(`$ alpenhorn ${args.join(" ")}\n${r.out}${r.err}`);
        throw new Error(`timed out waiting for \`alpenhorn ${args.join(" ")}\` to show ${patterns.join(", ")}`);
      }
      await Bun.sleep(150);
    }
    return this.cli(args);
  }

  /** Print every daemon's noteworthy lines logged since last shown. */
  showLogs(): void {
    for (const d of this.daemons.values()) {
      d.refresh();
      for (; d.shown < d.lines.length; d.shown++) {
        const line = d.lines[d.shown]!;
        if (!NOTEWORTHY.test(line)) continue;
        if (REPEATED.test(line)) {
          const key = `${d.host}:${line}`;
          if (this.shownOnce.has(key)) continue;
          this.shownOnce.add(key);
        }
        this.print(`  ${d.host} | ${line}`);
      }
    }
  }

  elapsed(): string {
    return `${((performance.now() - this.started) / 1000).toFixed(1)}s`;
  }
}
