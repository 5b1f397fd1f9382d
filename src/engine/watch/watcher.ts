// Auto-import (alpenhorn/daemon/auto_import.py at 632dd41): one @parcel/watcher subscription
// per node root (a polling one, poller.ts, for I/O classes whose observer is "polling"). New files are
// imported, a deleted lock file imports the file it guarded, and a new directory is scanned
// once (whatever appeared in it before its watch existed is imported too). Each new watch
// queues the `Catch-up on {node}` scan.

import { basename, dirname, join } from "node:path";
import type { DaemonContext } from "../context.ts";
import { walkFiles } from "../fs/walk.ts";
import { importFile } from "../import/import-file.ts";
import { scan } from "../import/scan.ts";
import type { NodeTarget } from "../updateable/target.ts";
import { Task } from "../scheduler/task.ts";
import type { AsyncSubscription, Event } from "./binding.ts";
import { pollingSubscribe } from "./poller.ts";

interface Watch {
  sub: AsyncSubscription | null;
  root: string;
  node: NodeTarget;
  /** Extra subscriptions on sub-directories parcel's inotify backend does not watch. */
  extra: Map<string, AsyncSubscription>;
  /** Recently handled events (`type:path` → ms), to drop the duplicates of overlapping watches. */
  seen: Map<string, number>;
}

/** Overlapping subscriptions report one change within this window. */
const DUP_WINDOW_MS = 2000;

export type Subscribe = (dir: string, fn: (err: Error | null, events: Event[]) => unknown) => Promise<AsyncSubscription>;

export class AutoImport {
  private readonly watches = new Map<string, Watch>();
  private readonly startedClasses = new Set<string>();

  constructor(
    private readonly ctx: DaemonContext,
    /** Injected so the binding's addon is only loaded when a node is actually watched. */
    private readonly subscribe: Subscribe = async (dir, fn) => (await import("./binding.ts")).subscribe(dir, fn),
  ) {}

  /** Start, keep or stop watching `unode` according to its auto_import flag. */
  async update(unode: NodeTarget, forceStop = false): Promise<void> {
    const name = unode.name;
    const current = this.watches.get(name);
    const root = unode.row.root ?? "";
    if (forceStop || !Number(unode.row.auto_import)) {
      if (current) await this.unwatch(name, current);
      return;
    }
    if (current) {
      if (current.root === root) {
        current.node = unode; // follow re-created node objects
        return;
      }
      await this.unwatch(name, current);
    }
    const io = unode.io;
    const fifo = unode.fifo;
    if (!io || !fifo) return;
    const cls = unode.row.io_class ?? "Default";
    if (io.observer === null) {
      this.ctx.log.warning(`Unable to start auto import on node "${name}": no observer for I/O class ${cls}.`);
      return;
    }
    // The watchdog observer's timeout: inotify needs none, but alpenhorn reads (and checks) the
    // key when it starts the first observer of a class; it is the polling observer's period.
    const interval = this.ctx.config.int("daemon.auto_import_interval", { default: 30, min: 1 });
    if (!this.startedClasses.has(cls)) {
      this.startedClasses.add(cls);
      this.ctx.log.debug(`Started observer for I/O class ${cls}`);
    }
    const watch: Watch = { sub: null, root, node: unode, extra: new Map(), seen: new Map() };
    this.watches.set(name, watch);
    try {
      const subscribe = io.observer === "polling" ? pollingSubscribe(unode.fs, interval) : this.subscribe;
      watch.sub = await subscribe(root, this.handler(watch));
    } catch (err) {
      this.watches.delete(name);
      this.ctx.log.warning(`Unable to start auto import on node "${name}": ${(err as Error).message}`);
      return;
    }
    if (this.watches.get(name) !== watch) {
      // Stopped while subscribing.
      await watch.sub.unsubscribe().catch(() => undefined);
      return;
    }
    this.ctx.log.info(`Watching node "${name}" root "${root}" for auto import.`);
    new Task({
      queue: this.ctx.queue,
      key: fifo,
      name: `Catch-up on ${name}`,
      requeue: true,
      log: this.ctx.log,
      body: () => scan(watch.node, ".", true, null),
    });
  }

  private handler(w: Watch) {
    return (err: Error | null, events: Event[]) => {
      if (err) this.ctx.log.warning(`Auto import watch error on node "${w.node.name}": ${err.message}`);
      else void this.onEvents(w, events);
    };
  }

  private async unwatch(name: string, w: Watch): Promise<void> {
    this.watches.delete(name);
    await w.sub?.unsubscribe().catch(() => undefined);
    for (const s of w.extra.values()) await s.unsubscribe().catch(() => undefined);
    w.extra.clear();
  }

  /**
   * parcel's inotify backend watches a new directory, but not sub-directories that already
   * existed when it added that watch (`mkdir -p a/b/c` then a quick write is lost). So each
   * sub-directory of a new directory gets its own subscription; duplicates are dropped.
   */
  private async watchSubdirs(w: Watch, dir: string): Promise<void> {
    const listing = await w.node.fs.listDir(dir).catch(() => null);
    if (!listing) return;
    for (const name of listing.dirs) {
      const p = join(dir, name);
      if (w.extra.has(p)) continue;
      try {
        const sub = await this.subscribe(p, this.handler(w));
        if (this.watches.get(w.node.name) !== w) await sub.unsubscribe();
        else w.extra.set(p, sub);
      } catch {
        // Gone again already: nothing to watch.
      }
    }
  }

  private duplicate(w: Watch, ev: Event): boolean {
    const now = Date.now();
    const key = `${ev.type}:${ev.path}`;
    const last = w.seen.get(key);
    if (w.seen.size > 10_000) for (const [k, t] of w.seen) if (now - t > DUP_WINDOW_MS) w.seen.delete(k);
    w.seen.set(key, now);
    return last !== undefined && now - last < DUP_WINDOW_MS;
  }

  private async onEvents(w: Watch, events: Event[]): Promise<void> {
    for (const ev of events) {
      if (this.watches.get(w.node.name) !== w || this.ctx.stop.stopping) return;
      const base = basename(ev.path);
      if (this.duplicate(w, ev)) continue;
      try {
        if (ev.type === "create") {
          const st = await w.node.fs.lstat(ev.path).catch(() => null);
          if (st === null) continue; // gone already
          if (st.kind === "dir") {
            // Files may have appeared before the new directory's watch existed.
            await this.watchSubdirs(w, ev.path);
            for await (const batch of walkFiles(w.node.fs, ev.path, w.root))
              for (const f of batch) if (!basename(f).startsWith(".")) await this.importPath(w, f);
          } else if (!base.startsWith(".")) await this.importPath(w, ev.path);
        } else if (ev.type === "delete" && w.extra.has(ev.path)) {
          await w.extra.get(ev.path)!.unsubscribe().catch(() => undefined);
          w.extra.delete(ev.path);
        } else if (ev.type === "delete" && base.startsWith(".") && base.endsWith(".lock") && base.length > 6) {
          await this.importPath(w, join(dirname(ev.path), base.slice(1, -5)));
        }
      } catch (err) {
        this.ctx.log.warning(`Auto import of ${ev.path} failed: ${(err as Error).message}`);
      }
    }
  }

  private async importPath(w: Watch, path: string): Promise<void> {
    await importFile(w.node, path, { register: true, dedupe: true });
  }

  /** Stop every watch (clean exit). */
  async stopAll(): Promise<void> {
    for (const [name, w] of [...this.watches]) await this.unwatch(name, w);
  }
}
