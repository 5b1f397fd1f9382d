// Shared set-up of the fault trials (hostile-*, outage-*, skew-*): a work directory holding the
// node roots and a sentinel tree OUTSIDE them, a config naming the index, the compiled binary
// run as a user would, and the checks every CLI case makes (one clear error line, nothing
// written outside the roots).

import { expect } from "bun:test";
import { lstatSync, mkdirSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { binaryPath, runBinary, type RunResult } from "../helpers/binary.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { freshDatabase } from "../helpers/mariadb.ts";
import type { Backend } from "../helpers/index.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";

/** An import-detect extension accepting any path: acquisition = first path element. */
export const DETECT_ALL = resolve(import.meta.dir, "hostile-detect-all.ts");

export interface Workspace extends AsyncDisposable {
  readonly dir: TempDir;
  readonly url: string;
  readonly conf: string;
  /** Files planted beside the roots that nothing may read, write or delete. */
  readonly sentinel: string;
  /** `alpenhorn --test-isolation -c CONF ...args` in the work dir. */
  cli(args: readonly string[], input?: string): Promise<RunResult>;
  /** Like cli(), but a non-zero exit throws (set-up steps). */
  ok(args: readonly string[], input?: string): Promise<string>;
  /** `alpenhorn serve` (running until stopped; killed at dispose) with this workspace's config or `confFile`. */
  daemon(extraArgs?: readonly string[], confFile?: string): Promise<DaemonProc>;
}

/**
 * A new workspace on `backend` with an initialised index; `daemonConf` is appended to the
 * config file (host h1, 1-second loops and two workers unless overridden there).
 */
export async function workspace(backend: Backend, opts: { url?: string; daemonConf?: string } = {}): Promise<Workspace> {
  const dir = tempDir("faults");
  let drop = async () => {};
  let url = opts.url;
  if (!url) {
    if (backend === "sqlite") url = `sqlite:///${dir.join("index.db")}`;
    else {
      const db = await freshDatabase("faults");
      url = db.url;
      drop = db.drop;
    }
  }
  const conf = dir.join("alpenhorn.conf");
  writeFileSync(
    conf,
    `database:\n  url: ${JSON.stringify(url)}\nextensions:\n  - ${DETECT_ALL}\n` +
      (opts.daemonConf ?? `daemon:\n  host: h1\n  update_interval: 1\n  num_workers: 2\n  fs_timeout: 30\nlogging:\n  level: info\n`),
  );
  const sentinel = dir.join("outside");
  plantSentinel(sentinel);
  const bin = await binaryPath();
  const cli = (args: readonly string[], input?: string) => runBinary(bin, ["--test-isolation", "-c", conf, ...args], { cwd: dir.path, input });
  const ok = async (args: readonly string[], input?: string) => {
    const r = await cli(args, input);
    if (r.code !== 0) throw new Error(`alpenhorn ${args.join(" ")} → ${r.code}\n${r.out}\n${r.err}`);
    return r.out;
  };
  const daemons: DaemonProc[] = [];
  await ok(["db", "init"]);
  return {
    dir,
    url,
    conf,
    sentinel,
    cli,
    ok,
    async daemon(extraArgs = [], confFile = conf) {
      const d = new DaemonProc(bin, ["serve", "--test-isolation", "-c", confFile, ...extraArgs], dir.path, { PATH: process.env.PATH ?? "/usr/bin:/bin" });
      daemons.push(d);
      return d;
    },
    async [Symbol.asyncDispose]() {
      for (const d of daemons) {
        d.proc.kill("SIGKILL");
        await d.proc.exited;
      }
      await drop();
      dir[Symbol.dispose]();
    },
  };
}

/** A small tree of files, a subdirectory and a symlink, to be found unchanged at the end. */
function plantSentinel(at: string): void {
  mkdirSync(join(at, "acq"), { recursive: true });
  writeFileSync(join(at, "secret.txt"), "not yours\n");
  writeFileSync(join(at, "acq", "file.dat"), "0123456789\n");
}

/**
 * Every entry under `dir` (recursively, symlinks not followed) with its type, size, mode and
 * mtime: two equal snapshots mean nothing was created, removed, written or re-moded there.
 */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string, rel: string) => {
    const st = lstatSync(p);
    const kind = st.isSymbolicLink() ? `l->${readlinkSync(p)}` : st.isDirectory() ? "d" : "f";
    out.push(`${rel} ${kind} ${st.isDirectory() ? "" : st.size} ${st.mode.toString(8)} ${st.isDirectory() ? "" : st.mtimeMs}`);
    if (st.isDirectory() && !st.isSymbolicLink()) for (const name of readdirSync(p).sort()) walk(join(p, name), `${rel}/${name}`);
  };
  walk(dir, ".");
  return out;
}

/** The one-line error contract: non-zero exit, nothing on stdout, one `Error: …` line (alpenhorn's
 * two-line connect message allowed), no stack trace and no minified class names. */
export function expectOneErrorLine(r: RunResult, message?: RegExp): void {
  expect(r.code).not.toBe(0);
  const lines = r.err.split("\n").filter((l) => l !== "");
  const errors = lines.filter((l) => l.startsWith("Error: "));
  if (errors.length !== 1) throw new Error(`expected one Error: line, got ${errors.length} (exit ${r.code}):\n${r.err}${r.out}`);
  expect(r.err).not.toMatch(/^\s+at /m); // a stack frame
  expect(r.err).not.toMatch(/^[A-Za-z_$]{1,3}: /m); // a minified class name such as `we: …`
  expect(r.err).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/);
  if (message) expect(errors[0]).toMatch(message);
}

/**
 * Entries under a node root that are neither its ALPENHORN_NODE nor one of `files` (relative
 * paths) and their directories: temp directories, placeholders or half-written files left
 * behind (there must be none).
 */
export function leftovers(root: string, files: readonly string[]): string[] {
  const expected = new Set(["ALPENHORN_NODE", ...files]);
  for (const f of files) for (let d = dirname(f); d !== "."; d = dirname(d)) expected.add(d);
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => !expected.has(p)).sort();
}

/**
 * The end of an outage trial: nothing outside the roots changed (`outside`, the sentinel's
 * snapshot taken before), no temporary, placeholder or stray file in either root beside the
 * trial's `files`, and the daemon, still running after its outages, stops in order on SIGTERM
 * without a `Fatal error!`.
 */
export async function expectOrderlyEnd(ws: Workspace, outside: string[], roots: readonly string[], files: readonly string[], d: DaemonProc): Promise<void> {
  expect(snapshot(ws.sentinel)).toEqual(outside);
  for (const root of roots) expect(leftovers(root, files)).toEqual([]);
  expect(d.proc.exitCode).toBeNull();
  d.proc.kill("SIGTERM");
  expect(await d.proc.exited).toBe(0);
  expect(d.text).not.toContain("Fatal error!");
}
