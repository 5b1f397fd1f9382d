// An UpdateableGroup (spec §2.7): a group row plus its I/O instance, offered this loop's
// local initialised member nodes. The pull work of a group update belongs to the transfer issue.

import type { StorageGroupRow } from "../../index/rows.ts";
import type { GroupIO } from "../io/types.ts";
import { buildIO } from "./build-io.ts";
import type { LoopEnv, UpdateableNode } from "./node.ts";

export class UpdateableGroup {
  row: StorageGroupRow;
  io: GroupIO | null = null;
  private fullyInitialised = false;
  private idleAtStart = false;
  private doIdleUpdate = false;

  constructor(
    private readonly env: LoopEnv,
    row: StorageGroupRow,
    nodes: UpdateableNode[],
    idle: boolean,
  ) {
    this.row = row;
    this.reinit(row, nodes, idle, true);
  }

  get name(): string {
    return this.row.name;
  }

  reinit(row: StorageGroupRow, nodes: UpdateableNode[], idle: boolean, first = false): void {
    const { ctx } = this.env;
    this.idleAtStart = idle;
    const old = this.row;
    const rebuild = first || !this.io || old.id !== row.id || old.io_config !== row.io_config || old.io_class !== row.io_class;
    this.row = row;
    if (rebuild) {
      if (this.fullyInitialised) ctx.log.info(`I/O config change detected for StorageGroup "${row.name}": attempting re-init.`);
      this.stop();
      this.io = null;
      const cls = this.env.registry.groupClass(row.io_class, row.name);
      // alpenhorn crashes on an unknown group class (§11.2 item 2); we skip the group this loop.
      this.io = buildIO(ctx, "Group", row.name, cls, row.io_config, (factory, config, fifo) => factory({ group: row, config, fifo, ctx }));
      if (!this.io) return;
      this.fullyInitialised = true;
    } else this.io!.setStorage(row);
    try {
      this.io!.setNodes(nodes);
    } catch (err) {
      ctx.log.warning((err as Error).message);
    }
  }

  get idle(): boolean {
    const io = this.io;
    if (!io) return false;
    if (this.env.ctx.queue.fifoSize(io.fifo) > 0) return false;
    const nodes = io.getNodes();
    return nodes.length > 0 && nodes.every((n) => n.idle);
  }

  async update(): Promise<void> {
    const { ctx } = this.env;
    this.doIdleUpdate = false;
    const io = this.io;
    if (!io || io.getNodes().length === 0) return;
    const doUpdate = await io.beforeUpdate(this.idleAtStart);
    if (this.idleAtStart && doUpdate) {
      ctx.log.info(`Updating group "${this.name}".`);
      ctx.metrics.inc("group_update", { name: this.name });
      // Copy requests into this group (pulls) are handled by the transfer issue.
      this.doIdleUpdate = this.idle;
    } else ctx.log.info(`Skipping update for group ${this.name}: ${this.idleAtStart ? "cancelled" : "busy"}`);
  }

  async updateIdle(): Promise<void> {
    this.env.ctx.metrics.set("group_idle", this.doIdleUpdate ? 1 : 0, { name: this.name });
    if (this.doIdleUpdate) await this.io?.idleUpdate();
  }

  stop(): void {
    const io = this.io;
    if (!io) return;
    const { pending, deferred } = this.env.ctx.queue.clearFifo(io.fifo, true);
    const n = pending + deferred;
    if (n > 0)
      this.env.ctx.log.info(
        `Discarded ${n} ${n === 1 ? "task" : "tasks"} (${pending} pending; ${deferred} deferred) while stopping StorageGroup "${this.name}".`,
      );
  }
}
