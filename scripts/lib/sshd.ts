// A throw-away OpenSSH server on 127.0.0.1, for remote pulls between daemons on one machine:
// the demo (scripts/demo/) and the remote-pull tests (tests/helpers/sshd.ts) both start theirs
// here. It runs on a free port with its own host key, one authorized key for the current user
// and a private PidFile and log, and hands out the ssh command rsync needs (`daemon.rsync_rsh`).
// It never installs anything: a machine without sshd, ssh, ssh-keygen or rsync gets an error
// naming what is missing, and the caller decides (skip, fall back to local pulls, or fail).

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./net.ts";

export interface Sshd {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The ssh command (one string, rsync splits it) that logs in to this server, non-interactively. */
  readonly rsh: string;
}

export interface LoopbackSshd {
  readonly sshd: Sshd;
  readonly pid: number;
  /** Where its keys, config and log are. */
  readonly dir: string;
  /** SIGTERM, then SIGKILL after a grace period; removes `dir` when this module made it. */
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Directory for keys, config and log (created; left in place on stop). Default: a new temp dir, removed on stop. */
  dir?: string;
  /** How long to wait for a real login to work. */
  startDeadlineMs?: number;
}

const HOST = "127.0.0.1";
const SSHD = "/usr/sbin/sshd";
/** sshd refuses to start without its privilege-separation directory, which the package's service unit would create. */
const PRIVSEP_DIR = "/run/sshd";
const SEARCH_PATH = [process.env.PATH ?? "", "/usr/sbin", "/usr/bin"].join(":");
const which = (name: string) => Bun.which(name, { PATH: SEARCH_PATH });

/** The first program remote pulls need that this machine lacks, or null. */
export function missingSshTool(): string | null {
  for (const bin of [SSHD, "ssh-keygen", "ssh", "rsync"]) if (!which(bin)) return bin;
  return null;
}

async function run(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  const [code, err] = await Promise.all([p.exited, new Response(p.stderr).text()]);
  if (code !== 0) throw new Error(`${cmd[0]} failed (exit ${code}): ${err.trim()}`);
}

/** The login name: os.userInfo() may not know it here (Bun answers "unknown"), id(1) does. */
function currentUser(): string {
  return new TextDecoder().decode(Bun.spawnSync(["id", "-un"]).stdout).trim() || userInfo().username;
}

/** Start an sshd on 127.0.0.1; throws (saying why) when it cannot run here. */
export async function startLoopbackSshd(opts: SshdOptions = {}): Promise<LoopbackSshd> {
  const missing = missingSshTool();
  if (missing) throw new Error(`${missing} not found (openssh-server, openssh-client and rsync are needed)`);
  if (!existsSync(PRIVSEP_DIR)) {
    try {
      mkdirSync(PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    } catch (e) {
      throw new Error(`cannot create sshd's ${PRIVSEP_DIR}: ${(e as Error).message}`);
    }
  }
  const owned = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), `alpenhorn-sshd-${process.pid}-`));
  mkdirSync(dir, { recursive: true });
  try {
    const hostKey = join(dir, "host_ed25519");
    const userKey = join(dir, "id_ed25519");
    const log = join(dir, "sshd.log");
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
    await run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", userKey]);
    writeFileSync(join(dir, "authorized_keys"), readFileSync(`${userKey}.pub`), { mode: 0o600 });
    const user = currentUser();
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
          "AcceptEnv SHLVL",
          "",
        ].join("\n"),
      );
      writeFileSync(log, "");
      const setpriv = which("setpriv");
      // -E: its log goes to a file, never to a pipe nobody reads (a full pipe would stall
      // every login). setpriv: it dies with whoever started it, even one killed by SIGKILL.
      const cmd = [...(setpriv ? [setpriv, "--pdeathsig", "KILL", "--"] : []), SSHD, "-D", "-E", log, "-f", config];
      const proc = Bun.spawn(cmd, { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
      proc.unref();
      const sshd: Sshd = {
        host: HOST,
        port,
        user,
        rsh: `ssh -p ${port} -i ${userKey} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o SetEnv=SHLVL=1`,
      };
      const state = await waitReady(sshd, proc, opts.startDeadlineMs ?? 15_000);
      if (state === "ready") {
        const killNow = () => proc.kill("SIGKILL");
        process.once("exit", killNow);
        return {
          sshd,
          pid: proc.pid,
          dir,
          async stop() {
            process.off("exit", killNow);
            proc.kill("SIGTERM");
            // A cleared timer, not Bun.sleep: a pending sleep would hold the caller's exit back.
            const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
            await proc.exited;
            clearTimeout(timer);
            if (owned) rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      proc.kill("SIGKILL");
      await proc.exited;
      const tail = readFileSync(log, "utf8").trim().split("\n").slice(-5).join(" | ");
      if (attempt < 3 && /Address already in use|Bind to port/.test(tail)) continue;
      throw new Error(`sshd did not start (${state}): ${tail}`);
    }
  } catch (e) {
    if (owned) rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Ready when a real login runs a command. */
async function waitReady(sshd: Sshd, proc: Bun.Subprocess, ms: number): Promise<"ready" | "exited" | "timed out"> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return "exited";
    const p = Bun.spawn([...sshd.rsh.split(" "), `${sshd.user}@${sshd.host}`, "true"], { stdin: "ignore", stdout: "ignore", stderr: "ignore" });
    if ((await p.exited) === 0) return "ready";
    await Bun.sleep(100);
  }
  return "timed out";
}
