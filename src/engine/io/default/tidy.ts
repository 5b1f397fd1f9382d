// The `Tidy up {node}` task: removes what interrupted work of ours left in a node's tree —
// pull placeholders (`.name.placeholder`), `.alpentemp*` temporaries (the files our pulls
// write before renaming them over the target, the directories rsync and bbcp write into, and
// alpenhorn's directories of that name; a stale rsync or bbcp still writing there is killed
// first) — and then directories emptied by that, up to the node root. Nothing but our own temp
// names is ever removed. It runs exclusive on the node's FIFO, where pulls run: no pull is in flight.

import { dirname, join, resolve } from "node:path";
import type { IOServices, NodeInfo } from "../../extension-api.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { PLACEHOLDER_RE, TEMP_DIR_PREFIX } from "../../fs/paths.ts";

export async function tidyUp(services: IOServices, node: NodeInfo): Promise<void> {
  const root = resolve(node.root || "/");
  for (const acq of await services.index.acqNames()) {
    const acqDir = join(root, acq);
    if ((await services.fs.lstat(acqDir).catch(() => null))?.kind !== "dir") continue;
    const emptied = new Set<string>();
    await sweep(services, acqDir, emptied);
    for (const d of emptied) await removeFiledir(services, node.name, root, d);
    await removeFiledir(services, node.name, root, acqDir);
  }
}

/** Remove our leftovers under `dir` (not following symlinks); note directories they leave. */
async function sweep(services: IOServices, dir: string, emptied: Set<string>): Promise<void> {
  const { fs, log } = services;
  const listing = await fs.listDir(dir).catch(() => null);
  if (!listing) return;
  for (const name of listing.dirs) {
    const p = join(dir, name);
    if (name.startsWith(TEMP_DIR_PREFIX)) {
      log.warning(`Removing stale temporary directory ${p}`);
      // A killed pull's transfer tool may still write there (remote-pull.ts): stop it first.
      for (const w of await fs.pullReapWriters(p).catch(() => [])) log.warning(`Killed stale ${w.program} (pid ${w.pid}) writing in ${p}`);
      await fs.rmTree(p).catch((err) => log.warning(`Error removing ${p}: ${pyOSError(err)}`));
      emptied.add(dir);
    } else await sweep(services, p, emptied);
  }
  for (const name of listing.files) {
    const temp = name.startsWith(TEMP_DIR_PREFIX);
    if (!temp && !PLACEHOLDER_RE.test(name)) continue;
    const p = join(dir, name);
    log.warning(temp ? `Removing stale temporary file ${p}` : `Removing stale placeholder ${p}`);
    try {
      await fs.unlink(p);
      emptied.add(dir);
    } catch (err) {
      log.warning(`Error removing ${p}: ${pyOSError(err)}`);
    }
  }
}

/** alpenhorn's remove_filedir: rmdir `dir` and its parents while empty, never the root. */
export async function removeFiledir(services: IOServices, nodeName: string, root: string, dir: string): Promise<void> {
  let d = resolve(dir);
  if (d !== root && !d.startsWith(root + "/")) throw new Error(`dirname ${dir} not rooted under ${root}`);
  while (d !== root) {
    try {
      const r = await services.fs.rmdir(d);
      if (r === "not-empty") return;
      if (r === "removed") services.log.info(`Removed directory ${d} on ${nodeName}`);
    } catch (err) {
      services.log.warning(`Error deleting directory ${d} on ${nodeName}: ${pyOSError(err)}`);
    }
    d = dirname(d);
  }
}
