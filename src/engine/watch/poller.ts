// Auto-import by polling (the Polling I/O class; alpenhorn used watchdog's PollingObserver,
// alpenhorn/io/polling.py at 632dd41): every `interval` seconds the watched tree is listed
// through the fs service (off the event loop, with its timeouts) and compared with the previous
// listing; files that appeared are reported as "create", files that went away as "delete"
// (a removed `.name.lock` then imports `name`). Works where inotify hears nothing, such as NFS
// changes made by other hosts. Same interface as the @parcel/watcher subscription, so the
// auto-import logic is shared.

import type { FsService } from "../extension-api.ts";
import { walkFiles } from "../fs/walk.ts";
import type { AsyncSubscription, Event } from "./binding.ts";

/** watcher.ts's Subscribe. */
type Subscribe = (dir: string, fn: (err: Error | null, events: Event[]) => unknown) => Promise<AsyncSubscription>;

async function listTree(fs: FsService, dir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  for await (const batch of walkFiles(fs, dir, dir)) for (const f of batch) seen.add(f);
  return seen;
}

/** A Subscribe that polls the tree under `dir` every `interval` seconds with `fs`. */
export function pollingSubscribe(fs: FsService, interval: number): Subscribe {
  return async (dir, fn): Promise<AsyncSubscription> => {
    // What exists now is the catch-up scan's business: only later changes are events.
    let known = await listTree(fs, dir);
    let stopped = false;
    let running = false;
    const poll = async () => {
      if (running || stopped) return;
      running = true;
      try {
        const now = await listTree(fs, dir);
        if (stopped) return;
        const events: Event[] = [];
        for (const p of now) if (!known.has(p)) events.push({ type: "create", path: p });
        for (const p of known) if (!now.has(p)) events.push({ type: "delete", path: p });
        known = now;
        if (events.length > 0) fn(null, events);
      } catch (err) {
        fn(err as Error, []);
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void poll(), interval * 1000);
    return {
      unsubscribe: async () => {
        stopped = true;
        clearInterval(timer);
      },
    };
  };
}
