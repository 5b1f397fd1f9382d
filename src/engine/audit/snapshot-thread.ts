// A thread that reads (part of) a SQLite index's S0 snapshot for check-site (snapshot.ts): the
// audit's own thread then only files packed pages, while threads like this one step SQLite and
// make the rows' values, two at once on a big node (each its own range of copy ids). Its own
// connection; the same packed pages (snapshot-pages.ts), in the same order, as the audit reads
// when it reads them itself.

import { connectIndex } from "../../index/connect.ts";
import type { Driver } from "../../index/driver/types.ts";
import { packedPages, type PackedPage } from "./snapshot-pages.ts";

/** What the audit asks: the index (config `database.url`, relative to `cwd`), a node, a page size. */
export interface SnapshotRequest {
  readonly url: string;
  readonly cwd: string;
  readonly nodeId: number;
  /** The copies with afterId < id ≤ untilId: the part of the read this thread does. */
  readonly afterId: number;
  readonly untilId: number;
}

export type SnapshotMessage = { readonly kind: "page"; readonly page: PackedPage } | { readonly kind: "end" } | { readonly kind: "error"; readonly message: string };

declare const self: Worker;

self.onmessage = async (event: MessageEvent<SnapshotRequest>) => {
  const { url, cwd, nodeId, afterId, untilId } = event.data;
  let drv: Driver | undefined;
  try {
    drv = await connectIndex({ url }, { cwd });
    for await (const { page, transfer } of packedPages(drv, nodeId, afterId, untilId)) self.postMessage({ kind: "page", page } satisfies SnapshotMessage, transfer);
    self.postMessage({ kind: "end" } satisfies SnapshotMessage);
  } catch (err) {
    self.postMessage({ kind: "error", message: String((err as Error)?.message ?? err) } satisfies SnapshotMessage);
  } finally {
    await drv?.close().catch(() => undefined);
  }
};
