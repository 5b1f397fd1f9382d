// The Default node I/O (alpenhorn/io/default/node.py: DefaultNodeIO at 632dd41): a node on a local
// POSIX filesystem. Initialisation is the ALPENHORN_NODE file at the root; free space from
// statfs; the tidy-up task is queued on the first newly-idle update and then every 400th.
// Every filesystem call goes through services.fs: off the event loop, with a timeout.

import { basename, dirname, isAbsolute, join } from "node:path";
import type { CheckOutcome, CopyFacts, FsImportFact, ImportFact, ImportItem, IOConfig, IOServices, NodeInfo, NodeIO, NodeIOInit, PruneFact, PullJob, PullOutcome, RemoveFact, StatInfo } from "../../extension-api.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { pullBatchInto, pullInto } from "./pull.ts";
import { tidyUp } from "./tidy.ts";
import { walkFiles } from "../../fs/walk.ts";

/** Newly-idle updates between two tidy-up tasks. */
const TIDY_PERIOD = 400;

/** The storage did not answer in time (or an earlier call on it still hangs). */
const isTimeout = (err: unknown) => ["FsTimeoutError", "FsBlockedError"].includes((err as Error)?.name);

export class DefaultNodeIO implements NodeIO {
  node: NodeInfo;
  readonly config: IOConfig;
  readonly observer: "native" | "polling" | null = "native";
  protected readonly services: IOServices;
  private tidyCountdown = 0;

  constructor(init: NodeIOInit) {
    this.node = init.node;
    this.config = init.config;
    this.services = init.services;
  }

  // Batched checks and pulls, offered only while `check` and `pull` are the Default ones: a
  // subclass or an extension that redefines either (on the instance too) would be bypassed.
  get checkBatch(): NodeIO["checkBatch"] {
    return this.check === DefaultNodeIO.prototype.check ? (items) => this.checkMany(items) : undefined;
  }
  get pullBatch(): NodeIO["pullBatch"] {
    return this.pull === DefaultNodeIO.prototype.pull ? (jobs) => pullBatchInto(this.services, this.node, jobs) : undefined;
  }

  // Batched imports, offered only while the import's three hooks are the Default ones (the
  // batch does their work on the fs threads itself).
  get importBatch(): NodeIO["importBatch"] {
    const P = DefaultNodeIO.prototype;
    return this.readyPath === P.readyPath && this.locked === P.locked && this.md5 === P.md5 ? (items, cap) => this.importMany(items, cap) : undefined;
  }

  get root(): string {
    return this.node.root;
  }
  /** Absolute path of `path` inside the root, or null when it leaves the root. */
  private abs(path: string): Promise<string | null> {
    return this.services.fs.confine(this.root, path);
  }

  setNode(node: NodeInfo): void {
    this.node = node;
  }
  beforeUpdate(_idle?: boolean): boolean | Promise<boolean> {
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
    const node = this.node;
    this.services.tasks.queue({ name: `Tidy up ${node.name}`, exclusive: true, body: () => tidyUp(this.services, node) });
  }

  bytesAvail(_fast?: boolean): Promise<number | null> {
    return this.services.fs.statfs(this.root).catch(() => null);
  }

  async checkInit(): Promise<boolean> {
    const file = join(this.root, "ALPENHORN_NODE");
    const { log } = this.services;
    let first: string | null;
    try {
      first = await this.services.fs.readFirstLine(file);
    } catch (err) {
      if (isTimeout(err)) throw err;
      first = null;
    }
    if (first === null) {
      log.warning(`Node file "${file}" could not be read.`);
      return false;
    }
    if (first.trimEnd() !== this.node.name) {
      log.warning(`Node name in file "${file}" does not match expected: ${this.node.name}.`);
      return false;
    }
    return true;
  }

  async init(): Promise<boolean> {
    if (await this.checkInit()) return true;
    try {
      await this.services.fs.writeText(join(this.root, "ALPENHORN_NODE"), `${this.node.name}\n`);
    } catch (err) {
      this.services.log.warning(`Node initialistion failed: ${pyOSError(err)}`);
      return false;
    }
    return true;
  }

  async exists(rel: string): Promise<boolean> {
    // Outside the root counts as absent.
    const p = await this.abs(rel);
    return p !== null && (await this.services.fs.stat(p))?.kind === "file";
  }

  async stat(path: string): Promise<StatInfo | null> {
    const p = await this.abs(path);
    return p === null ? null : this.services.fs.stat(p);
  }

  async *fileWalk(rel: string): AsyncIterable<string[]> {
    if (isAbsolute(rel)) throw new Error(`path must be relative: ${rel}`);
    const start = await this.abs(rel);
    if (start === null) throw new Error(`${rel} is not inside node root ${this.root}`);
    yield* walkFiles(this.services.fs, start, this.root);
  }

  async locked(path: string): Promise<boolean> {
    const p = await this.abs(path);
    if (p === null) return false;
    return (await this.services.fs.lstat(join(dirname(p), `.${basename(p)}.lock`))) !== null;
  }

  async md5(path: string, signal?: AbortSignal): Promise<string | null> {
    const { log, metrics, fs } = this.services;
    const p = await this.abs(path);
    if (p === null) {
      log.warning(`MD5 sum check for ${path} failed: not inside node root ${this.root}.`);
      return null;
    }
    metrics.add("hash_running_count", 1);
    try {
      const r = await fs.md5(p, signal);
      if ("changed" in r) {
        log.warning(`MD5 sum check for ${p} failed: file changed while reading.`);
        return null;
      }
      return r.md5;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (isTimeout(err)) log.warning(`Timeout trying to MD5 ${p}.`);
      else if (code === "ENOENT") log.warning(`MD5 sum check for ${p} failed: file not found.`);
      else if (code === "EACCES" || code === "EPERM") log.warning(`MD5 sum check for ${p} failed: permission error.`);
      else if (code === "ELOOP" || code === "EINVAL") log.warning(`MD5 sum check for ${p} failed: not a regular file.`);
      else throw err;
      return null;
    } finally {
      metrics.add("hash_running_count", -1);
    }
  }

  readyPath(_path?: string): boolean | Promise<boolean> {
    return true;
  }

  async check(rel: string, expected: { size: number | null; md5: string | null }): Promise<CheckOutcome> {
    const { fs, metrics } = this.services;
    metrics.add("hash_running_count", 1);
    try {
      return outcomeOf(await fs.checkFile(this.root, rel, expected.size), expected.md5);
    } catch (err) {
      // A stat or read the storage did not answer (logged by the fs service): check again later.
      if (isTimeout(err)) return { result: "retry", why: "storage not responding" };
      throw err;
    } finally {
      metrics.add("hash_running_count", -1);
    }
  }

  private async checkMany(items: ReadonlyArray<{ readonly rel: string; readonly expected: { readonly size: number | null; readonly md5: string | null } }>): Promise<CheckOutcome[]> {
    const { fs, metrics } = this.services;
    metrics.add("hash_running_count", items.length);
    try {
      const facts = await fs.checkFiles(
        this.root,
        items.map((i) => ({ rel: i.rel, size: i.expected.size })),
      );
      return facts.map((f, k) => outcomeOf(f, items[k]!.expected.md5));
    } catch (err) {
      if (isTimeout(err)) return items.map(() => ({ result: "retry", why: "storage not responding" }));
      throw err;
    } finally {
      metrics.add("hash_running_count", -items.length);
    }
  }

  private async importMany(items: readonly ImportItem[], byteCap: number): Promise<ImportFact[]> {
    const { fs, log, metrics } = this.services;
    const hashing = items.filter((i) => i.hash).length;
    metrics.add("hash_running_count", hashing);
    let facts: FsImportFact[];
    try {
      facts = await fs.importFacts(this.root, items, byteCap);
    } finally {
      metrics.add("hash_running_count", -hashing);
    }
    // md5()'s warnings, file by file.
    return facts.map((f): ImportFact => {
      switch (f.state) {
        case "hash-changed":
          log.warning(`MD5 sum check for ${f.path} failed: file changed while reading.`);
          return { state: "unread" };
        case "unreadable": {
          const why = f.code === "ENOENT" ? "file not found" : f.code === "EACCES" || f.code === "EPERM" ? "permission error" : f.code === "ELOOP" || f.code === "EINVAL" ? "not a regular file" : f.code;
          log.warning(`MD5 sum check for ${f.path} failed: ${why}.`);
          return { state: "unread" };
        }
        case "gone":
          return { state: "unread" };
        default:
          return f;
      }
    });
  }

  pull(job: PullJob): Promise<PullOutcome> {
    return pullInto(this.services, this.node, job);
  }

  async remove(rels: readonly string[]): Promise<{ files: RemoveFact[]; dirs: PruneFact[] }> {
    const { fs, treeLock } = this.services;
    // One round trip; the unlinks under the lock too, which keeps pulls' mkdirs out a little longer.
    return treeLock.hold("down", () => fs.removeAndPrune(this.root, [...rels]));
  }
}

export const defaultNodeIO = (init: NodeIOInit): NodeIO => new DefaultNodeIO(init);

/** What the facts about a copy on disk mean for its check. */
function outcomeOf(facts: CopyFacts, md5: string | null): CheckOutcome {
  switch (facts.state) {
    case "missing":
      return { result: "missing" };
    case "not-file":
    case "outside":
      return { result: "not-file" };
    case "size":
      return { result: "size", size: facts.size };
    case "changed":
      return { result: "retry", why: "file changed while it was read" };
    case "unreadable":
      return { result: "md5", md5: null };
    case "hashed":
      return facts.md5 === md5 ? { result: "ok", used: facts.used } : { result: "md5", md5: facts.md5 };
  }
}
