// DefaultNodeIO (spec §4.4): a node on a local POSIX filesystem. Initialisation is the
// ALPENHORN_NODE file at the root; free space from statfs; the tidy-up task is queued on the
// first newly-idle update and then every 400th.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import type { StorageNodeRow } from "../../../index/rows.ts";
import type { DaemonContext } from "../../context.ts";
import { FileChangedError, md5File } from "../../fs/md5.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { bytesAvailable } from "../../fs/statfs.ts";
import { confinedPath } from "../../fs/paths.ts";
import { walkFiles } from "../../fs/walk.ts";
import { Task } from "../../scheduler/task.ts";
import type { IOConfig, NodeIO, NodeIOInit } from "../types.ts";
import { tidyUp } from "./tidy.ts";

/** Newly-idle updates between two tidy-up tasks. */
const TIDY_PERIOD = 400;

export class DefaultNodeIO implements NodeIO {
  node: StorageNodeRow;
  readonly config: IOConfig;
  readonly fifo: string;
  readonly observer = "native" as const;
  protected readonly ctx: DaemonContext;
  private tidyCountdown = 0;

  constructor(init: NodeIOInit) {
    this.node = init.node;
    this.config = init.config;
    this.fifo = init.fifo;
    this.ctx = init.ctx;
  }

  get root(): string {
    return this.node.root ?? "";
  }
  /** Absolute path of `path`; throws OutsideRootError when it leaves the root. */
  private abs(path: string): string {
    return confinedPath(this.root, path);
  }

  setStorage(row: StorageNodeRow): void {
    this.node = row;
  }
  beforeUpdate(): boolean {
    return true;
  }
  afterUpdate(): void {}

  idleUpdate(newlyIdle: boolean): void {
    if (!newlyIdle) return;
    if (this.tidyCountdown > 1) {
      this.tidyCountdown--;
      return;
    }
    this.tidyCountdown = TIDY_PERIOD;
    const name = this.node.name;
    new Task({
      queue: this.ctx.queue,
      key: this.fifo,
      name: `Tidy up ${name}`,
      exclusive: true,
      log: this.ctx.log,
      body: () => tidyUp(this.ctx, this.node),
    });
  }

  bytesAvail(): number | null {
    return bytesAvailable(this.root);
  }

  checkInit(): boolean {
    const file = join(this.root, "ALPENHORN_NODE");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      this.ctx.log.warning(`Node file "${file}" could not be read.`);
      return false;
    }
    if ((text.split("\n")[0] ?? "").trimEnd() !== this.node.name) {
      this.ctx.log.warning(`Node name in file "${file}" does not match expected: ${this.node.name}.`);
      return false;
    }
    return true;
  }

  init(): boolean {
    if (this.checkInit()) return true;
    try {
      writeFileSync(join(this.root, "ALPENHORN_NODE"), `${this.node.name}\n`);
    } catch (err) {
      this.ctx.log.warning(`Node initialistion failed: ${pyOSError(err)}`);
      return false;
    }
    return true;
  }

  exists(rel: string): boolean {
    try {
      // Outside the root counts as absent.
      return statSync(this.abs(rel)).isFile();
    } catch {
      return false;
    }
  }

  filesize(path: string): number {
    return statSync(this.abs(path)).size;
  }

  storageUsed(path: string): number | null {
    return statSync(this.abs(path)).blocks * 512;
  }

  fileWalk(rel: string): Iterable<string> {
    if (isAbsolute(rel)) throw new Error(`path must be relative: ${rel}`);
    return walkFiles(this.abs(rel), this.root);
  }

  locked(path: string): boolean {
    const p = this.abs(path);
    return existsSync(join(dirname(p), `.${basename(p)}.lock`));
  }

  async md5(path: string, signal?: AbortSignal): Promise<string | null> {
    let p: string;
    try {
      p = this.abs(path);
    } catch (err) {
      this.ctx.log.warning(`MD5 sum check for ${path} failed: ${(err as Error).message}.`);
      return null;
    }
    const metrics = this.ctx.metrics;
    metrics.add("hash_running_count", 1);
    try {
      return await md5File(p, signal);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (err instanceof FileChangedError) this.ctx.log.warning(`MD5 sum check for ${p} failed: file changed while reading.`);
      else if (code === "ENOENT") this.ctx.log.warning(`MD5 sum check for ${p} failed: file not found.`);
      else if (code === "EACCES" || code === "EPERM") this.ctx.log.warning(`MD5 sum check for ${p} failed: permission error.`);
      else throw err;
      return null;
    } finally {
      metrics.add("hash_running_count", -1);
    }
  }

  readyPath(): boolean {
    return true;
  }
}

export const defaultNodeIO = (init: NodeIOInit): NodeIO => new DefaultNodeIO(init);
