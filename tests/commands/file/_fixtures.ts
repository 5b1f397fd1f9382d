// Shared set-up for the `file` command tests: a fresh index per test with a runner, and small
// readers for the rows the tests assert on.

import { initialisedIndex, type Backend, type TestIndex } from "../../helpers/index.ts";
import { cliFor, type CliRunner } from "../../helpers/run-cli.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import type { ArchiveFileCopyRow } from "../../../src/index/rows.ts";

export interface FileTestEnv extends AsyncDisposable {
  idx: TestIndex;
  db: Db;
  run: CliRunner;
}

export async function fileEnv(backend: Backend): Promise<FileTestEnv> {
  const idx = await initialisedIndex(backend);
  return { idx, db: idx.db, run: cliFor(idx), [Symbol.asyncDispose]: () => idx[Symbol.asyncDispose]() };
}

/** has_file + wants_file of the copy of a file on a node, or undefined when there is no row. */
export async function copyState(db: Db, fileId: number, nodeId: number): Promise<string | undefined> {
  const c = await db.get<ArchiveFileCopyRow>("SELECT * FROM archivefilecopy WHERE file_id = ? AND node_id = ?", [fileId, nodeId]);
  return c ? c.has_file + c.wants_file : undefined;
}

export async function countRows(db: Db, table: string): Promise<number> {
  const r = await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r!.n);
}
