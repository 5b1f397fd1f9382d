// Polling node I/O (alpenhorn/io/polling.py at 632dd41): the Default I/O, but auto-import
// finds new files by scanning the node every `daemon.auto_import_interval` seconds (default
// 30) instead of through inotify, which never hears of changes made by other hosts of a
// network filesystem (NFS). src/engine/watch/poller.ts does the scanning.

import type { NodeIO, NodeIOInit } from "../extension-api.ts";
import { DefaultNodeIO } from "./default/node.ts";

export class PollingNodeIO extends DefaultNodeIO {
  override readonly observer = "polling";
}

export const pollingNodeIO = (init: NodeIOInit): NodeIO => new PollingNodeIO(init);
