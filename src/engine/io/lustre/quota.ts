// LustreQuota node I/O (alpenhorn/io/lustrequota.py at 632dd41): the Default I/O, except that
// free space is what is left of the node's Lustre quota (`lfs quota`). The fast query used by
// pull reservations answers null ("unknown, don't refuse"), as an lfs call is too slow there.

import type { NodeIO, NodeIOInit } from "../../extension-api.ts";
import { DefaultNodeIO } from "../default/node.ts";
import { lfsOptions } from "./config.ts";
import { Lfs } from "./lfs.ts";

export class LustreQuotaNodeIO extends DefaultNodeIO {
  readonly lfs: Lfs;

  constructor(init: NodeIOInit) {
    super(init);
    const { commands, log } = init.services;
    this.lfs = new Lfs(lfsOptions(init.config, init.node.name, commands, log), commands, log);
  }

  override async bytesAvail(fast: boolean): Promise<number | null> {
    if (fast) return null;
    return this.lfs.quotaRemaining(this.root);
  }
}

export const lustreQuotaNodeIO = (init: NodeIOInit): NodeIO => new LustreQuotaNodeIO(init);
