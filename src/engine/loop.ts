// One pass of the main update loop (alpenhorn/daemon/update.py: update_loop at 632dd41): reconcile this host's active nodes and their
// groups, update nodes then groups, idle updates, after-update hooks, pool check, serial I/O,
// then the two summary log lines.

import { prettyDeltaT } from "../common/format.ts";
import { CliError } from "../common/errors.ts";
import { hostRecordMissing } from "../index/queries/hosts.ts";
import { activeNodesOnHost } from "../index/queries/nodes.ts";
import { groupsByIds } from "../index/queries/groups.ts";
import type { StorageGroupRow } from "../index/rows.ts";
import type { DaemonContext } from "./context.ts";
import type { GroupMember } from "./extension-api.ts";
import { IORegistry } from "./io/registry.ts";
import { serialIO, type Pool } from "./scheduler/pool.ts";
import { UpdateableGroup } from "./updateable/group.ts";
import { UpdateableNode, type LoopEnv } from "./updateable/node.ts";
import { Probes } from "./updateable/probe.ts";
import { AutoImport, type Subscribe } from "./watch/watcher.ts";

export class UpdateLoop {
  private readonly nodes = new Map<string, UpdateableNode>();
  private readonly groups = new Map<string, UpdateableGroup>();
  readonly env: LoopEnv;

  constructor(
    readonly ctx: DaemonContext,
    readonly pool: Pool,
    subscribe?: Subscribe,
  ) {
    this.env = { ctx, registry: new IORegistry(ctx.extensions), autoImport: new AutoImport(ctx, subscribe), probes: new Probes(),
      localNode: (id) => [...this.nodes.values()].find((n) => Number(n.row.id) === id),
    };
  }

  /** Run one iteration; returns its duration in seconds. */
  async iterate(): Promise<number> {
    const { ctx } = this;
    const start = performance.now();
    // On upstream main's layout the daemon's host must have a record, looked up every pass as
    // main does (its daemon ends with this error).
    if (await hostRecordMissing(ctx.db, ctx.host)) throw new CliError(`No host record for this host (${ctx.host}).`);
    const rows = await activeNodesOnHost(ctx.db, ctx.host);
    if (rows.length === 0) ctx.log.warning(`No active nodes on host (${ctx.host})!`);
    const byName = new Map(rows.map((r) => [r.name, r]));

    for (const [name, node] of [...this.nodes]) {
      if (byName.has(name)) continue;
      ctx.log.info(`Node "${name}" no longer available.`);
      node.stop();
      ctx.metrics.set("node_available", 0, { name });
      ctx.metrics.remove("node_idle", { name });
      this.nodes.delete(name);
    }

    const groupRows = await groupsByIds(ctx.db, [...new Set(rows.map((r) => r.group_id))]);
    const candidates = new Map<string, { row: StorageGroupRow; nodes: GroupMember[]; idle: boolean }>();
    // Known nodes keep their order; new ones follow in query order.
    const order = [...this.nodes.keys(), ...rows.map((r) => r.name).filter((n) => !this.nodes.has(n))];
    for (const name of order) {
      if (ctx.stop.stopping) break;
      const row = byName.get(name)!;
      let node = this.nodes.get(name);
      if (node) node.reinit(row);
      else {
        ctx.log.info(`Node "${name}" now available.`);
        ctx.metrics.set("node_available", 1, { name });
        node = new UpdateableNode(this.env, row);
        this.nodes.set(name, node);
      }
      const member = node.member();
      if (!member) {
        this.nodes.delete(name);
        continue;
      }
      if (!(await node.checkInit())) {
        // Forget it (a fresh instance next loop), but keep its FIFO: an init task may be queued.
        await this.env.autoImport.update(node, true);
        this.nodes.delete(name);
        continue;
      }
      const grow = groupRows.get(row.group_id);
      if (!grow) continue;
      node.groupName = grow.name;
      const c = candidates.get(grow.name) ?? { row: grow, nodes: [], idle: true };
      c.nodes.push(member);
      c.idle &&= node.idle;
      candidates.set(grow.name, c);
    }

    for (const [name, group] of [...this.groups]) {
      if (candidates.has(name)) continue;
      ctx.log.info(`Group "${name}" no longer available.`);
      group.stop();
      ctx.metrics.set("group_available", 0, { name });
      this.groups.delete(name);
    }
    for (const [name, c] of candidates) {
      const group = this.groups.get(name);
      if (group) group.reinit(c.row, c.nodes, c.idle);
      else {
        ctx.log.info(`Group "${name}" now available.`);
        ctx.metrics.set("group_available", 1, { name });
        this.groups.set(name, new UpdateableGroup(this.env, c.row, c.nodes, c.idle));
      }
    }

    const nodes = [...this.nodes.values()];
    const groups = [...this.groups.values()].filter((g) => g.io);
    for (const n of nodes) if (!ctx.stop.stopping) await n.update();
    for (const g of groups) if (!ctx.stop.stopping) await g.update();
    for (const n of nodes) await n.updateIdle();
    for (const g of groups) {
      await g.updateIdle();
      await g.io!.afterUpdate();
    }
    for (const n of nodes) await n.io?.afterUpdate();

    this.pool.check();
    if (this.pool.size === 0) await serialIO(ctx, ctx.config.int("daemon.serial_io_timeout", { default: 900, min: 0 }));

    const seconds = (performance.now() - start) / 1000;
    ctx.log.info(`Main loop execution was ${prettyDeltaT(seconds)}.`);
    ctx.metrics.set("main_loop_time_seconds", seconds);
    ctx.metrics.inc("main_loops");
    this.logTasks();
    return seconds;
  }

  logTasks(): void {
    const q = this.ctx.queue;
    this.ctx.log.info(`Tasks: ${q.qsize} queued, ${q.deferredSize} deferred, ${q.inprogressSize} in-progress on ${this.pool.size} workers`);
  }

  /** Stop watchers and discard queued work of every node and group. */
  async stopAll(): Promise<void> {
    await this.env.autoImport.stopAll();
  }
}
