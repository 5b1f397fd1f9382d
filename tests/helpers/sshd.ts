// Throw-away OpenSSH server for the remote-pull tests: one per test process, started on first
// use on a free 127.0.0.1 port with its own host key, an authorized key for the current user
// and a private PidFile; stopped when the tests end (or with the process). It hands tests the
// ssh command to give rsync (`daemon.rsync_rsh`). Like tests/helpers/mariadb.ts: locally a
// missing or broken sshd means "skip" with a visible reason; under CI=true it fails the run.

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { describe } from "bun:test";
import { freePort } from "./net.ts";

export interface Sshd {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The ssh command (one string, rsync splits it) that logs in to this server, non-interactively. */
  readonly rsh: string;
}

const HOST = "127.0.0.1";
const SSHD = "/usr/sbin/sshd";
const PRIVSEP_DIR = "/run/sshd";
const START_DEADLINE_MS = 15_000;
const SEARCH_PATH = [process.env.PATH ?? "", "/usr/sbin", "/usr/bin"].join(":");
const isCI = () => process.env.CI === "true" || process.env.CI === "1";
const which = (name: string) => Bun.which(name, { PATH: SEARCH_PATH });

interface Running {
  sshd: Sshd;
  dir: string;
  proc: Bun.Subprocess;
}

let running: Promise<Running> | null = null;
let skipReason = "";

async function run(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  if (code !== 0) throw new Error(`${cmd[0]} failed (exit ${code}): ${err.trim()}`);
}

async function boot(): Promise<Running> {
  for (const bin of [SSHD, "ssh-keygen", "ssh", "rsync"]) {
    if (!which(bin)) throw new Error(`${bin} not found (openssh-server, openssh-client, rsync); run scripts/install-deps.sh`);
  }
  // sshd's privilege-separation directory, which the package's service unit would create.
  if (!existsSync(PRIVSEP_DIR)) mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), `alpenhorn-sshd-${process.pid}-`));
  try {
    const hostKey = join(dir, "host_ed25519");
    const userKey = join(dir, "id_ed25519");
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", userKey]);
    writeFileSync(join(dir, "authorized_keys"), await Bun.file(`${userKey}.pub`).text(), { mode: 0o600 });
    // os.userInfo() may not name the user here (Bun answers "unknown"): ask id(1).
    const user = new TextDecoder().decode(Bun.spawnSync(["id", "-un"]).stdout).trim() || userInfo().username;
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const config = join(dir, "sshd_config");
      writeFileSync(
        config,
        [
          `Port ${port}`,
          `ListenAddress ${HOST}`,
          `HostKey ${hostKey}`,
          `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
          `PidFile ${join(dir, "sshd.pid")}`,
          "PermitRootLogin prohibit-password",
          "PasswordAuthentication no",
          "KbdInteractiveAuthentication no",
          "StrictModes no",
          "UsePAM no",
          `AllowUsers ${user}`,
          "",
        ].join("\n"),
      );
      const setpriv = which("setpriv");
      // Dies with the test process even when that one is SIGKILLed.
      const cmd = [...(setpriv ? [setpriv, "--pdeathsig", "KILL", "--"] : []), SSHD, "-D", "-e", "-f", config];
      const proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
      proc.unref();
      const sshd: Sshd = {
        host: HOST,
        port,
        user,
        rsh: `ssh -p ${port} -i ${userKey} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR`,
      };
      const ok = await waitReady(sshd, proc);
      if (ok === "ready") {
        process.once("exit", () => proc.kill("SIGKILL"));
        return { sshd, dir, proc };
      }
      proc.kill("SIGKILL");
      const log = await new Response(proc.stderr as ReadableStream).text().catch(() => "");
      if (attempt < 3 && /Address already in use|Bind to port/.test(log)) continue;
      throw new Error(`sshd did not start (${ok}): ${log.trim().split("\n").slice(-5).join(" | ")}`);
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Ready when a real login runs a command. */
async function waitReady(sshd: Sshd, proc: Bun.Subprocess): Promise<"ready" | "exited" | "timed out"> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return "exited";
    const p = Bun.spawn([...sshd.rsh.split(" "), `${sshd.user}@${sshd.host}`, "true"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    if ((await p.exited) === 0) return "ready";
    await Bun.sleep(100);
  }
  return "timed out";
}

/** Starts (once per process) and returns the test sshd; throws if it cannot start. */
export function startSshd(): Promise<Sshd> {
  running ??= boot();
  return running.then((r) => r.sshd);
}

/** The sshd, or null when it cannot run here (tests skip, reason in sshdSkipReason()); throws under CI=true. */
export async function sshdOrSkip(): Promise<Sshd | null> {
  try {
    return await startSshd();
  } catch (e) {
    if (isCI()) throw e;
    if (!skipReason) console.warn(`sshd unavailable, skipping the remote-pull tests: ${(e as Error).message}`);
    skipReason = (e as Error).message.split("\n")[0]!;
    return null;
  }
}

export function sshdSkipReason(): string {
  return skipReason;
}

/** `describe`, or `describe.skip` with the reason in the suite's name when no sshd can run here. */
export async function describeWithSshd(): Promise<(name: string, fn: () => void) => void> {
  if (await sshdOrSkip()) return describe;
  return (name, fn) => describe.skip(`${name} (skipped: ${sshdSkipReason()})`, fn);
}

/** Stop the test sshd and remove its keys; a later startSshd() boots a new one. */
export async function stopSshd(): Promise<void> {
  const r = await running?.catch(() => null);
  running = null;
  if (!r) return;
  r.proc.kill("SIGTERM");
  await Promise.race([r.proc.exited, Bun.sleep(5000)]);
  r.proc.kill("SIGKILL");
  rmSync(r.dir, { recursive: true, force: true });
}
