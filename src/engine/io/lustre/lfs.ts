// The lfs(1) wrapper (alpenhorn/io/_lfs.py at 632dd41): quota and HSM state of files on a
// Lustre filesystem. Every call runs `[lfs, ...args]` through the commands service (an argv
// array, never a shell) with the node's lfs_timeout; a call past it is killed.
//
// Two places differ from alpenhorn on purpose, as the safe choice:
// * hsmRelease reports success only when `lfs hsm_release` succeeded (alpenhorn: always);
// * hsmRestore of a file whose state is unknown answers null ("may or may not have worked:
//   look again later") instead of true, without running anything.

import type { CommandService, IOLog } from "../../extension-api.ts";

export enum HSMState {
  /** Neither on disk nor in the archive. */
  Missing = "MISSING",
  /** On disk only (new files, until the HSM archives them). */
  Unarchived = "UNARCHIVED",
  /** On disk and in the archive. */
  Restored = "RESTORED",
  /** In the archive; a restore to disk is under way. */
  Restoring = "RESTORING",
  /** In the archive only. */
  Released = "RELEASED",
}

export type QuotaType = "user" | "group" | "project";
const QUOTA_FLAG: Record<QuotaType, string> = { user: "-u", group: "-g", project: "-p" };

export interface LfsOptions {
  /** The lfs executable's path (already looked up). */
  readonly lfs: string;
  readonly quotaId: string;
  readonly quotaType: QuotaType;
  /** kiB; overrides the limit lfs reports. */
  readonly fixedQuota: number | null;
  /** Seconds per call. */
  readonly timeout: number;
}

/** What one lfs run came to: its output, or why there is none. */
export type LfsRun = { readonly output: string } | { readonly output: null; readonly why: "missing" | "timeout" | "failed" };

/**
 * Free bytes from `lfs quota -q` output for `path` (alpenhorn: LFS.quota_remaining): the path
 * (alone on the first line when long, else at its start), then eight fields whose first two are
 * kiB used (a trailing `*` when over quota) and the quota. Null when it cannot be read (logged).
 * The result is negative when over quota.
 */
export function parseQuota(stdout: string, path: string, fixedQuota: number | null, log: IOLog): number | null {
  const bad = () => {
    log.warning(`Error parsing "lfs quota" output: ${stdout}`);
    return null;
  };
  const lines = splitLines(stdout);
  if (lines.length < 1) return bad();
  if (lines[0] === path) {
    // A long path is printed alone and the figures wrap onto the next line.
    lines.shift();
    if (lines.length < 1) return bad();
  } else if (stdout.startsWith(path)) lines[0] = lines[0]!.slice(path.length);
  else return bad();
  const fields = lines[0]!.trim().split(/\s+/);
  if (fields.length !== 8) return bad();
  // The default block quota is not visible to unprivileged users: only fixed_quota can say it.
  if (fixedQuota === null && lines.slice(1).some((l) => l.includes("using default block quota setting"))) {
    log.error(`ERROR: Unable to fetch default block quota for ${path}`);
    return null;
  }
  const limit = fixedQuota ?? parseKib(fields[1]!);
  const used = parseKib(fields[0]!.replace(/\*+$/, ""));
  if (limit === null || used === null) return bad();
  return (limit - used) * 1024;
}

/** A whole number of kiB as lfs prints it, or null. */
function parseKib(text: string): number | null {
  return /^[+-]?\d+$/.test(text) ? Number(text) : null;
}

/** Lines as Python's str.splitlines() makes them (no trailing empty line). */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/**
 * The state `lfs hsm_state {path}` reports (`{path}: (0x…) [words…][, archive_id:N]`), before
 * asking about a restore in progress: Unarchived without "archived", Restored without
 * "released", else Released. Null when the output is not about `path` (logged).
 */
export function parseHsmState(stdout: string, path: string, log: IOLog): HSMState.Unarchived | HSMState.Restored | HSMState.Released | null {
  if (!stdout.startsWith(`${path}:`)) {
    log.warning(`Error parsing hsm_state output: ${stdout}`);
    return null;
  }
  // Only what follows the path counts: a file may be called "archived".
  const words = stdout.slice(path.length + 1);
  if (!words.includes("archived")) return HSMState.Unarchived;
  if (!words.includes("released")) return HSMState.Restored;
  return HSMState.Released;
}

export class Lfs {
  constructor(
    readonly opts: LfsOptions,
    private readonly commands: CommandService,
    private readonly log: IOLog,
  ) {}

  /** Run lfs with `args` (alpenhorn: LFS.run_lfs). */
  async run(...args: Array<string | number>): Promise<LfsRun> {
    const argv = args.map(String);
    const line = argv.join(" ");
    const r = await this.commands.run([this.opts.lfs, ...argv], this.opts.timeout);
    if (r.rc === null) {
      this.log.warning(`LFS command timed out: ${line}`);
      return { output: null, why: "timeout" };
    }
    if (r.rc === 0) return { output: r.stdout };
    let why: "missing" | "failed";
    if (r.stderr.includes("No such file or directory")) {
      this.log.debug(`LFS missing file: ${line}`);
      why = "missing";
    } else {
      this.log.warning(`LFS command failed: ${line}`);
      why = "failed";
    }
    if (r.stderr) this.log.debug(`LFS stderr: ${r.stderr}`);
    if (r.stdout) this.log.debug(`LFS stdout: ${r.stdout}`);
    return { output: null, why };
  }

  /** Bytes left in the quota holding `path`; null when unknown (logged). */
  async quotaRemaining(path: string): Promise<number | null> {
    const r = await this.run("quota", "-q", QUOTA_FLAG[this.opts.quotaType], this.opts.quotaId, path);
    return r.output === null ? null : parseQuota(r.output, path, this.opts.fixedQuota, this.log);
  }

  /** The HSM state of `path`; null when lfs could not say. */
  async hsmState(path: string): Promise<HSMState | null> {
    const r = await this.run("hsm_state", path);
    if (r.output === null) return r.why === "missing" ? HSMState.Missing : null;
    const state = parseHsmState(r.output, path, this.log);
    if (state !== HSMState.Released) return state;
    // Released: a restore may be running already (a failed hsm_action counts as "no").
    const action = await this.run("hsm_action", path);
    return action.output !== null && action.output.includes("RESTORE") ? HSMState.Restoring : HSMState.Released;
  }

  async hsmArchived(path: string): Promise<boolean> {
    const s = await this.hsmState(path);
    return s === HSMState.Restored || s === HSMState.Restoring || s === HSMState.Released;
  }

  async hsmReleased(path: string): Promise<boolean> {
    const s = await this.hsmState(path);
    return s === HSMState.Released || s === HSMState.Restoring;
  }

  /**
   * Ask for `path` to be restored to disk (`known`: its state, just read). True: asked, or nothing to do; false: it is missing
   * (or the request failed for want of the file); null: unknown (timeout, failure, state unknown).
   */
  async hsmRestore(path: string, known?: HSMState | null): Promise<boolean | null> {
    const state = known === undefined ? await this.hsmState(path) : known;
    if (state === HSMState.Missing) {
      this.log.debug(`Attempt to restore non-existent file: ${path}`);
      return false;
    }
    if (state === null) return null;
    if (state !== HSMState.Released) return true;
    const r = await this.run("hsm_restore", path);
    if (r.output !== null) return true;
    return r.why === "missing" ? false : null;
  }

  /** Ask for `path` to be released from disk (`known`: its state, just read): true when it is released or the request was made. */
  async hsmRelease(path: string, known?: HSMState | null): Promise<boolean> {
    const state = known === undefined ? await this.hsmState(path) : known;
    if (state === HSMState.Released) return true;
    if (state !== HSMState.Restored) {
      this.log.debug(`Unable to release "${path}" [state=${state === null ? "None" : `HSMState.${state}`}]`);
      return false;
    }
    return (await this.run("hsm_release", path)).output !== null;
  }
}
