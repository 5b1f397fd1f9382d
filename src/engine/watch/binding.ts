// Compile seam for @parcel/watcher: its index.js picks the platform addon with a computed
// require(name) that `bun build --compile` cannot see, so the addon would not be embedded.
// Here the addon is required by a literal path (Bun embeds it) and wrapped with @parcel/watcher's own JS API.
import type { AsyncSubscription, Event, Options, SubscribeCallback } from "@parcel/watcher";

export type { AsyncSubscription, Event, Options, SubscribeCallback };

type Watcher = typeof import("@parcel/watcher");
type CreateWrapper = (binding: unknown) => Watcher;

function load(): Watcher {
  // Only linux-x64-glibc is built; say so rather than fail later with an opaque dlopen error.
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(`file watching is only built for linux-x64 (glibc); this is ${process.platform}-${process.arch}`);
  }
  let addon: unknown;
  try {
    // Literal specifier: this is what lets the bundler find the .node file and embed it.
    addon = require("@parcel/watcher-linux-x64-glibc/watcher.node");
  } catch (err) {
    throw new Error(`cannot load the @parcel/watcher linux-x64-glibc addon (a musl libc system?): ${String(err)}`);
  }
  // wrapper.js ships no types; it is the same glob/ignore normalisation @parcel/watcher's index.js uses.
  const { createWrapper } = require("@parcel/watcher/wrapper") as { createWrapper: CreateWrapper };
  return createWrapper(addon);
}

let api: Watcher | undefined;
// Lazy so that merely importing this module (e.g. for `--version`) never dlopens the addon.
const watcher = (): Watcher => (api ??= load());

export const subscribe: Watcher["subscribe"] = (dir, fn, opts) => watcher().subscribe(dir, fn, opts);
export const unsubscribe: Watcher["unsubscribe"] = (dir, fn, opts) => watcher().unsubscribe(dir, fn, opts);
export const getEventsSince: Watcher["getEventsSince"] = (dir, snap, opts) => watcher().getEventsSince(dir, snap, opts);
export const writeSnapshot: Watcher["writeSnapshot"] = (dir, snap, opts) => watcher().writeSnapshot(dir, snap, opts);
