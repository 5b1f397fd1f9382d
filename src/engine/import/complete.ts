// Completing an import request (AFIR): once, with alpenhorn's log line and the
// requests_completed metric. Results: success, duplicate, invalid, ignored, non-file,
// bad name, no detection, bad acq, unregistered.

import { completeImportRequest } from "../../index/queries/requests.ts";
import type { ArchiveFileImportRequestRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";

export type ImportResult = "success" | "duplicate" | "invalid" | "ignored" | "non-file" | "bad name" | "no detection" | "bad acq" | "unregistered";

export async function completeRequest(
  ctx: DaemonContext,
  req: ArchiveFileImportRequestRow | null | undefined,
  result: ImportResult,
  where: { node: string; group: string },
): Promise<void> {
  if (!req) return;
  if (!(await completeImportRequest(ctx.db, req.id))) return;
  ctx.log.info(`Completed import request #${req.id}.`);
  ctx.metrics.inc("requests_completed", { type: "import", result, node: where.node, group: where.group });
}
