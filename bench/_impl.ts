// The two implementations bench/original.ts runs side by side, each as its user runs it: the
// Python original (prepared by scripts/python-original.sh: `alpenhorn` and `alpenhornd`) and
// our compiled binary (`alpenhorn …` and `alpenhorn serve`). Both read the site's config from
// ALPENHORN_CONFIG_FILE with --test-isolation, so neither sees a config of the machine's; the
// original needs the variable anyway: its pattern_importer's post-init hook reloads the config
// without the command line's -c.

import { spawnSync } from "node:child_process";
import { closeSync, openSync, readSync } from "node:fs";
import { join, resolve } from "node:path";
import { BIN, flushWrites } from "./_site.ts";

export interface Impl {
  readonly name: "original" | "ours";
  /** argv of the CLI and of the daemon's one-update run. */
  readonly cli: string[];
  readonly daemonOnce: string[];
}

export const ours: Impl = { name: "ours", cli: [BIN, "--test-isolation"], daemonOnce: [BIN, "--test-isolation", "serve", "--once"] };

export function original(bin: string): Impl {
  return { name: "original", cli: [join(bin, "alpenhorn"), "--test-isolation"], daemonOnce: [join(bin, "alpenhornd"), "--test-isolation", "--once"] };
}

/**
 * Prepare the original (scripts/python-original.sh): its bin directory, or why it cannot run
 * here (no mirror nor checkout, no Python with its dependencies).
 */
export function prepareOriginal(): { bin: string } | { skip: string } {
  const script = resolve(import.meta.dir, "..", "scripts/python-original.sh");
  const r = spawnSync("bash", [script], { encoding: "utf8" });
  if (r.status !== 0) return { skip: (r.stderr || `exit ${r.status}`).trim().split("\n").pop()! };
  return { bin: r.stdout.trim().split("\n").pop()! };
}

const env = (dir: string, conf: string) => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, ALPENHORN_CONFIG_FILE: conf });

/** Run the CLI in the site's dir; stdout, throws on failure. */
export function runCli(impl: Impl, dir: string, conf: string, args: string[]): string {
  const [cmd, ...pre] = impl.cli;
  const r = spawnSync(cmd!, [...pre, ...args], { cwd: dir, encoding: "utf8", env: env(dir, conf), maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${impl.name}: alpenhorn ${args.join(" ")} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

export interface DaemonRun {
  /** Seconds from spawn to the daemon's `Update complete.  Exiting.` (all its work done). */
  readonly done: number;
  /** Seconds from spawn to exit (the original then waits for its workers to stop). */
  readonly exit: number;
  /** CPU seconds of the daemon (all threads): what the work cost, whatever the machine's load. */
  readonly cpu: number;
}

/** How often the daemon's log file is looked at for its last line (the original's figure is minutes). */
const POLL_MS = 50;

/**
 * One daemon run of a single update (`--once`): its log (stdout and stderr) goes straight to
 * the file `log`, which is read as it grows to catch the time the daemon logs that its update
 * is complete (both log that line when the queue has drained), to within POLL_MS. Not a pipe:
 * a pipe from Bun.spawn is non-blocking, and a daemon writing faster than the bench reads it
 * would meet EAGAIN, which is not what a user's terminal or log file does. Killed after
 * `timeoutS` (a TimeoutError). Throws on a non-zero exit.
 */
export async function daemonOnce(impl: Impl, dir: string, conf: string, log: string, timeoutS: number): Promise<DaemonRun> {
  flushWrites(); // as Site.serveOnce: both implementations start from the same flushed state
  const fd = openSync(log, "w");
  const t0 = performance.now();
  const [cmd, ...pre] = impl.daemonOnce;
  const p = Bun.spawn([cmd!, ...pre], { cwd: dir, env: env(dir, conf), stdin: "ignore", stdout: fd, stderr: fd });
  closeSync(fd);
  let exited = false;
  const exitedAt = p.exited.then((code) => {
    exited = true;
    return { code, at: (performance.now() - t0) / 1000 };
  });
  let done = NaN;
  let timedOut = false;
  // Read only what was appended since the last look; keep a line's start across looks.
  const rd = openSync(log, "r");
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  let tail = "";
  const look = () => {
    for (;;) {
      const n = readSync(rd, buf, 0, buf.length, pos);
      if (n <= 0) return;
      pos += n;
      const text = tail + buf.toString("latin1", 0, n);
      if (text.includes("Update complete.  Exiting.")) done = (performance.now() - t0) / 1000;
      tail = text.slice(-64);
    }
  };
  while (!exited) {
    if (performance.now() - t0 > timeoutS * 1000) {
      timedOut = true;
      p.kill("SIGKILL");
      break;
    }
    if (Number.isNaN(done)) look();
    await Promise.race([exitedAt, Bun.sleep(POLL_MS)]);
  }
  const { code, at: exit } = await exitedAt;
  if (Number.isNaN(done)) look();
  closeSync(rd);
  if (timedOut) throw new TimeoutError(`${impl.name}: the daemon had not finished after ${timeoutS} s (log: ${log})`);
  if (code !== 0) throw new Error(`${impl.name}: the daemon exited ${code} (log: ${log})`);
  if (Number.isNaN(done)) throw new Error(`${impl.name}: the daemon exited without completing its update (log: ${log})`);
  const cpu = Number(p.resourceUsage()?.cpuTime.total ?? NaN) / 1e6;
  return { done: Math.min(done, exit), exit, cpu };
}

export class TimeoutError extends Error {}
