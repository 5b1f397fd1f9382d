// Throw-away MariaDB server for tests: one per test process, shared by every test file,
// started on first use; freshDatabase() hands each test its own database on it.
// Locally a missing/broken MariaDB means "skip"; under CI=true it is a hard failure.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection, type Connection } from "mysql2/promise";
import { freePort } from "./net.ts";

export interface Server {
  host: string;
  port: number;
  user: string;
  url(db: string): string;
}

export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const HOST = "127.0.0.1";
const USER = "root";
const DIR_PREFIX = "alpenhorn-mariadb-";
const START_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 30_000;
const SEARCH_PATH = [process.env.PATH ?? "", "/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"].join(":");

const isCI = () => process.env.CI === "true" || process.env.CI === "1";
const which = (...names: string[]) => names.map((n) => Bun.which(n, { PATH: SEARCH_PATH })).find((p) => p) ?? null;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function findBinaries(): { server: string; installDb: string } | null {
  const server = which("mariadbd", "mysqld");
  const installDb = which("mariadb-install-db", "mysql_install_db");
  return server && installDb ? { server, installDb } : null;
}

// Runs the server as a child of a tiny sh wrapper so cleanup survives the test process:
// on SIGTERM/INT/HUP (sent by us, or as parent-death signal via setpriv, or by the poll
// watcher when setpriv is missing) it stops mariadbd, SIGKILLs it after 20 s, and removes
// the temp dir. When mariadbd exits on its own (start-up failure) the dir is kept so the
// caller can read the error log. A zombie still has /proc/PID, hence the state check.
const WRAPPER = `
dir=$1 parent=$2; shift 2
stopping= watcher=
"$@" &
child=$!
stop() {
  stopping=1
  kill -TERM "$child" 2>/dev/null
  n=0
  while [ $n -lt 200 ] && [ -e /proc/$child ] && ! grep -q ') Z' /proc/$child/stat 2>/dev/null; do
    sleep 0.1; n=$((n+1))
  done
  kill -KILL "$child" 2>/dev/null
}
trap stop TERM INT HUP
if [ -n "$parent" ]; then
  ( while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -TERM $$ ) & watcher=$!
fi
wait "$child"; wait "$child"
[ -n "$watcher" ] && kill "$watcher" 2>/dev/null
[ -n "$stopping" ] && rm -rf "$dir"
exit 0
`;

interface Running {
  server: Server;
  dir: string;
  proc: Bun.Subprocess;
}

let running: Promise<Running> | null = null;
let startFailed = false;

/** Sync pre-check for `describe.skipIf(!mariadbAvailable())`: under CI always true, so the
 * tests run and fail loudly; locally false when binaries are missing or start-up failed. */
export function mariadbAvailable(): boolean {
  if (isCI()) return true;
  return !startFailed && findBinaries() !== null;
}

/** Starts (once per process) and returns the shared server; throws if it cannot start. */
export function startMariaDB(): Promise<Server> {
  running ??= boot().catch((e: unknown) => {
    startFailed = true;
    throw e;
  });
  return running.then((r) => r.server);
}

/** The server, or null when MariaDB is unusable locally (tests should skip); throws under CI=true. */
export async function mariadbOrSkip(): Promise<Server | null> {
  try {
    return await startMariaDB();
  } catch (e) {
    if (isCI()) throw e;
    const line = (e as Error).message.split("\n")[0]!;
    skipReason = line.split("; ")[0]!;
    if (!warned) console.warn(`MariaDB unavailable, skipping its tests: ${line}`);
    warned = true;
    return null;
  }
}
let warned = false;
let skipReason = "";

/** Why MariaDB's tests are skipped (after mariadbOrSkip() gave null), for skipped suites' names. */
export function mariadbSkipReason(): string {
  return skipReason;
}

/** Stops the shared server and removes its files; a later startMariaDB() boots a new one. */
export async function stopMariaDB(): Promise<void> {
  const r = await running?.catch(() => null);
  running = null;
  if (!r) return;
  r.proc.kill("SIGTERM");
  const done = await Promise.race([r.proc.exited.then(() => true), sleep(STOP_DEADLINE_MS).then(() => false)]);
  if (!done) r.proc.kill("SIGKILL"); // mariadbd then gets its own parent-death SIGKILL
  rmSync(r.dir, { recursive: true, force: true });
}

let counter = 0;

/** Creates a uniquely named empty database; drop() (or `await using`) removes it. */
export async function freshDatabase(prefix = "db"): Promise<FreshDatabase> {
  const server = await startMariaDB();
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 32);
  const name = `t_${clean}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(server, (c) => c.query(`CREATE DATABASE \`${name}\``));
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await withAdmin(server, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``));
  };
  return { name, url: server.url(name), drop, [Symbol.asyncDispose]: drop };
}

// A short-lived connection per admin call: a pooled one would keep the event loop alive.
async function withAdmin<T>(server: Server, fn: (c: Connection) => Promise<T>): Promise<T> {
  const c = await createConnection({ host: server.host, port: server.port, user: server.user });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function boot(): Promise<Running> {
  const bins = findBinaries();
  if (!bins) {
    throw new Error("MariaDB binaries not found (mariadbd/mysqld, mariadb-install-db); run scripts/install-deps.sh");
  }
  sweepStale();
  const dir = mkdtempSync(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  try {
    return await bootIn(dir, bins);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function bootIn(dir: string, bins: { server: string; installDb: string }): Promise<Running> {
  const datadir = join(dir, "data");
  const log = join(dir, "error.log");
  // mariadbd refuses to run as root unless told to; as non-root --user only warns, so omit it.
  const asUser = process.getuid?.() === 0 ? ["--user=root"] : [];
  // Small and fast rather than durable; utf8mb4 and UTC because --no-defaults would
  // otherwise give latin1 and the machine's time zone.
  const tuning = [
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-flush-log-at-trx-commit=0",
    "--innodb-doublewrite=0",
    "--innodb-use-native-aio=0", // io_uring/libaio are often blocked by container seccomp
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--default-time-zone=+00:00",
  ];

  // --no-defaults must come first; normal root auth = root without password on 127.0.0.1.
  const install = Bun.spawn({
    cmd: [bins.installDb, "--no-defaults", `--datadir=${datadir}`, ...asUser,
      "--auth-root-authentication-method=normal", "--skip-test-db", ...tuning],
    stdin: "ignore", stdout: "pipe", stderr: "pipe", timeout: START_DEADLINE_MS,
  });
  const [code, out, err] = await Promise.all([
    install.exited, new Response(install.stdout).text(), new Response(install.stderr).text(),
  ]);
  if (code !== 0) throw new Error(`mariadb-install-db failed (exit ${code}):\n${tail(out + err)}`);

  const setpriv = which("setpriv");
  const deathSig = (sig: string) => (setpriv ? [setpriv, "--pdeathsig", sig, "--"] : []);
  // A port found free may be taken before mariadbd binds it: retry on a new one.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // Its own temporary directory: in the shared /tmp, internal temporary tables (even those of
    // information_schema queries) could vanish under it when a test tidies or mounts there.
    const tmp = join(dir, "tmp");
    mkdirSync(tmp, { recursive: true });
    const serverCmd = [...deathSig("KILL"), bins.server, "--no-defaults", `--datadir=${datadir}`, `--tmpdir=${tmp}`,
      `--socket=${join(dir, "mysql.sock")}`, `--port=${port}`, `--bind-address=${HOST}`, "--skip-networking=0",
      `--pid-file=${join(dir, "mysqld.pid")}`, `--log-error=${log}`, ...asUser, ...tuning];
    const proc = Bun.spawn({
      cmd: [...deathSig("TERM"), "sh", "-c", WRAPPER, "sh", dir, setpriv ? "" : String(process.pid), ...serverCmd],
      stdio: ["ignore", "ignore", "ignore"],
    });
    proc.unref(); // the server must not keep the test process alive
    const server: Server = { host: HOST, port, user: USER, url: (db) => `mysql://${USER}@${HOST}:${port}/${db}` };
    const outcome = await waitReady(server, proc);
    if (outcome === "ready") {
      process.once("exit", () => proc.kill("SIGTERM")); // wrapper finishes cleanup after we are gone
      process.once("beforeExit", () => void stopMariaDB());
      return { server, dir, proc };
    }
    const logText = existsSync(log) ? readFileSync(log, "utf8") : "(no error log)";
    if (outcome === "exited" && /Bind on TCP\/IP port|Address already in use/.test(logText) && attempt < 3) continue;
    proc.kill("SIGKILL");
    throw new Error(`MariaDB did not start (${outcome}); ${bins.server} error log tail:\n${tail(logText)}`);
  }
}

async function waitReady(server: Server, proc: Bun.Subprocess): Promise<"ready" | "exited" | "timed out"> {
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return "exited";
    try {
      await withAdmin(server, (c) => c.query("SELECT 1"));
      return "ready";
    } catch {
      await sleep(50);
    }
  }
  return "timed out";
}


// Leftovers of test processes that were SIGKILLed along with their wrapper: kill any
// server still running there and remove the dir. Dir names carry the owner's pid.
function sweepStale(): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = Number(name.startsWith(DIR_PREFIX) ? name.slice(DIR_PREFIX.length).split("-")[0] : NaN);
    if (!owner || owner === process.pid || alive(owner)) continue;
    const dir = join(tmpdir(), name);
    const pid = Number(readIfExists(join(dir, "mysqld.pid")).trim());
    if (pid && alive(pid) && /mariadbd|mysqld/.test(readIfExists(`/proc/${pid}/cmdline`))) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

const tail = (text: string, lines = 40) => text.trimEnd().split("\n").slice(-lines).join("\n");
