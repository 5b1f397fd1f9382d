// An UpdateableGroup (alpenhorn/daemon/update.py: UpdateableGroup at 632dd41): a group row
// plus its I/O instance, offered this loop's local initialised member nodes. Its update
// queues the pulls of copy requests into the group (pull/queue.ts).

import type { StorageGroupRow } from "../../index/rows.ts";
import type { GroupIO, GroupMember } from "../extension-api.ts";
import { groupInfo } from "../io/node-info.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { queuePulls } from "../pull/queue.ts";
import { buildIO } from "./build-io.ts";
import type { LoopEnv } from "./node.ts";

export class UpdateableGroup {
  row: StorageGroupRow;
  io: GroupIO | null = null;
  fifo: FifoKey | null = null;
  private fullyInitialised = false;
  private idleAtStart = false;
  private doIdleUpdate = false;

  constructor(
    private readonly env: LoopEnv,
    row: StorageGroupRow,
    nodes: GroupMember[],
    idle: boolean,
  ) {
    this.row = row;
    this.reinit(row, nodes, idle, true);
  }

  get name(): string {
    return this.row.name;
  }

  reinit(row: StorageGroupRow, nodes: GroupMember[], idle: boolean, first = false): void {
    const { ctx } = this.env;
    this.idleAtStart = idle;
    const old = this.row;
    const rebuild = first || !this.io || old.id !== row.id || old.io_config !== row.io_config || old.io_class !== row.io_class;
    this.row = row;
    if (rebuild) {
      if (this.fullyInitialised) ctx.log.info(`I/O config change detected for StorageGroup "${row.name}": attempting re-init.`);
      this.stop();
      this.io = null;
      this.fifo = null;
      const cls = this.env.registry.groupClass(row.io_class, row.name);
      // alpenhorn crashes on an unknown group class; we skip the group this loop.
      const built = buildIO(ctx, "Group", row.name, cls, row.io_config, (factory, config, services) =>
        factory({ group: groupInfo(row), config, services }),
      );
      if (!built) return;
      this.io = built.io;
      this.fifo = built.fifo;
      this.fullyInitialised = true;
    } else this.io!.setGroup(groupInfo(row));
    try {
      this.io!.setMembers(nodes);
    } catch (err) {
      ctx.log.warning((err as Error).message);
    }
  }

  get idle(): boolean {
    const io = this.io;
    if (!io || !this.fifo) return false;
    if (this.env.ctx.queue.fifoSize(this.fifo) > 0) return false;
    const nodes = io.getMembers();
    return nodes.length > 0 && nodes.every((n) => n.idle);
  }

  async update(): Promise<void> {
    const { ctx } = this.env;
    this.doIdleUpdate = false;
    const io = this.io;
    if (!io || io.getMembers().length === 0) return;
    const doUpdate = await io.beforeUpdate(this.idleAtStart);
    if (this.idleAtStart && doUpdate) {
      ctx.log.info(`Updating group "${this.name}".`);
      ctx.metrics.inc("group_update", { name: this.name });
      await queuePulls(ctx, { id: Number(this.row.id), name: this.name }, io, this.env.localNode, this.fifo);
      this.doIdleUpdate = this.idle;
    } else ctx.log.info(`Skipping update for group ${this.name}: ${this.idleAtStart ? "cancelled" : "busy"}`);
  }

  async updateIdle(): Promise<void> {
    this.env.ctx.metrics.set("group_idle", this.doIdleUpdate ? 1 : 0, { name: this.name });
    if (this.doIdleUpdate) await this.io?.idleUpdate();
  }

  stop(): void {
    if (!this.fifo) return;
    const { pending, deferred } = this.env.ctx.queue.clearFifo(this.fifo, true);
    const n = pending + deferred;
    if (n > 0)
      this.env.ctx.log.info(
        `Discarded ${n} ${n === 1 ? "task" : "tasks"} (${pending} pending; ${deferred} deferred) while stopping StorageGroup "${this.name}".`,
      );
  }
}
