// The FsService handed to I/O classes: the fs thread pool's calls, each with the configured
// timeout, and alpenhorn's log line when one times out (alpenhorn/common/util.py at 632dd41
// guards its blocking calls the same way: `Timeout after 10m00s calling …`).

import { prettyDeltaT } from "../../common/format.ts";
import type { Logger } from "../../common/logger.ts";
import type { FsService } from "../extension-api.ts";
import type { OpArgs, OpName, OpResult } from "./threads/ops.ts";
import { FsTimeoutError, type FsPool } from "./threads/pool.ts";

/**
 * Test seam, never set in production: milliseconds an internal copy sleeps after each MiB it
 * writes, so an end-to-end test can kill the daemon in the middle of a copy.
 */
function pullDelayForTest(): number {
  return Number(process.env.ALPENHORN_TEST_PULL_DELAY_MS ?? 0) || 0;
}

/**
 * `group` names the storage the calls are about (a node): once one of its calls is blocked
 * past the timeout, its other calls fail at once (FsBlockedError) until that one returns.
 */
export function fsService(pool: FsPool, log: Logger, timeout: number, group?: string): FsService {
  async function call<K extends OpName>(op: K, args: OpArgs<K>, what: string, signal?: AbortSignal, seconds = timeout): Promise<OpResult<K>> {
    try {
      return await pool.call(op, args, { timeout: seconds, what, signal, group });
    } catch (err) {
      if (err instanceof FsTimeoutError && op !== "md5") log.error(`Timeout after ${prettyDeltaT(seconds)} calling ${what}.`);
      throw err;
    }
  }
  const q = JSON.stringify;
  return {
    stat: (p) => call("stat", [p], `stat(${q(p)})`),
    lstat: (p) => call("lstat", [p], `lstat(${q(p)})`),
    readFirstLine: (p) => call("readFirstLine", [p], `read(${q(p)})`),
    writeText: (p, text) => call("writeText", [p, text], `write(${q(p)})`),
    listDir: (p) => call("listDir", [p], `readdir(${q(p)})`),
    statfs: (p) => call("statfs", [p], `statfs(${q(p)})`),
    md5: (p, signal) => call("md5", [p], `md5(${q(p)})`, signal),
    unlink: (p) => call("unlink", [p], `unlink(${q(p)})`),
    rmdir: (p) => call("rmdir", [p], `rmdir(${q(p)})`),
    rmTree: (p) => call("rmTree", [p], `rmtree(${q(p)})`),
    confine: (root, p) => call("confine", [root, p], `realpath(${q(p)})`),
    realpath: (p) => call("realpath", [p], `realpath(${q(p)})`),
    checkFile: (root, rel, size) => call("checkFile", [root, rel, size], `check(${q(`${root}/${rel}`)})`),
    checkFiles: (root, items) => call("checkFiles", [root, items], `check of ${items.length} files under ${q(root)}`),
    removeFiles: (root, rels) => call("removeFiles", [root, rels], `unlink of ${rels.length} files under ${q(root)}`),
    pruneDirs: (root, dirs) => call("pruneDirs", [root, dirs], `rmdir of ${dirs.length} directories under ${q(root)}`),
    importFacts: (root, items, cap) => call("importFacts", [root, items, cap], `import of ${items.length} files under ${q(root)}`),
    removeAndPrune: (root, rels) => call("removeAndPrune", [root, rels], `unlink of ${rels.length} files under ${q(root)}`),
    pullPrepare: (target, placeholder) => call("pullPrepare", [target, placeholder], `mkdir(${q(target)})`),
    pullUnplace: (target) => call("pullUnplace", [target], `unlink placeholder of ${q(target)}`),
    pullLink: (source, target, size, md5) => call("pullLink", [source, target, size, md5], `link(${q(source)}, ${q(target)})`),
    pullLinkMany: (root, items) => call("pullLinkMany", [root, items], `link of ${items.length} files under ${q(root)}`),
    pullCopy: (source, target, md5, seconds) =>
      call("pullCopy", [source, target, md5, pullDelayForTest()], `copy(${q(source)}, ${q(target)})`, undefined, seconds ?? Infinity),
    pullTempDir: (target) => call("pullTempDir", [target], `mkdtemp(${q(target)})`),
    pullReapWriters: (dir) => call("pullReapWriters", [dir], `reap writers of ${q(dir)}`),
    pullFlush: (received) => call("pullFlush", [received], `fsync(${q(received)})`),
    pullAdopt: (received, target, md5, dir, prehash) => call("pullAdopt", [received, target, md5, dir, prehash ?? null], `verify(${q(received)})`),
    // As long as the transfer runs: the transfer's own timeout ends it (the caller sets the flag).
    pullTail: (dir, name, flag) => call("pullTail", [dir, name, flag], `hash of ${q(name)} as it arrives in ${q(dir)}`, undefined, Infinity),
  };
}
