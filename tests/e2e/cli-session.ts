// Shared set-up of the cli*.test.ts end-to-end files: dist/alpenhorn copied into an empty temp
// dir, a config naming a new Data Index (a SQLite file, or a fresh MariaDB database when a
// server is available), and `run(args, input)` spawning the copy there as a user would.

import { afterAll, beforeAll } from "bun:test";
import { writeFileSync } from "node:fs";
import { binaryCopyIn, runBinary, type RunResult } from "../helpers/binary.ts";
import { freshDatabase, mariadbOrSkip } from "../helpers/mariadb.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";

export interface Backend {
  readonly name: "sqlite" | "mariadb";
  readonly enabled: boolean;
  /** A new, empty database: its URL and how to remove it. */
  database(dir: TempDir): Promise<{ url: string; drop(): Promise<void> }>;
}

const server = await mariadbOrSkip();

/** The two passes of every case: SQLite always, MariaDB when `mariadbOrSkip()` gives a server. */
export const BACKENDS: readonly Backend[] = [
  {
    name: "sqlite",
    enabled: true,
    database: async (dir) => ({ url: `sqlite:///${dir.join("index.db")}`, drop: async () => {} }),
  },
  { name: "mariadb", enabled: server !== null, database: (_dir) => freshDatabase("e2e_cli") },
];

export interface Session {
  readonly dir: TempDir;
  /** `alpenhorn --test-isolation -c alpenhorn.conf ...args` in the temp dir; `input` is stdin. */
  run(args: readonly string[], input?: string): Promise<RunResult>;
}

/**
 * Registers beforeAll/afterAll hooks in the enclosing describe: one temp dir, binary copy,
 * config and database for all of its tests, which therefore run as one ordered session.
 */
export function useSession(backend: Backend, label: string): Session {
  let dir: TempDir | undefined;
  let bin = "";
  let drop = async () => {};
  beforeAll(async () => {
    dir = tempDir(`e2e-${label}`);
    bin = await binaryCopyIn(dir.path);
    const db = await backend.database(dir);
    drop = db.drop;
    writeFileSync(dir.join("alpenhorn.conf"), `database:\n  url: ${db.url}\n`);
  });
  afterAll(async () => {
    await drop();
    dir?.[Symbol.dispose]();
  });
  return {
    get dir() {
      if (!dir) throw new Error("session used outside its describe");
      return dir;
    },
    run: (args, input) =>
      runBinary(bin, ["--test-isolation", "-c", "alpenhorn.conf", ...args], { cwd: dir?.path, input }),
  };
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => String(n).padStart(2, "0");

/** alpenhorn's pretty_time (alpenhorn/cli/cli.py at 632dd41): C ctime layout (space-padded day) plus ` UTC`. */
export function ctimeUTC(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, " ");
  const hms = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${hms} ${d.getUTCFullYear()} UTC`;
}

/** Every pretty_time a row registered between `from` and `to` may show (MariaDB rounds to the second). */
export function ctimesBetween(from: number, to: number): string[] {
  const out: string[] = [];
  for (let s = Math.floor(from / 1000) - 1; s <= Math.ceil(to / 1000) + 1; s++) out.push(ctimeUTC(s * 1000));
  return out;
}
