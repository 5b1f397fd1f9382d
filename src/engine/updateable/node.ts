// An UpdateableNode (alpenhorn/daemon/update.py: UpdateableNode at 632dd41): a node row plus
// its I/O instance and FIFO, re-checked each loop. It initialises the node on request, keeps
// free space current (with the update-skew check), runs the node update when idle and the
// idle-time work afterwards.

import { formatUtcMicros, parseUtc } from "../../common/time.ts";
import { prettyBytes, prettyDeltaT } from "../../common/format.ts";
import { nodeActive, updateAvailGb } from "../../index/queries/nodes.ts";
import { pendingInitRequest } from "../../index/queries/requests.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DaemonContext } from "../context.ts";
import type { FsService, GroupMember, NodeInfo, NodeIO } from "../extension-api.ts";
import { completeRequest } from "../import/complete.ts";
import { AutoVerifyWalk } from "../integrity/auto-verify.ts";
import { queueChecks } from "../integrity/check.ts";
import { queueDeletions } from "../integrity/delete.ts";
import { processImportRequests } from "../import/requests.ts";
import { readyOutboundPulls } from "../pull/ready.ts";
import type { NodeTarget } from "./target.ts";
import { nodeInfo } from "../io/node-info.ts";
import type { IORegistry } from "../io/registry.ts";
import type { FifoKey } from "../scheduler/queue.ts";
import { Task } from "../scheduler/task.ts";
import type { AutoImport } from "../watch/watcher.ts";
import { buildIO } from "./build-io.ts";
import type { Probes } from "./probe.ts";

export interface LoopEnv {
  readonly ctx: DaemonContext;
  readonly registry: IORegistry;
  readonly autoImport: AutoImport;
  readonly probes: Probes;
  /** This loop's local, initialised node with that id (a pull's destination). */
  readonly localNode: (id: number) => NodeTarget | undefined;
}

const GIB = 2 ** 30;
/** How far the stored check time may drift from what we wrote before it counts as skew. */
const SKEW_TOLERANCE_MS = 2000;
/** How long one loop waits for a node's availability probe before skipping the node. */
const PROBE_WAIT_S = 2;

export class UpdateableNode implements NodeTarget {
  row: StorageNodeRow;
  info: NodeInfo;
  io: NodeIO | null = null;
  fifo: FifoKey | null = null;
  /** The node's fs service (the daemon-wide one until an I/O instance exists). */
  fs: FsService;
  private fullyInitialised = false;
  private updated = false;
  private ioHappened = true;
  readonly pendingImports = new Set<string>();
  private lastWrittenCheck: string | null = null;
  private skewCount = 0;
  private readonly autoVerify = new AutoVerifyWalk();
  groupName = "";

  constructor(
    private readonly env: LoopEnv,
    row: StorageNodeRow,
  ) {
    this.row = row;
    this.info = nodeInfo(row);
    this.fs = env.ctx.fs;
    this.reinit(row, true);
  }

  get ctx(): DaemonContext {
    return this.env.ctx;
  }
  get name(): string {
    return this.row.name;
  }
  get where(): { node: string; group: string } {
    return { node: this.row.name, group: this.groupName };
  }

  /** This node as its group's I/O sees it (null without an I/O instance). */
  member(): GroupMember | null {
    const io = this.io;
    if (!io) return null;
    const self = this;
    return {
      // Read when asked: the Transport group sorts by the free space this loop's update measured.
      get node() {
        return self.info;
      },
      io,
      get idle() {
        return self.idle;
      },
    };
  }

  /** Take the loop's fresh row; rebuild the I/O instance when its identity or config changed. */
  reinit(row: StorageNodeRow, first = false): void {
    const old = this.row;
    const rebuild = first || !this.io || old.id !== row.id || old.io_config !== row.io_config || old.io_class !== row.io_class;
    this.row = row;
    this.info = nodeInfo(row);
    if (!rebuild) {
      this.io!.setNode(this.info);
      return;
    }
    const { ctx } = this.env;
    if (this.fullyInitialised) ctx.log.info(`I/O config change detected for StorageNode "${row.name}": attempting re-init.`);
    this.stop();
    this.io = null;
    this.fifo = null;
    const cls = this.env.registry.nodeClass(row.io_class, row.name);
    const info = this.info;
    const built = buildIO(ctx, "Node", row.name, cls, row.io_config, (factory, config, services) => factory({ node: info, config, services }));
    if (!built) return;
    this.io = built.io;
    this.fifo = built.fifo;
    this.fs = built.services.fs;
    this.fullyInitialised = true;
  }

  /** Nothing queued or in progress on this node's FIFO (deferred items don't count). */
  get idle(): boolean {
    return !this.fifo || this.ctx.queue.fifoSize(this.fifo) === 0;
  }

  /** Is the node usable this loop? Queues the init task when an init request is pending. */
  async checkInit(): Promise<boolean> {
    const { ctx } = this;
    if (!(await nodeActive(ctx.db, this.row.id))) {
      ctx.log.warning(`Ignoring node "${this.name}": deactivated during update.`);
      return false;
    }
    const io = this.io!;
    const probe = await this.env.probes.check(`${this.row.id}:${this.row.root}`, () => io.checkInit(), PROBE_WAIT_S);
    if (probe.state === "pending") {
      // A hung mount: the probe stays on its fs thread until it returns or times out.
      ctx.log.warning(`Ignoring node "${this.name}": not responding (node file check running for ${prettyDeltaT(probe.seconds)}).`);
      return false;
    }
    if (probe.state === "failed") {
      const why = probe.error.name === "FsTimeoutError" || probe.error.name === "FsBlockedError" ? "not responding" : probe.error.message;
      ctx.log.warning(`Ignoring node "${this.name}": ${why}.`);
      return false;
    }
    if (probe.ok) return true;
    const req = await pendingInitRequest(ctx.db, this.row.id);
    if (!req) {
      ctx.log.warning(`Ignoring node "${this.name}": not initialised.`);
      return false;
    }
    new Task({
      queue: ctx.queue,
      key: this.fifo!,
      name: `Init Node "${this.name}"`,
      log: ctx.log,
      body: async () => {
        if (await io.checkInit()) {
          ctx.log.info(`Node "${this.name}" already initialised.`);
          await completeRequest(ctx, req, "duplicate", this.where);
        } else if ((await io.init()) && (await io.checkInit())) {
          ctx.log.info(`Node "${this.name}" initialised.`);
          await completeRequest(ctx, req, "success", this.where);
        } else {
          ctx.log.warning(`Initialisation failed for node "${this.name}".`);
        }
      },
    });
    ctx.log.info(`Requesting init of node "${this.name}".`);
    return false;
  }

  /** The regular node update (alpenhorn/daemon/update.py: UpdateableNode.update). */
  async update(): Promise<void> {
    const { ctx } = this;
    const io = this.io!;
    const idle = this.idle;
    const doUpdate = await io.beforeUpdate(idle);
    await this.env.autoImport.update(this);
    await this.updateFreeSpace();
    if (ctx.stop.stopping) return;
    if (idle && doUpdate) {
      ctx.log.info(`Updating node "${this.name}".`);
      ctx.metrics.inc("node_update", { name: this.name });
      // a) checks, b) deletions, c) import requests, d) outbound pulls readied.
      await queueChecks(this);
      await queueDeletions(this);
      await processImportRequests(this);
      await readyOutboundPulls(this);
      this.updated = true;
    } else {
      ctx.log.info(`Skipping update for node ${this.name}: ${idle ? "cancelled" : "busy"}`);
      this.updated = false;
    }
  }

  /**
   * Free space, and the update-skew check (later than 632dd41: 7449763): if the stored check
   * time keeps differing from what we wrote, another daemon is updating this node too.
   */
  private async updateFreeSpace(): Promise<void> {
    const { ctx } = this;
    const threshold = ctx.config.int("daemon.update_skew_threshold", { default: 4, min: 0 });
    if (threshold > 0 && this.lastWrittenCheck !== null) {
      const stored = parseUtc(this.row.avail_gb_last_checked)?.getTime();
      const mine = parseUtc(this.lastWrittenCheck)!.getTime();
      if (stored === undefined || Math.abs(stored - mine) > SKEW_TOLERANCE_MS) this.skewCount++;
      else this.skewCount = 0;
      if (this.skewCount >= threshold) {
        ctx.log.error(`FATAL: Multiple simultaneous updates of node "${this.name}"!`);
        ctx.stop.abort();
        return;
      }
    }
    const bytes = await this.io!.bytesAvail(false);
    // 0–9 s of jitter makes two daemons' writes distinguishable.
    const checked = formatUtcMicros(BigInt(Date.now() + Math.floor(Math.random() * 10_000)) * 1000n);
    let avail = this.row.avail_gb;
    if (bytes === null) {
      if (avail !== null) ctx.log.warning(`Unable to determine available space for "${this.name}".`);
    } else avail = bytes / GIB;
    await updateAvailGb(ctx.db, this.row.id, bytes === null ? null : avail, checked);
    // This loop's pull checks (min_avail_gb) see the space just measured, as alpenhorn's do.
    if (bytes !== null) {
      this.row = { ...this.row, avail_gb: avail };
      this.info = nodeInfo(this.row);
    }
    this.lastWrittenCheck = checked;
    if (avail !== null) ctx.log.info(`Node ${this.name}: ${prettyBytes(avail * GIB)} available.`);
  }

  /** Idle-time work after an update, then an auto-verify step (alpenhorn/daemon/update.py: UpdateableNode.update_idle). */
  async updateIdle(): Promise<void> {
    const idle = this.idle;
    this.ctx.metrics.set("node_idle", idle ? 1 : 0, { name: this.name });
    if (this.updated && idle && this.io) {
      await this.io.idleUpdate(this.ioHappened);
      this.ioHappened = false;
      const n = Number(this.row.auto_verify ?? 0);
      if (n > 0) await this.autoVerify.step(this, n);
    }
  }

  /** Mark that this loop's update did I/O (the next idle update is "newly idle"). */
  markIOHappened(): void {
    this.ioHappened = true;
  }

  /** Stop auto-import and discard this instance's queued work (in-progress work continues). */
  stop(): void {
    const io = this.io;
    const fifo = this.fifo;
    if (!io || !fifo) return;
    void this.env.autoImport.update(this, true);
    io.stop?.();
    const { pending, deferred } = this.ctx.queue.clearFifo(fifo, true);
    const n = pending + deferred;
    if (n > 0)
      this.ctx.log.info(
        `Discarded ${n} ${n === 1 ? "task" : "tasks"} (${pending} pending; ${deferred} deferred) while stopping StorageNode "${this.name}".`,
      );
  }
}
