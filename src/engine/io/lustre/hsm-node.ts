// LustreHSM node I/O (alpenhorn/io/lustrehsm.py: LustreHSMNodeIO at 632dd41): a Lustre
// directory whose files the HSM copies to tape and may "release" from disk. The node keeps
// each copy's `ready` flag equal to "its bytes are on disk": it releases the least recently
// used copies when the disk's free space falls under `headroom`, restores a file before
// checking it or before another node pulls it, and, when idle, compares the flags of a few
// copies at a time with what `lfs hsm_state` says. Everything else is the Default I/O (with
// free space from the Lustre quota).
//
// Per-file restore bookkeeping is keyed by the copy's path (one file per path on a node).

import { isAbsolute, join, normalize } from "node:path";
import { prettyBytes, prettyDeltaT } from "../../../common/format.ts";
import type { CheckOutcome, CopyInfo, CopyWalk, NodeIO, NodeIOInit } from "../../extension-api.ts";
import { hsmSettings, type HsmSettings } from "./config.ts";
import { HSMState } from "./lfs.ts";
import { LustreQuotaNodeIO } from "./quota.ts";

type Expected = { readonly size: number | null; readonly md5: string | null };
type CopyRef = { readonly id: number; readonly fileId: number };

/** true: keep waiting; false: on disk; null: give up. */
type RestoreWait = boolean | null;

export class LustreHSMNodeIO extends LustreQuotaNodeIO {
  readonly hsm: HsmSettings;
  /** Paths being restored → when the restore was first seen (monotonic seconds). */
  private readonly restoring = new Map<string, number>();
  private walk: CopyWalk | null = null;

  constructor(init: NodeIOInit) {
    super(init);
    this.hsm = hsmSettings(init.config, init.node.name);
  }

  /** root/path (an absolute path stays as it is), as lfs is given it. */
  private full(path: string): string {
    return isAbsolute(path) ? normalize(path) : join(this.root, path);
  }
  /** Inside the node root (lexically: lfs reports on the path itself). */
  private inside(full: string): boolean {
    const root = normalize(this.root).replace(/\/+$/, "");
    return full.startsWith(`${root}/`);
  }

  /** Restores in progress (paths relative to the root), for tests and metrics. */
  get restoresInProgress(): string[] {
    return [...this.restoring.keys()];
  }

  override async checkInit(): Promise<boolean> {
    // No ALPENHORN_NODE file on tape: an HSM node is always initialised.
    return true;
  }
  override async init(): Promise<boolean> {
    return true;
  }

  override async exists(rel: string): Promise<boolean> {
    const p = this.full(rel);
    if (!this.inside(p)) return false;
    // An unknown state counts as present: a failing lfs must never mark copies lost.
    return (await this.lfs.hsmState(p)) !== HSMState.Missing;
  }

  override async readyPath(path: string): Promise<boolean> {
    const p = this.full(path);
    const state = await this.lfs.hsmState(p);
    if (state === HSMState.Released) await this.lfs.hsmRestore(p, state);
    return state === HSMState.Restored || state === HSMState.Unarchived;
  }

  /** One look at a restore of `rel` (alpenhorn: _restore_wait), asking for it when needed. */
  private async restoreWait(rel: string): Promise<RestoreWait> {
    const { log, clock } = this.services;
    const p = this.full(rel);
    const state = await this.lfs.hsmState(p);
    if (state === null || state === HSMState.Missing) {
      log.warning(`Unable to restore ${p}: ${state === null ? "state check failed" : "missing"}.`);
      this.restoring.delete(rel);
      return null;
    }
    if (state === HSMState.Restoring) {
      if (!this.restoring.has(rel)) this.restoring.set(rel, clock.monotonic());
      log.debug(`Restore in progress: ${p}`);
      return true;
    }
    if (state !== HSMState.Released) {
      const start = this.restoring.get(rel);
      if (start === undefined) log.debug(`Already restored: ${p}`);
      else {
        log.info(`${rel} restored on node ${this.node.name} after ${prettyDeltaT(clock.monotonic() - start)}`);
        this.restoring.delete(rel);
      }
      return false;
    }
    if (!this.restoring.has(rel)) this.restoring.set(rel, clock.monotonic());
    const asked = await this.lfs.hsmRestore(p, state);
    if (asked === false) {
      log.warning(`Restore request failed: ${p}`);
      this.restoring.delete(rel);
      return null;
    }
    // Unknown (timeout): it may have worked; look again later.
    if (asked === null) log.warning(`Restore request timeout: ${p}`);
    return true;
  }

  /** Release copies, oldest first, until the disk has `headroom` free (alpenhorn: release_files). */
  releaseFiles(): void {
    const { log } = this.services;
    const avail = this.node.availGb;
    if (avail === null) {
      log.debug("Skipping release_files: free space unknown.");
      return;
    }
    // The free space the previous update measured.
    const needed = this.hsm.headroom - Math.trunc(avail * 2 ** 30);
    if (needed <= 0) return;
    this.services.tasks.queue({ name: `Node ${this.node.name}: HSM release ${prettyBytes(needed)}`, body: () => this.release(needed) });
  }

  private async release(needed: number): Promise<void> {
    const { log, index, stopping } = this.services;
    const node = this.node;
    let files = 0;
    let bytes = 0;
    walk: for await (const batch of index.readyCopiesByAge(node.id)) {
      for (const copy of batch) {
        if (stopping.aborted) break walk;
        const p = this.full(copy.rel);
        // Only a file both on disk and on tape can be released.
        const state = await this.lfs.hsmState(p);
        if (state !== HSMState.Restored) continue;
        log.debug(`releasing file copy ${p} [=${prettyBytes(copy.size)}] on node ${node.name}`);
        // alpenhorn counted the copy released whatever lfs answered; a failed release leaves it
        // on disk, so it stays ready here (and is not counted).
        if (!(await this.lfs.hsmRelease(p, state))) continue;
        await index.setCopyReady(copy.id, false);
        files++;
        bytes += copy.size ?? 0;
        if (bytes >= needed) break walk;
      }
    }
    log.info(`Released ${prettyBytes(bytes)} in ${files} ${files === 1 ? "file" : "files"} on node ${node.name}`);
  }

  override beforeUpdate(idle: boolean): boolean {
    if (idle) this.releaseFiles();
    return true;
  }

  /** The Default tidy-up, then the HSM state of the next few copies (alpenhorn: idle_update). */
  override async idleUpdate(newlyIdle: boolean): Promise<void> {
    super.idleUpdate(newlyIdle);
    this.walk ??= this.services.index.presentCopyWalk(this.node.id);
    const copies = await this.walk.next(this.hsm.releaseCheckCount);
    if (copies.length === 0) {
      this.walk = null;
      return;
    }
    this.services.tasks.queue({ name: `Node ${this.node.name}: HSM state check of ${copies.length} files`, body: () => this.stateCheck(copies) });
  }

  /** Bring the index's has_file/ready of `copies` in line with the storage. */
  private async stateCheck(copies: readonly CopyInfo[]): Promise<void> {
    const { log, index } = this.services;
    const name = this.node.name;
    for (const copy of copies) {
      const state = await this.lfs.hsmState(this.full(copy.rel));
      if (state === null) log.warning(`Unable to determine state for ${copy.rel} on node ${name}.`);
      else if (state === HSMState.Missing) {
        log.warning(`File copy ${copy.rel} on node ${name} is missing!`);
        await index.markCopyGone(copy.id);
      } else if (state === HSMState.Released || state === HSMState.Restoring) {
        if (copy.ready) {
          log.info(`Updating file copy ${copy.rel}: ready -> False`);
          await index.setCopyReady(copy.id, false);
        }
      } else if (!copy.ready) {
        log.info(`Updating file copy ${copy.rel}: ready -> True`);
        await index.setCopyReady(copy.id, true);
      }
    }
  }

  /**
   * Restore the file if released (the daemon's check task waits `restore_wait` seconds between
   * looks), check it as the Default I/O does, then release it again if the index says it is not
   * ready, so checks of released files do not fill the disk.
   */
  override async check(rel: string, expected: Expected, copy?: CopyRef): Promise<CheckOutcome> {
    if (this.restoring.has(rel)) {
      // Another task is restoring it (a check, or a ready for a pull) and will look again.
      this.services.log.debug(`Skipping check of ${this.full(rel)}: restore in progress.`);
      return { result: "retry", why: "restore in progress" };
    }
    if (!(await this.exists(rel))) return { result: "missing" };
    return this.checkRestored(rel, expected, copy, await this.restoreWait(rel));
  }

  private async checkRestored(rel: string, expected: Expected, copy: CopyRef | undefined, wait: RestoreWait): Promise<CheckOutcome> {
    if (wait === true)
      return { result: "wait", seconds: this.hsm.restoreWait, resume: async () => this.checkRestored(rel, expected, copy, await this.restoreWait(rel)) };
    const p = this.full(rel);
    if (wait === null) {
      this.services.log.debug(`Aborting check of ${p} after failed restore.`);
      return { result: "retry", why: "restore failed" };
    }
    const outcome = await super.check(rel, expected);
    const row = copy ? await this.services.index.copyOfFile(this.node.id, copy.fileId) : null;
    if (row && !row.ready) await this.lfs.hsmRelease(p);
    return outcome;
  }

  /** Another node wants this file: restore it and mark the copy ready (alpenhorn: ready_pull). */
  readyPull(pull: { readonly rel: string; readonly fileId: number }): void {
    const { rel, fileId } = pull;
    const name = this.node.name;
    if (this.restoring.has(rel)) {
      this.services.log.debug(`Skipping ready of ${rel} on node ${name}: restore in progress.`);
      return;
    }
    this.services.tasks.queue({ name: `Ready file ${rel} on node ${name}`, body: () => this.ready(rel, fileId) });
  }

  private async *ready(rel: string, fileId: number): AsyncGenerator<number, void, void> {
    const { index, log } = this.services;
    const copy = await index.copyOfFile(this.node.id, fileId);
    if (!copy) return;
    let wait = await this.restoreWait(rel);
    while (wait === true) {
      yield this.hsm.restoreWait;
      wait = await this.restoreWait(rel);
    }
    // A failed restore leaves the file not ready.
    const ready = wait === false;
    if (copy.ready !== ready) {
      await index.setCopyReady(copy.id, ready);
      log.info(`File copy ${rel} on node ${this.node.name} now ${ready ? "restored" : "released"}`);
    }
  }
}

export const lustreHSMNodeIO = (init: NodeIOInit): NodeIO => new LustreHSMNodeIO(init);
