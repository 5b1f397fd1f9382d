// The Default I/O's pull (alpenhorn/io/default/pull.py: pull_async steps 4–7, hardlink,
// local_copy, rsync and bbcp at 632dd41): the destination directory and placeholder under the
// tree lock "up", then the transfer the method chooser picks, then the placeholder removed,
// again under the lock. Every filesystem step is an fs-thread call (fs/threads/pull-ops.ts);
// rsync or bbcp is a child process (remote-pull.ts). Unlike alpenhorn, the bytes of a copy, an
// rsync or a bbcp, and a hard link's inode, are verified (size and MD5 against the index)
// before they take the target name; a mismatch leaves nothing behind.

import { basename, dirname, join } from "node:path";
import type { IOServices, NodeInfo, PullJob, PullOutcome, StatInfo } from "../../extension-api.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { bbcpPull, rsyncPull } from "./remote-pull.ts";

/** How a pull moves bytes; "none": a remote source and no tool to fetch it with. */
export type PullMethod = "hardlink" | "copy" | "rsync" | "bbcp" | "none";

/**
 * The transfer-method chooser: a local source of the same archive kind (both archive or both
 * not, as alpenhorn requires so that an archive copy never shares its inode with a scratch
 * copy) is hard-linked when the filesystem allows (the link falls back to a copy otherwise);
 * another local source is copied. A remote one is fetched with bbcp when it is on PATH, else
 * rsync (alpenhorn's order); `which` looks a program up on the daemon's PATH.
 */
export function chooseMethod(job: PullJob, dest: NodeInfo, which: (name: string) => string | null = () => null): PullMethod {
  if (job.local) return job.source.archive === dest.archive ? "hardlink" : "copy";
  if (which("bbcp")) return "bbcp";
  return which("rsync") ? "rsync" : "none";
}

const isTimeout = (err: unknown) => ["FsTimeoutError", "FsBlockedError"].includes((err as Error)?.name);

/**
 * Carry out `job` into `dest`'s root. `sourceConfined`: the caller has already found the
 * source's directory inside its root (a batch, for the links it falls back from).
 */
export async function pullInto(services: IOServices, dest: NodeInfo, job: PullJob, sourceConfined = false): Promise<PullOutcome> {
  const { fs, log, treeLock, metrics } = services;
  const method = chooseMethod(job, dest, (n) => services.commands.which(n));
  if (method === "none") {
    log.error("No commands available to complete remote pull.");
    return { result: "failed", checkSrc: false, message: "neither bbcp nor rsync on PATH" };
  }
  const name = basename(job.rel);
  const dir = name === "" || name === "." || name === ".." ? null : await fs.confine(dest.root, dirname(job.rel));
  if (dir === null) return { result: "failed", checkSrc: false, message: `${job.rel} is not inside node root ${dest.root}` };
  const target = join(dir, name);
  if (job.local && !sourceConfined && (await sourceOutsideRoot(services, [job])).has(dirname(job.rel))) return sourceOutsideOutcome(job);

  // A destination the daemon cannot write (a read-only root, a full disk…) fails this pull
  // and leaves the request to retry; uncaught, it stopped the whole daemon with a global abort
  // (tests/faults/hostile-roots.test.ts).
  let prepared;
  try {
    prepared = await treeLock.hold("up", () => fs.pullPrepare(target, true));
  } catch (err) {
    if (!isTimeout(err) && (err as NodeJS.ErrnoException).code === undefined) throw err;
    return { result: "failed", checkSrc: false, message: isTimeout(err) ? `timeout preparing ${target}` : pyOSError(err) };
  }
  if (prepared.createdDir) log.info(`Creating directory "${dir}".`);
  try {
    if (prepared.target === "file" && !job.overwrite) {
      const st = await fs.lstat(target).catch(() => null);
      if (st && (await earlierPullDone(services, job, target, st))) {
        log.info(`File ${job.rel} already on disk on node ${dest.name} is the registered file: pull done.`);
        return { result: "done", used: st.used };
      }
      return { result: "present", used: st?.used ?? null };
    }
    if (prepared.target === "other") return { result: "failed", checkSrc: false, message: `${target} exists and is not a regular file` };
    const labels = { method, remote: String(!job.local) };
    metrics.add("pull_running_count", 1, labels);
    try {
      if (method === "bbcp") return await bbcpPull(services, job, target);
      if (method === "rsync") return await rsyncPull(services, job, target);
      if (method === "hardlink") {
        const linked = await hardlink(services, job, target);
        if (linked) return linked;
      }
      return await copy(services, job, target);
    } finally {
      metrics.add("pull_running_count", -1, labels);
    }
  } finally {
    await treeLock.hold("up", () => fs.pullUnplace(target)).catch((err) => log.warning(`Error removing placeholder of ${target}: ${pyOSError(err)}`));
  }
}

/**
 * Several pulls into `dest`: those to be hard-linked go in one fs-thread call under the tree
 * lock "up" (their directories created, each fsynced once); one that cannot be linked (another
 * filesystem…) and every other job goes through pullInto, one after the other.
 */
export async function pullBatchInto(services: IOServices, dest: NodeInfo, jobs: readonly PullJob[]): Promise<PullOutcome[]> {
  const { fs, log, treeLock, metrics } = services;
  const out: Array<PullOutcome | undefined> = new Array(jobs.length);
  const candidates = jobs.flatMap((job, i) => (job.local && chooseMethod(job, dest) === "hardlink" ? [i] : []));
  const outside = await sourceOutsideRoot(services, candidates.map((i) => jobs[i]!));
  for (const i of candidates) if (outside.has(dirname(jobs[i]!.rel))) out[i] = sourceOutsideOutcome(jobs[i]!);
  const linkable = candidates.filter((i) => out[i] === undefined);
  if (linkable.length > 0) {
    const labels = { method: "hardlink", remote: "false" };
    metrics.add("pull_running_count", linkable.length, labels);
    let linked;
    try {
      const items = linkable.map((i) => ({ rel: jobs[i]!.rel, source: jobs[i]!.sourcePath, size: jobs[i]!.size, md5: jobs[i]!.md5, overwrite: jobs[i]!.overwrite }));
      linked = await treeLock.hold("up", () => fs.pullLinkMany(dest.root, items));
    } catch (err) {
      if (!isTimeout(err)) throw err;
      log.warning(`Timeout trying to hardlink ${linkable.length} files into "${dest.root}".`);
      for (const i of linkable) out[i] = { result: "failed", checkSrc: false, message: "timeout" };
      linked = null;
    } finally {
      metrics.add("pull_running_count", -linkable.length, labels);
    }
    for (const dir of linked?.createdDirs ?? []) log.info(`Creating directory "${dir}".`);
    for (const [k, r] of (linked?.results ?? []).entries()) {
      const i = linkable[k]!;
      const job = jobs[i]!;
      switch (r.state) {
        case "linked":
          log.info(`Hardlinked local file ${job.rel}`);
          out[i] = { result: "done", used: r.used, seconds: r.ms / 1000 };
          break;
        case "present":
          out[i] = { result: "present", used: r.used };
          break;
        case "mismatch":
          out[i] = { result: "mismatch", md5: null };
          break;
        case "other":
          out[i] = { result: "failed", checkSrc: false, message: `${r.target} exists and is not a regular file` };
          break;
        case "outside":
          out[i] = { result: "failed", checkSrc: false, message: `${job.rel} is not inside node root ${dest.root}` };
          break;
        case "error":
          log.warning(`local pull of ${job.rel} failed: ${r.message}`);
          out[i] = { result: "failed", checkSrc: false, message: r.message };
          break;
        case "unlinkable":
          log.debug(`hardlink failed: ${r.message}`);
          break; // copied below
      }
    }
  }
  const confined = new Set(linkable);
  for (const [i, job] of jobs.entries()) out[i] ??= await pullInto(services, dest, job, confined.has(i));
  return out as PullOutcome[];
}

/**
 * The directories (relative, as in `rel`) of local jobs' sources that lead out of their node's
 * root through a symlink. The copy and the link refuse a symlink in place of the file itself
 * (O_NOFOLLOW), but a linked directory on the way would let a pull read, and register on the
 * destination, a file from outside every root. One fs-thread call per distinct directory.
 */
async function sourceOutsideRoot(services: IOServices, jobs: readonly PullJob[]): Promise<Set<string>> {
  const dirs = new Map<string, string>();
  for (const job of jobs) if (job.local) dirs.set(dirname(job.rel), job.source.root);
  const outside = new Set<string>();
  await Promise.all(
    [...dirs].map(async ([dir, root]) => {
      // A confinement that cannot be decided (a timeout) is not proof of anything: the pull goes on
      // and the copy's own checks apply.
      if ((await services.fs.confine(root, dir).catch(() => "")) === null) outside.add(dir);
    }),
  );
  return outside;
}

/** A source reached through a link out of its root: not read; its copy is checked (it will be found outside). */
function sourceOutsideOutcome(job: PullJob): PullOutcome {
  return { result: "failed", checkSrc: true, message: `${job.rel} is not inside node root ${job.source.root}` };
}

/**
 * Whether the regular file at the target is this pull's own work, finished by an earlier run
 * that was killed between the rename and the booking: the registered size and MD5 (as every
 * pull is verified). Without this, the restarted daemon would have that file checked as a foreign
 * one and then cancel the request ("already present in group") instead of completing it (found
 * by the SIGKILL fault matrix, tests/faults/kill.test.ts). Any doubt (an error, a timeout, other
 * bytes) answers false, and the file is checked as alpenhorn does.
 */
async function earlierPullDone(services: IOServices, job: PullJob, target: string, st: StatInfo): Promise<boolean> {
  if (st.kind !== "file" || st.size !== job.size || job.md5 === null) return false;
  const h = await services.fs.md5(target).catch(() => null);
  return h !== null && "md5" in h && h.md5 === job.md5;
}

/** Hard link; null when no link could be made (the caller copies instead). */
async function hardlink(services: IOServices, job: PullJob, target: string): Promise<PullOutcome | null> {
  const { fs, log } = services;
  let r;
  try {
    r = await fs.pullLink(job.sourcePath, target, job.size, job.md5);
  } catch (err) {
    if (isTimeout(err)) {
      log.warning(`Timeout trying to hardlink "${target}".`);
      return { result: "failed", checkSrc: false, message: "timeout" };
    }
    log.debug(`hardlink failed: ${pyOSError(err)}`);
    return null;
  }
  if (r.state === "unlinkable") {
    log.debug(`hardlink failed: ${r.message}`);
    return null;
  }
  // The source's inode does not hold the registered bytes (size or MD5): the link was dropped
  // before taking the target name, and the source is suspect.
  if (r.state === "mismatch") return { result: "mismatch", md5: null };
  log.info(`Hardlinked local file ${job.rel}`);
  return { result: "done", used: r.used };
}

async function copy(services: IOServices, job: PullJob, target: string): Promise<PullOutcome> {
  const { fs, log } = services;
  log.info(`Pulling local file ${job.rel} using internal copy`);
  try {
    const r = await fs.pullCopy(job.sourcePath, target, job.md5, job.timeout);
    if (r.state === "copied") return { result: "done", used: r.used };
    if (r.state === "mismatch") return { result: "mismatch", md5: r.md5 };
    return { result: "failed", checkSrc: true, message: "source changed while it was copied" };
  } catch (err) {
    const why = isTimeout(err) ? `timeout after ${job.timeout}s` : pyOSError(err);
    log.warning(`local copy failed: ${why}`);
    // A source that cannot be read may be damaged; a destination that cannot be written is not its fault.
    const destSide = ["ENOSPC", "EDQUOT", "EROFS"].includes((err as NodeJS.ErrnoException).code ?? "") || (err as NodeJS.ErrnoException).path === target;
    return { result: "failed", checkSrc: !destSide, message: why };
  }
}
