// The Data Index operations I/O classes may call (extension-api.ts: IndexOps), over the
// daemon's connection. Rows become CopyInfo snapshots; the walk over a node's present copies
// follows alpenhorn's QueryWalker (alpenhorn/daemon/querywalker.py at 632dd41): a random start,
// id order, wrapping around, always `n` copies (repeats when fewer exist).

import { utcNow } from "../../common/time.ts";
import type { Db } from "../../index/driver/types.ts";
import { allAcqNames } from "../../index/queries/acqs.ts";
import {
  markCopyGone,
  nodeCopyByName,
  nodeCopyOfFile,
  presentCopiesFrom,
  presentWalkStart,
  readyCopiesByAge,
  setCopyReady,
  type NodeCopyRow,
} from "../../index/queries/node-copies.ts";
import type { CopyInfo, CopyWalk, IndexOps } from "../extension-api.ts";

/** Copies read per query of readyCopiesByAge. */
const AGE_BATCH = 500;

function copyInfo(r: NodeCopyRow): CopyInfo {
  return Object.freeze({
    id: Number(r.id),
    fileId: Number(r.file_id),
    rel: `${r.acq_name}/${r.file_name}`,
    size: r.size_b === null ? null : Number(r.size_b),
    hasFile: r.has_file,
    ready: Boolean(Number(r.ready)),
    lastUpdate: r.last_update,
  });
}

class PresentCopyWalk implements CopyWalk {
  private cursor: number | null = null;
  constructor(
    private readonly db: Db,
    private readonly nodeId: number,
  ) {}

  async next(n: number): Promise<CopyInfo[]> {
    if (!(n >= 1)) throw new Error(`walk step must be at least 1 (got ${n})`);
    if (this.cursor === null) {
      const start = await presentWalkStart(this.db, this.nodeId);
      if (start === undefined) return [];
      this.cursor = start;
    }
    const rows = await presentCopiesFrom(this.db, this.nodeId, this.cursor, n);
    while (rows.length < n) {
      const more = await presentCopiesFrom(this.db, this.nodeId, 0, n - rows.length);
      if (more.length === 0) {
        // Every copy went away: start afresh next time.
        this.cursor = null;
        return [];
      }
      rows.push(...more);
    }
    this.cursor = Number(rows[rows.length - 1]!.id) + 1;
    return rows.map(copyInfo);
  }
}

export function indexOps(db: Db): IndexOps {
  return {
    acqNames: () => allAcqNames(db),
    copyOfFile: async (nodeId, fileId) => {
      const r = await nodeCopyOfFile(db, nodeId, fileId);
      return r ? copyInfo(r) : null;
    },
    copyByName: async (nodeId, acqName, fileName) => {
      const r = await nodeCopyByName(db, nodeId, acqName, fileName);
      return r ? copyInfo(r) : null;
    },
    async *readyCopiesByAge(nodeId) {
      let after: { lastUpdate: string; id: number } | null = null;
      for (;;) {
        const rows = await readyCopiesByAge(db, nodeId, after, AGE_BATCH);
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        after = { lastUpdate: last.last_update, id: Number(last.id) };
        yield rows.map(copyInfo);
        if (rows.length < AGE_BATCH) return;
      }
    },
    setCopyReady: (copyId, ready) => setCopyReady(db, copyId, ready, utcNow()),
    markCopyGone: (copyId) => markCopyGone(db, copyId, utcNow()),
    presentCopyWalk: (nodeId) => new PresentCopyWalk(db, nodeId),
  };
}
