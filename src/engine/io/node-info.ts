// Index rows → the read-only snapshots I/O classes see (extension-api.ts: NodeInfo, GroupInfo).
// The one place that knows how a row's columns map onto them, so a change of table layout
// changes nothing an I/O class sees.

import type { StorageGroupRow, StorageNodeRow } from "../../index/rows.ts";
import type { GroupInfo, NodeInfo } from "../extension-api.ts";

export function nodeInfo(row: StorageNodeRow): NodeInfo {
  return Object.freeze({
    id: Number(row.id),
    name: row.name,
    root: row.root ?? "",
    groupId: Number(row.group_id),
    host: row.host,
    username: row.username,
    address: row.address,
    active: Boolean(Number(row.active)),
    archive: row.storage_type === "A",
    transport: row.storage_type === "T",
    ioClass: row.io_class,
    autoImport: Boolean(Number(row.auto_import)),
    autoVerify: Number(row.auto_verify ?? 0),
    availGb: row.avail_gb === null ? null : Number(row.avail_gb),
    minAvailGb: Number(row.min_avail_gb ?? 0),
    maxTotalGb: row.max_total_gb === null ? null : Number(row.max_total_gb),
  });
}

export function groupInfo(row: StorageGroupRow): GroupInfo {
  return Object.freeze({ id: Number(row.id), name: row.name, ioClass: row.io_class });
}
