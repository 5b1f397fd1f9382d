// A remote pull by rsync over ssh (alpenhorn/io/default/pull.py: pull_async's remote branch and
// rsync at 632dd41). rsync writes into a private `.alpentemp…` directory beside the target
// (fs.pullTempDir), never at the target name; its own `.name.XXXXXX` temporary is in there too,
// so a killed pull leaves only names the tidy-up removes. Unlike alpenhorn, which trusts rsync's
// exit status, the received bytes are then verified: their MD5, read back on an fs thread,
// must equal the index's before they are renamed over the target (fs.pullAdopt). A mismatch
// keeps nothing and makes the source suspect.

import { basename, join } from "node:path";
import type { IOServices, PullJob, PullOutcome } from "../../extension-api.ts";
import { pyOSError } from "../../fs/oserror.ts";
import { rsyncArgv, rsyncVerdict } from "./rsync.ts";

export async function rsyncPull(services: IOServices, job: PullJob, target: string): Promise<PullOutcome> {
  const { fs, log, commands, remotePull } = services;
  if (!job.sourceAddr) return { result: "failed", checkSrc: false, message: `no address for node ${job.source.name}` };
  log.info(`Pulling remote file ${job.rel} using rsync`);
  let dir: string;
  try {
    dir = await fs.pullTempDir(target);
  } catch (err) {
    log.warning("rsync file creation failed");
    return { result: "failed", checkSrc: false, message: pyOSError(err) };
  }
  const received = join(dir, basename(target));
  const run = await commands.run(rsyncArgv(job.sourceAddr, received, remotePull), job.timeout);
  const verdict = rsyncVerdict(run);
  if (!verdict.ok) {
    if (verdict.warning) log.warning(verdict.warning);
    await fs.rmTree(dir).catch((err) => log.warning(`Error removing ${dir}: ${pyOSError(err)}`));
    // Stopped by the daemon's shutdown: nobody's fault; the request is pulled again later.
    if (services.stopping.aborted && !run.overrun) return { result: "failed", checkSrc: false, message: "interrupted: the daemon is stopping" };
    return { result: "failed", checkSrc: verdict.checkSrc, message: verdict.message };
  }
  log.info(`verifying "${target}" after rsync`);
  try {
    const r = await fs.pullAdopt(received, target, job.md5, dir);
    if (r.state === "adopted") return { result: "done", used: r.used };
    return { result: "mismatch", md5: r.md5 };
  } catch (err) {
    await fs.rmTree(dir).catch(() => undefined);
    const timeout = ["FsTimeoutError", "FsBlockedError"].includes((err as Error)?.name);
    log.warning(`verifying "${target}" failed: ${timeout ? "timeout" : pyOSError(err)}`);
    // The bytes are on our side now: reading or renaming them failing is not the source's fault.
    return { result: "failed", checkSrc: false, message: timeout ? "timeout verifying the received file" : pyOSError(err) };
  }
}
