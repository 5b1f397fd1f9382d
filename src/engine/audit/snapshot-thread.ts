// A thread that reads (part of) a SQLite index's S0 snapshot for check-site (snapshot.ts): the
// audit's own thread then only files packed pages, while threads like this one step SQLite and
// make the rows' values, two at once on a big node (each its own range of copy ids). Its own
// connection; the same keyset pages, in the same order, as the audit would read itself; the
// acquisitions' names sent with the first page that needs them.

import { connectIndex } from "../../index/connect.ts";
import type { Driver } from "../../index/driver/types.ts";
import { auditAcqNames, auditCopyValues } from "../../index/queries/audit.ts";
import { packPage, type PackedPage } from "./snapshot-pages.ts";

/** What the audit asks: the index (config `database.url`, relative to `cwd`), a node, a page size. */
export interface SnapshotRequest {
  readonly url: string;
  readonly cwd: string;
  readonly nodeId: number;
  readonly pageRows: number;
  /** The copies with afterId < id ≤ untilId: the part of the read this thread does. */
  readonly afterId: number;
  readonly untilId: number;
}

export type SnapshotMessage = { readonly kind: "page"; readonly page: PackedPage } | { readonly kind: "end" } | { readonly kind: "error"; readonly message: string };

declare const self: Worker;

self.onmessage = async (event: MessageEvent<SnapshotRequest>) => {
  const { url, cwd, nodeId, pageRows, untilId } = event.data;
  let drv: Driver | undefined;
  try {
    drv = await connectIndex({ url }, { cwd });
    const known = new Set<number>();
    let after = event.data.afterId;
    for (;;) {
      const rows = await auditCopyValues(drv, nodeId, after, pageRows, untilId);
      if (rows.length === 0) break;
      const fresh = new Set<number>();
      for (const r of rows) {
        const id = Number(r[2]);
        if (!known.has(id)) fresh.add(id);
      }
      const acqs: Array<[number, string]> = [];
      if (fresh.size > 0) {
        for (const [id, name] of await auditAcqNames(drv, [...fresh])) acqs.push([Number(id), String(name)]);
        for (const id of fresh) known.add(id);
      }
      const { page, transfer } = packPage(rows, acqs);
      self.postMessage({ kind: "page", page } satisfies SnapshotMessage, transfer);
      after = page.lastId;
      if (rows.length < pageRows) break;
    }
    self.postMessage({ kind: "end" } satisfies SnapshotMessage);
  } catch (err) {
    self.postMessage({ kind: "error", message: String((err as Error)?.message ?? err) } satisfies SnapshotMessage);
  } finally {
    await drv?.close().catch(() => undefined);
  }
};
