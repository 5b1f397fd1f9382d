// The Default group I/O (alpenhorn/io/default/group.py: DefaultGroupIO at 632dd41): a group of
// exactly one active local node. A rejected member list keeps the previously accepted node,
// as alpenhorn does.

import type { GroupInfo, GroupIO, GroupIOInit, GroupMember, IOConfig } from "../../extension-api.ts";

export class DefaultGroupIO implements GroupIO {
  group: GroupInfo;
  readonly config: IOConfig;
  readonly doPullSearch = false;
  private member: GroupMember | null = null;

  constructor(init: GroupIOInit) {
    this.group = init.group;
    this.config = init.config;
  }
  setGroup(group: GroupInfo): void {
    this.group = group;
  }
  getMembers(): GroupMember[] {
    return this.member ? [this.member] : [];
  }
  setMembers(members: GroupMember[]): void {
    if (members.length !== 1) throw new Error(`Too many active nodes in group ${this.group.name}.`);
    this.member = members[0]!;
  }
  beforeUpdate(): boolean {
    return true;
  }
  idleUpdate(): void {}
  afterUpdate(): void {}
  async exists(rel: string): Promise<GroupMember | null> {
    return this.member && (await this.member.io.exists(rel)) ? this.member : null;
  }
}

export const defaultGroupIO = (init: GroupIOInit): GroupIO => new DefaultGroupIO(init);
