// A MariaDB server of its own for the outage trials: unlike the shared test server
// (tests/helpers/mariadb.ts, whose stop removes the data), this one can be stopped, killed and
// started again on the SAME port with the SAME data directory, as an operator's restart is.
// mariadbd runs directly under setpriv's parent-death SIGKILL, so a test process that dies
// takes its server with it; dispose() kills it and removes the directory.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { freePort } from "../helpers/net.ts";

const SEARCH_PATH = [process.env.PATH ?? "", "/usr/sbin", "/usr/bin"].join(":");
const which = (...names: string[]) => names.map((n) => Bun.which(n, { PATH: SEARCH_PATH })).find((p) => p) ?? null;

export interface RestartableServer extends AsyncDisposable {
  readonly port: number;
  /** URL of database `db` on this server (created by createDatabase). */
  url(db: string): string;
  createDatabase(name: string): Promise<void>;
  /** Ends the server: "kill" is SIGKILL (a crash), "shutdown" is SIGTERM (an orderly stop). */
  stop(how: "kill" | "shutdown"): Promise<void>;
  /** Starts it again on the same port and data; resolves once it answers. */
  start(): Promise<void>;
  readonly running: boolean;
}

/** Binaries present? (The outage trials skip without them, and fail under CI=true.) */
export function restartableAvailable(): boolean {
  return which("mariadbd", "mysqld") !== null && which("mariadb-install-db", "mysql_install_db") !== null;
}

export async function restartableServer(): Promise<RestartableServer> {
  const server = which("mariadbd", "mysqld")!;
  const installDb = which("mariadb-install-db", "mysql_install_db")!;
  const dir = mkdtempSync(join(tmpdir(), "alpenhorn-outage-db-"));
  const datadir = join(dir, "data");
  const asUser = process.getuid?.() === 0 ? ["--user=root"] : [];
  const tuning = [
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-use-native-aio=0",
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_general_ci",
    "--default-time-zone=+00:00",
  ];
  // mariadb-install-db now and then fails on this busy machine: one more try on a clean dir.
  for (let attempt = 1; ; attempt++) {
    const install = Bun.spawn({
      cmd: [installDb, "--no-defaults", `--datadir=${datadir}`, ...asUser, "--auth-root-authentication-method=normal", "--skip-test-db", ...tuning],
      stdio: ["ignore", "pipe", "pipe"],
    });
    if ((await install.exited) === 0) break;
    rmSync(datadir, { recursive: true, force: true });
    if (attempt === 2) throw new Error(`mariadb-install-db failed: ${await new Response(install.stderr).text()}`);
  }
  const port = await freePort();
  let proc: Bun.Subprocess | null = null;

  const admin = async <T>(fn: (c: Awaited<ReturnType<typeof createConnection>>) => Promise<T>) => {
    const c = await createConnection({ host: "127.0.0.1", port, user: "root" });
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  const start = async () => {
    proc = Bun.spawn({
      cmd: ["setpriv", "--pdeathsig", "KILL", "--", server, "--no-defaults", `--datadir=${datadir}`, `--tmpdir=${dir}`, `--socket=${join(dir, "sock")}`,
        `--port=${port}`, "--bind-address=127.0.0.1", `--pid-file=${join(dir, "pid")}`, `--log-error=${join(dir, "error.log")}`, ...asUser, ...tuning],
      stdio: ["ignore", "ignore", "ignore"],
    });
    proc.unref();
    const end = Date.now() + 60_000;
    for (;;) {
      try {
        await admin((c) => c.query("SELECT 1"));
        return;
      } catch (e) {
        if (proc.exitCode !== null || Date.now() > end) throw new Error(`MariaDB did not (re)start on port ${port}: ${(e as Error).message}`);
        await Bun.sleep(50);
      }
    }
  };

  const stop = async (how: "kill" | "shutdown") => {
    const p = proc;
    if (!p) return;
    proc = null;
    p.kill(how === "kill" ? "SIGKILL" : "SIGTERM");
    await p.exited;
  };

  await start();
  return {
    port,
    url: (db) => `mysql://root@127.0.0.1:${port}/${db}`,
    createDatabase: (name) => admin((c) => c.query(`CREATE DATABASE \`${name}\``)).then(() => undefined),
    stop,
    start,
    get running() {
      return proc !== null;
    },
    async [Symbol.asyncDispose]() {
      await stop("kill");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
