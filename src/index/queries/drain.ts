// The reads of `alpenhorn node drain`: the copies on the node, every copy of their files, the
// pending requests of their files, and the pending requests per group — four statements
// whatever the node holds (the file set is a subquery, never a list of parameters).

import type { Db } from "../driver/types.ts";
import type { HasFile, WantsFile } from "../rows.ts";

/** A copy still on the node (has_file not 'N'), with its file's path and size. */
export interface DrainCopy {
  readonly id: number;
  readonly file_id: number;
  readonly has_file: HasFile;
  readonly wants_file: WantsFile;
  readonly size_b: number;
  readonly path: string;
}

/** One copy of a file (any node) as the plan counts it. */
export interface FileCopy {
  readonly file_id: number;
  readonly node_id: number;
  readonly has_file: HasFile;
}

/** A pending copy request of a file. */
export interface PendingRequest {
  readonly file_id: number;
  readonly group_to_id: number;
  readonly node_from_id: number;
}

const ON_NODE = "SELECT file_id FROM archivefilecopy WHERE node_id = ? AND has_file <> 'N'";

export interface DrainFacts {
  readonly here: DrainCopy[];
  readonly copies: FileCopy[];
  readonly requests: PendingRequest[];
  /** Group id → its pending copy requests (every file). */
  readonly pendingPerGroup: Map<number, number>;
}

export async function drainFacts(db: Db, nodeId: number): Promise<DrainFacts> {
  const here = await db.values(
    `SELECT c.id, c.file_id, c.has_file, c.wants_file, f.size_b, a.name, f.name
       FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id JOIN archiveacq a ON a.id = f.acq_id
      WHERE c.node_id = ? AND c.has_file <> 'N' ORDER BY c.id`,
    [nodeId],
  );
  const copies = await db.values(`SELECT file_id, node_id, has_file FROM archivefilecopy WHERE file_id IN (${ON_NODE})`, [nodeId]);
  const requests = await db.values(
    `SELECT file_id, group_to_id, node_from_id FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0 AND file_id IN (${ON_NODE}) ORDER BY id`,
    [nodeId],
  );
  const perGroup = await db.values("SELECT group_to_id, COUNT(*) FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0 GROUP BY group_to_id");
  return {
    here: here.map((r) => ({
      id: Number(r[0]),
      file_id: Number(r[1]),
      has_file: r[2] as HasFile,
      wants_file: r[3] as WantsFile,
      size_b: Number(r[4] ?? 0),
      path: `${r[5]}/${r[6]}`,
    })),
    copies: copies.map((r) => ({ file_id: Number(r[0]), node_id: Number(r[1]), has_file: r[2] as HasFile })),
    requests: requests.map((r) => ({ file_id: Number(r[0]), group_to_id: Number(r[1]), node_from_id: Number(r[2]) })),
    pendingPerGroup: new Map(perGroup.map((r) => [Number(r[0]), Number(r[1])])),
  };
}
