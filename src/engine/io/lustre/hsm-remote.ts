// LustreHSM node remote (alpenhorn/io/lustrehsm.py: LustreHSMNodeRemote at 632dd41): a file on
// an HSM node can be pulled only while its bytes are on disk, which the node's daemon records
// in the copy's `ready` flag (no copy: not ready).

import type { IndexOps, IOConfig, NodeInfo, NodeRemote } from "../../extension-api.ts";
import { DefaultNodeRemote } from "../default/remote.ts";

export class LustreHSMNodeRemote extends DefaultNodeRemote {
  constructor(
    node: NodeInfo,
    config: IOConfig,
    private readonly index: IndexOps,
  ) {
    super(node, config);
  }

  override async pullReady(acqName: string, fileName: string): Promise<boolean> {
    const copy = await this.index.copyByName(this.node.id, acqName, fileName);
    return copy?.ready ?? false;
  }
}

export const lustreHSMNodeRemote = (node: NodeInfo, config: IOConfig, index: IndexOps): NodeRemote => new LustreHSMNodeRemote(node, config, index);
