// Queries of `node clean`: the candidate copies on a node and setting their wants_file.

import type { Db, Param } from "../driver/types.ts";
import type { WantsFile } from "../rows.ts";
import { placeholders, updateColumnByIds } from "./bulk-common.ts";

/** A candidate copy with what the clean needs of its file. */
export interface CleanCandidateRow {
  id: number;
  file_id: number;
  wants_file: WantsFile;
  size_b: number | string | null;
  registered: unknown;
}

export interface CleanFilter {
  readonly nodeId: number;
  /** Any has_file but 'N' (`--include-bad`); otherwise only 'Y'. */
  readonly includeBad: boolean;
  /** wants_file condition: "=" keeps only that value, "<>" drops it; null = any. */
  readonly wants: { readonly op: "=" | "<>"; readonly value: WantsFile } | null;
  readonly acqIds: readonly number[];
}

/** Copies on the node matching the filter, in copy-id order. */
export async function listCleanCandidates(db: Db, f: CleanFilter): Promise<CleanCandidateRow[]> {
  let sql =
    "SELECT c.id, c.file_id, c.wants_file, f.size_b, f.registered FROM archivefilecopy c " +
    `JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND c.has_file ${f.includeBad ? "<>" : "="} ?`;
  const params: Param[] = [f.nodeId, f.includeBad ? "N" : "Y"];
  if (f.wants) {
    sql += ` AND c.wants_file ${f.wants.op} ?`;
    params.push(f.wants.value);
  }
  if (f.acqIds.length) {
    sql += ` AND f.acq_id IN (${placeholders(f.acqIds.length)})`;
    params.push(...f.acqIds);
  }
  return db.all<CleanCandidateRow>(sql + " ORDER BY c.id", params);
}

/** Set wants_file on the given copies (last_update untouched); returns rows matched. */
export function setCopyWantsFile(db: Db, ids: readonly number[], wants: WantsFile): Promise<number> {
  return updateColumnByIds(db, "archivefilecopy", "wants_file", wants, ids);
}
