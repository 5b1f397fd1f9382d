// DefaultNodeRemote (spec §4.3): addresses of a Default node's files; always pull-ready.

import { join } from "node:path";
import type { ArchiveFileRow, StorageNodeRow } from "../../../index/rows.ts";
import type { IOConfig, NodeRemote } from "../types.ts";

export class DefaultNodeRemote implements NodeRemote {
  constructor(
    readonly node: StorageNodeRow,
    readonly config: IOConfig,
  ) {}
  filePath(file: ArchiveFileRow, acqName: string): string {
    return join(this.node.root ?? "", acqName, file.name);
  }
  fileAddr(file: ArchiveFileRow, acqName: string): string {
    if (!this.node.username) throw new Error("missing username");
    if (!this.node.address) throw new Error("missing address");
    return `${this.node.username}@${this.node.address}:${this.filePath(file, acqName)}`;
  }
  pullReady(): boolean {
    return true;
  }
  remotePullOk(): boolean {
    return true;
  }
}

export const defaultNodeRemote = (node: StorageNodeRow, config: IOConfig): NodeRemote => new DefaultNodeRemote(node, config);
