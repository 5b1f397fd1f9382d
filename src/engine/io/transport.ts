// The Transport group I/O (alpenhorn/io/transport.py: TransportGroupIO at 632dd41): a group of
// any number of transport nodes (storage_type T), e.g. removable disks carried between sites.
// Pulls into it go to the fullest node the file fits on, so disks fill one after another, and
// only from sources on this host: a transport disk is filled where it is plugged in. Its pulls
// go through the pre-pull search (pull/search.ts), since a disk may come back holding files
// the index has forgotten.

import type { GroupInfo, GroupIO, GroupIOInit, GroupMember, IOConfig, IOLog, PullOffer } from "../extension-api.ts";

export class TransportGroupIO implements GroupIO {
  group: GroupInfo;
  readonly config: IOConfig;
  readonly doPullSearch = true;
  private readonly log: IOLog;
  /** Upstream main's wording for a refused member (only archive nodes are refused there). */
  private readonly mainLayout: boolean;
  private members: GroupMember[] = [];

  constructor(init: GroupIOInit) {
    this.group = init.group;
    this.config = init.config;
    this.log = init.services.log;
    this.mainLayout = init.services.tableLayout === "main";
  }
  setGroup(group: GroupInfo): void {
    this.group = group;
  }

  /**
   * Fullest first: ascending free space as the index last recorded it. A node whose free space
   * is unknown sorts as id × 1e9 GiB, i.e. after every real disk, in a stable order.
   */
  getMembers(): GroupMember[] {
    const key = (m: GroupMember) => m.node.availGb ?? m.node.id * 1e9;
    return [...this.members].sort((a, b) => key(a) - key(b));
  }

  /** Keeps the transport nodes; none left empties the list (unlike Default, which keeps its old node). */
  setMembers(members: GroupMember[]): void {
    this.members = [];
    for (const m of members) {
      if (m.node.transport) this.members.push(m);
      else if (this.mainLayout) this.log.warning(`Ignoring archive node "${m.node.name}" in Transport Group "${this.group.name}"`);
      else this.log.warning(`Ignoring non-transport node "${m.node.name}" in Transport Group "${this.group.name}"`);
    }
    if (this.members.length === 0) throw new Error(`no usable nodes (${members.length} unusable) in Transport group ${this.group.name}`);
  }

  beforeUpdate(): boolean {
    return true;
  }
  idleUpdate(): void {}
  afterUpdate(): void {}

  /** The first member, in fill order, holding `rel`. */
  async exists(rel: string): Promise<GroupMember | null> {
    for (const m of this.getMembers()) if (await m.io.exists(rel)) return m;
    return null;
  }

  /** The fullest member that may take new files and has room for this one; local sources only. */
  async pullDestination(rel: string, offer: PullOffer): Promise<GroupMember | null> {
    if (!offer.local) {
      this.log.info(`Skipping pull of ${rel} from node ${offer.source.name} to group ${this.group.name}: non-local transfer request.`);
      return null;
    }
    for (const m of this.getMembers()) {
      if (!(await offer.destinationOk(m, `Ignoring transport node ${m.node.name}`, "debug"))) continue;
      if (!(await offer.fits(m))) {
        this.log.debug(`Ignoring transport node ${m.node.name}: not enough space`);
        continue;
      }
      return m;
    }
    this.log.debug(`Unable to find a transport node for "${rel}"`);
    return null;
  }
}

export const transportGroupIO = (init: GroupIOInit): GroupIO => new TransportGroupIO(init);
