// Test Data Indexes on both backends: a fresh SQLite file in a temp dir, or a fresh database
// on the test MariaDB server. `backends()` lists the ones this run exercises; under CI=true
// MariaDB is mandatory (the helper throws instead of skipping).

import { tempDir, type TempDir } from "./tmp.ts";
import { freshDatabase, mariadbOrSkip } from "./mariadb.ts";
import { connectIndex } from "../../src/index/connect.ts";
import type { Driver } from "../../src/index/driver/types.ts";
import { CORE, initDataIndex } from "../../src/index/init.ts";

export type Backend = "sqlite" | "mysql";

export interface TestIndex extends AsyncDisposable {
  readonly backend: Backend;
  readonly url: string;
  /** An open connection for the test's own set-up and assertions. */
  readonly db: Driver;
  /** A scratch directory that lives as long as the index. */
  readonly dir: TempDir;
}

/** Backends to run contract and command suites on; mysql only when a server is available. */
export async function backends(): Promise<Backend[]> {
  const server = await mariadbOrSkip();
  return server ? ["sqlite", "mysql"] : ["sqlite"];
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
