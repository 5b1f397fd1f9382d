// Test Data Indexes on both backends: a fresh SQLite file in a temp dir, or a fresh database
// on the test MariaDB server. `backendSuites()` declares suites on both; without MariaDB the
// mysql ones are skipped locally, and under CI=true it is mandatory (the helper throws).

import { tempDir, type TempDir } from "./tmp.ts";
import { describe } from "bun:test";
import { freshDatabase, mariadbOrSkip, mariadbSkipReason } from "./mariadb.ts";
import { connectIndex } from "../../src/index/connect.ts";
import type { Driver } from "../../src/index/driver/types.ts";
import { CORE, CORE_MAIN, initDataIndex } from "../../src/index/init.ts";

export type Backend = "sqlite" | "mysql";

export interface TestIndex extends AsyncDisposable {
  readonly backend: Backend;
  readonly url: string;
  /** An open connection for the test's own set-up and assertions. */
  readonly db: Driver;
  /** A scratch directory that lives as long as the index. */
  readonly dir: TempDir;
}

/**
 * Backends whose suites run this time (mysql only with a server). Suites declared in a loop
 * over this list vanish from the summary without MariaDB: prefer backendSuites().
 */
export async function backends(): Promise<Backend[]> {
  const server = await mariadbOrSkip();
  return server ? ["sqlite", "mysql"] : ["sqlite"];
}

/** Declares one backend's suite: bun's `describe`, or `describe.skip` for an unavailable backend. */
export type DescribeOn = (name: string, fn: () => void) => void;

/**
 * Every backend, each with the `describe` to declare its suites with, so that the mysql
 * suites show up as skipped (the reason in their name) when no MariaDB server can start
 * locally; under CI=true that start-up error fails the file instead.
 *
 *     for (const [backend, describeOn] of await backendSuites()) {
 *       describeOn(`acq files [${backend}]`, () => { … });
 *     }
 */
export async function backendSuites(): Promise<Array<[Backend, DescribeOn]>> {
  return [
    ["sqlite", await describeFor("sqlite")],
    ["mysql", await describeFor("mysql")],
  ];
}

/** The `describe` for one backend's suites (see backendSuites). */
export async function describeFor(backend: Backend): Promise<DescribeOn> {
  if (backend === "sqlite" || (await mariadbOrSkip())) return describe;
  return (name, fn) => describe.skip(`${name} (skipped: ${mariadbSkipReason()})`, fn);
}

/** A new, empty index (no tables) on `backend`. */
export async function emptyIndex(backend: Backend): Promise<TestIndex> {
  const dir = tempDir("index");
  let url: string;
  let drop: () => Promise<void> = async () => undefined;
  if (backend === "sqlite") url = `sqlite:///${dir.join("index.db")}`;
  else {
    const fresh = await freshDatabase("idx");
    url = fresh.url;
    drop = fresh.drop;
  }
  const db = await connectIndex({ url });
  return {
    backend,
    url,
    db,
    dir,
    async [Symbol.asyncDispose]() {
      await db.close();
      await drop();
      dir[Symbol.dispose]();
    },
  };
}

/** A new index with the core schema version 2 created. */
export async function initialisedIndex(backend: Backend): Promise<TestIndex> {
  const idx = await emptyIndex(backend);
  await initDataIndex(idx.db, [CORE], () => undefined);
  return idx;
}

/** A new index with the core schema version 2 in upstream main's table layout (storagehost). */
export async function mainLayoutIndex(backend: Backend): Promise<TestIndex> {
  const idx = await emptyIndex(backend);
  await initDataIndex(idx.db, [CORE_MAIN], () => undefined);
  return idx;
}
