// LustreHSM group I/O (alpenhorn/io/lustrehsm.py: LustreHSMGroupIO at 632dd41): an HSM node
// paired with a "small-file" node of another class, because tape suits big files only. Pulls
// of files up to `threshold` bytes (io_config, default 1 GB) go to the small-file node, bigger
// ones to the HSM node. A rejected member list keeps the previously accepted pair, as
// alpenhorn does.

import type { GroupInfo, GroupIO, GroupIOInit, GroupMember, IOConfig, PullOffer } from "../../extension-api.ts";
import { hsmThreshold } from "./config.ts";

export class LustreHSMGroupIO implements GroupIO {
  group: GroupInfo;
  readonly config: IOConfig;
  readonly doPullSearch = false;
  readonly threshold: number;
  private pair: { smallfile: GroupMember; hsm: GroupMember } | null = null;

  constructor(init: GroupIOInit) {
    this.group = init.group;
    this.config = init.config;
    this.threshold = hsmThreshold(init.config);
  }
  setGroup(group: GroupInfo): void {
    this.group = group;
  }
  /** [small-file node, HSM node], or [] before a pair was accepted. */
  getMembers(): GroupMember[] {
    return this.pair ? [this.pair.smallfile, this.pair.hsm] : [];
  }
  setMembers(members: GroupMember[]): void {
    const g = this.group.name;
    if (members.length !== 2) throw new Error(`need exactly two nodes in StorageGroup group ${g} (have ${members.length})`);
    const [a, b] = members as [GroupMember, GroupMember];
    const isHsm = (m: GroupMember) => m.node.ioClass === "LustreHSM";
    if (isHsm(a) && isHsm(b)) throw new Error(`Can't use two LustreHSM nodes in StorageGroup ${g}`);
    if (isHsm(a)) this.pair = { hsm: a, smallfile: b };
    else if (isHsm(b)) this.pair = { hsm: b, smallfile: a };
    else throw new Error(`no LustreHSM node in StorageGroup ${g}`);
  }
  beforeUpdate(): boolean {
    return true;
  }
  idleUpdate(): void {}
  afterUpdate(): void {}
  async exists(rel: string): Promise<GroupMember | null> {
    if (!this.pair) return null;
    if (await this.pair.smallfile.io.exists(rel)) return this.pair.smallfile;
    if (await this.pair.hsm.io.exists(rel)) return this.pair.hsm;
    return null;
  }
  pullDestination(_rel: string, offer: PullOffer): GroupMember | null {
    if (!this.pair) return null;
    return offer.size <= this.threshold ? this.pair.smallfile : this.pair.hsm;
  }
}

export const lustreHSMGroupIO = (init: GroupIOInit): GroupIO => new LustreHSMGroupIO(init);
