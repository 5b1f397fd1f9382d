// A remote pull by rsync over ssh or by bbcp (alpenhorn/io/default/pull.py: pull_async's remote
// branch, rsync and bbcp at 632dd41). The tool writes into a private `.alpentemp…` directory
// beside the target (fs.pullTempDir), never at the target name: rsync's own `.name.XXXXXX`
// temporary is in there too, and bbcp (which alpenhorn let write the target itself) writes its
// file there, so a killed pull leaves only names the tidy-up removes. Unlike alpenhorn, which
// trusts rsync's exit status and bbcp's report of the source's MD5, the received bytes are then
// verified: their MD5 must equal the index's before they are renamed over the target
// (fs.pullAdopt). rsync's file is hashed on an fs thread while it arrives (fs.pullTail); bbcp's,
// and any rsync file that hash cannot stand for, is read back. A mismatch keeps nothing.

import { basename, join } from "node:path";
import { TAIL_ENDED, TAIL_FAILED, type CommandResult, type IOServices, type PullJob, type PullOutcome } from "../../extension-api.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { bbcpArgv, bbcpPort, bbcpVerdict } from "./bbcp.ts";
import { rsyncArgv, rsyncVerdict } from "./rsync.ts";

/** What a transfer tool's run meant; `sourceMd5`: the source's MD5 as the tool reported it. */
type ToolVerdict =
  | { readonly ok: true; readonly sourceMd5?: string }
  | { readonly ok: false; readonly checkSrc: boolean; readonly message: string; readonly warning?: string | null; readonly error?: string | null };

interface RemoteTool {
  readonly name: "rsync" | "bbcp";
  /** Whether its file can be hashed as it arrives (tail-hash.ts: rsync's way of writing). */
  readonly tail: boolean;
  argv(source: string, received: string): string[];
  verdict(run: CommandResult): ToolVerdict;
}

export function rsyncPull(services: IOServices, job: PullJob, target: string): Promise<PullOutcome> {
  return remotePull(services, job, target, {
    name: "rsync",
    tail: true,
    argv: (source, received) => rsyncArgv(source, received, services.remotePull),
    verdict: rsyncVerdict,
  });
}

export function bbcpPull(services: IOServices, job: PullJob, target: string): Promise<PullOutcome> {
  // Read here, in the task's own flow: each worker's bbcp listens on its own ports.
  const port = bbcpPort(services.workerId());
  return remotePull(services, job, target, {
    name: "bbcp",
    tail: false,
    argv: (source, received) => bbcpArgv(source, received, port),
    verdict: bbcpVerdict,
  });
}

async function remotePull(services: IOServices, job: PullJob, target: string, tool: RemoteTool): Promise<PullOutcome> {
  const { fs, log, commands } = services;
  if (!job.sourceAddr) return { result: "failed", checkSrc: false, message: `no address for node ${job.source.name}` };
  log.info(`Pulling remote file ${job.rel} using ${tool.name}`);
  let dir: string;
  try {
    dir = await fs.pullTempDir(target);
  } catch (err) {
    log.warning(`${tool.name} file creation failed`);
    return { result: "failed", checkSrc: false, message: pyOSError(err) };
  }
  const discard = () => fs.rmTree(dir).catch((err) => log.warning(`Error removing ${dir}: ${pyOSError(err)}`));
  const received = join(dir, basename(target));
  // The received bytes hashed on an fs thread while they arrive; pullAdopt reads the file back
  // only when that hash cannot stand for it.
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const tail = tool.tail ? fs.pullTail(dir, basename(target), flag).catch(() => null) : Promise.resolve(null);
  let run: CommandResult;
  let verdict: ToolVerdict | undefined;
  try {
    run = await commands.run(tool.argv(job.sourceAddr, received), job.timeout);
    verdict = tool.verdict(run);
  } finally {
    // Whatever happened, the tail ends: at the end of the bytes, or at once.
    Atomics.store(flag, 0, verdict?.ok ? TAIL_ENDED : TAIL_FAILED);
    Atomics.notify(flag, 0);
  }
  if (!verdict.ok) {
    if (verdict.error) log.error(verdict.error);
    if (verdict.warning) log.warning(verdict.warning);
    await discard();
    // Stopped by the daemon's shutdown: nobody's fault; the request is pulled again later.
    if (services.stopping.aborted && !run.overrun) return { result: "failed", checkSrc: false, message: "interrupted: the daemon is stopping" };
    return { result: "failed", checkSrc: verdict.checkSrc, message: verdict.message };
  }
  // bbcp hashed the source as it sent it: another MD5 than the index's is the source's fault
  // (as in alpenhorn), and there is nothing worth reading back.
  if (verdict.sourceMd5 !== undefined && verdict.sourceMd5 !== job.md5) {
    await discard();
    return { result: "mismatch", md5: verdict.sourceMd5 };
  }
  log.info(`verifying "${target}" after ${tool.name}`);
  // The received file's writeback runs on another fs thread while pullAdopt hashes it; pullAdopt
  // still fsyncs before its rename, so it waits for whatever the writeback has left.
  const flushed = fs.pullFlush(received).catch(() => false);
  try {
    const r = await fs.pullAdopt(received, target, job.md5, dir, await tail);
    await flushed;
    if (r.state === "adopted") return { result: "done", used: r.used };
    if (verdict.sourceMd5 !== undefined) {
      // The source sent the registered bytes; what arrived is not them: a transfer fault.
      const got = r.md5 === null ? "no regular file" : `MD5 ${r.md5}`;
      log.warning(`${tool.name} reported the source's MD5 ${verdict.sourceMd5}, but "${target}" received ${got}`);
      return { result: "failed", checkSrc: false, message: `received bytes differ from the source's (${got})` };
    }
    return { result: "mismatch", md5: r.md5 };
  } catch (err) {
    await fs.rmTree(dir).catch(() => undefined);
    const timeout = ["FsTimeoutError", "FsBlockedError"].includes((err as Error)?.name);
    log.warning(`verifying "${target}" failed: ${timeout ? "timeout" : pyOSError(err)}`);
    // The bytes are on our side now: reading or renaming them failing is not the source's fault.
    return { result: "failed", checkSrc: false, message: timeout ? "timeout verifying the received file" : pyOSError(err) };
  }
}
