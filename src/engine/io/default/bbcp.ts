// bbcp for remote pulls (alpenhorn/io/default/pull.py: bbcp at 632dd41): alpenhorn's
// arguments as an argv array, its port per worker, and its reading of the outcome — on exit 0
// the source's MD5, which `-E %md5=` makes bbcp compute on the source and print on stderr.
// alpenhorn hands bbcp the final target; we hand it a name inside our private temporary
// directory (remote-pull.ts), so `-f` only ever replaces a file of ours.

import type { CommandResult } from "../../extension-api.ts";

/** The first of alpenhorn's bbcp ports; each worker after the first gets the next block of ten. */
const BASE_PORT = 4200;

/** alpenhorn's port: 4200 on the main flow (0) and for worker 1, 4200 + 10·(n − 1) for worker n. */
export function bbcpPort(workerId: number): number {
  return workerId < 1 ? BASE_PORT : BASE_PORT + (workerId - 1) * 10;
}

/**
 * The argv of one pull of `source` (`user@address:/path`) into `target` (a local path). `-V`
 * dodges a bbcp bug alpenhorn's sites hit, `-z` connects in reverse (through firewalls), `-W 4M`
 * is the TCP window, `-s 16` the streams, `-e` block checksums, `-E %md5=` the whole file's MD5
 * computed on the source and printed.
 */
export function bbcpArgv(source: string, target: string, port: number): string[] {
  return ["bbcp", "-V", "-f", "-z", "--port", String(port), "-W", "4M", "-s", "16", "-e", "-E", "%md5=", source, target];
}

export type BbcpVerdict =
  /** bbcp exited 0 and reported the source's MD5. */
  | { readonly ok: true; readonly sourceMd5: string }
  | { readonly ok: false; readonly checkSrc: boolean; readonly message: string; readonly error: string | null };

const MD5_RE = /md5 ([a-f0-9]{32})/;

/** What a finished bbcp run means. */
export function bbcpVerdict(r: CommandResult): BbcpVerdict {
  if (r.rc === 0) {
    const m = MD5_RE.exec(r.stderr);
    if (m) return { ok: true, sourceMd5: m[1]! };
    // alpenhorn's wording (its "m5sum" included): not the source's fault.
    return {
      ok: false,
      checkSrc: false,
      message: "Unable to read m5sum from bbcp output",
      error: `BBCP transfer has gone awry. STDOUT: ${r.stdout}\n STDERR: ${r.stderr}`,
    };
  }
  // A failure, a timeout or a kill: the source may be at fault (alpenhorn: check_src true).
  const message = r.overrun ? "bbcp timed out" : r.stderr.trim() || (r.rc === null ? "bbcp was killed" : `bbcp exited with status ${r.rc}`);
  return { ok: false, checkSrc: true, message, error: null };
}
