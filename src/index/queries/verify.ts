// Queries of `node verify`: copies on a node in the selected states, and setting has_file.

import type { Db, Param } from "../driver/types.ts";
import type { HasFile } from "../rows.ts";
import { copyStateSql, placeholders, updateColumnByIds, type CopyStateCondition } from "./bulk-common.ts";

export interface VerifyCandidateRow {
  id: number;
  file_id: number;
  size_b: number | string | null;
}

/** Copies on `nodeId` in any of `states`, limited to `acqIds` when given; in copy-id order. */
export async function listVerifyCandidates(
  db: Db,
  nodeId: number,
  states: readonly CopyStateCondition[],
  acqIds: readonly number[],
): Promise<VerifyCandidateRow[]> {
  const cond = copyStateSql("c", states);
  let sql = `SELECT c.id, c.file_id, f.size_b FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND ${cond.sql}`;
  const params: Param[] = [nodeId, ...cond.params];
  if (acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(acqIds.length)})`;
    params.push(...acqIds);
  }
  return db.all<VerifyCandidateRow>(sql + " ORDER BY c.id", params);
}

/** Set has_file on the given copies (last_update untouched); returns rows matched. */
export function setCopyHasFile(db: Db, ids: readonly number[], has: HasFile): Promise<number> {
  return updateColumnByIds(db, "archivefilecopy", "has_file", has, ids);
}
