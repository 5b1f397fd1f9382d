// DefaultGroupIO (spec §4.4): a group of exactly one active local node. A rejected node list
// keeps the previously accepted node, as alpenhorn does (§11.2 item 20).

import type { StorageGroupRow } from "../../../index/rows.ts";
import type { UpdateableNode } from "../../updateable/node.ts";
import type { GroupIO, GroupIOInit, IOConfig } from "../types.ts";

export class DefaultGroupIO implements GroupIO {
  group: StorageGroupRow;
  readonly config: IOConfig;
  readonly fifo: string;
  readonly doPullSearch = false;
  private node: UpdateableNode | null = null;

  constructor(init: GroupIOInit) {
    this.group = init.group;
    this.config = init.config;
    this.fifo = init.fifo;
  }
  setStorage(row: StorageGroupRow): void {
    this.group = row;
  }
  getNodes(): UpdateableNode[] {
    return this.node ? [this.node] : [];
  }
  setNodes(nodes: UpdateableNode[]): void {
    if (nodes.length !== 1) throw new Error(`Too many active nodes in group ${this.group.name}.`);
    this.node = nodes[0]!;
  }
  beforeUpdate(): boolean {
    return true;
  }
  idleUpdate(): void {}
  afterUpdate(): void {}
  exists(rel: string): UpdateableNode | null {
    return this.node && this.node.io?.exists(rel) ? this.node : null;
  }
}

export const defaultGroupIO = (init: GroupIOInit): GroupIO => new DefaultGroupIO(init);
