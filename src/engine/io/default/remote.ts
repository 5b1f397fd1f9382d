// The Default node remote (alpenhorn/io/default/remote.py: DefaultNodeRemote at 632dd41): where a
// Default node's files are, for a daemon on another host; always ready to be pulled from.

import { join } from "node:path";
import type { IOConfig, NodeInfo, NodeRemote } from "../../extension-api.ts";

export class DefaultNodeRemote implements NodeRemote {
  constructor(
    readonly node: NodeInfo,
    readonly config: IOConfig,
  ) {}
  filePath(acqName: string, fileName: string): string {
    return join(this.node.root, acqName, fileName);
  }
  fileAddr(acqName: string, fileName: string): string {
    if (!this.node.username) throw new Error("missing username");
    if (!this.node.address) throw new Error("missing address");
    return `${this.node.username}@${this.node.address}:${this.filePath(acqName, fileName)}`;
  }
  pullReady(_acqName?: string, _fileName?: string): boolean | Promise<boolean> {
    return true;
  }
  remotePullOk(): boolean {
    return true;
  }
}

export const defaultNodeRemote = (node: NodeInfo, config: IOConfig): NodeRemote => new DefaultNodeRemote(node, config);
