// rsync for remote pulls (alpenhorn/io/default/pull.py: rsync at 632dd41): alpenhorn's
// arguments, built as an argv array, and its reading of rsync's stderr — a failure in
// `mkstemp` or a `write failed on` is the destination's fault, anything else may be the
// source's. The remote shell is the site's (`daemon.rsync_rsh`, default alpenhorn's `ssh -q`);
// rsync splits that string itself, no shell is involved. `--protect-args` keeps the remote
// side's shell from parsing the source name too, but the remote rsync still expands wildcards
// in it: a file named `*?[x].dat` would fetch whichever file the pattern matches first (found
// by tests/faults/hostile-names.test.ts: the MD5 then mismatched and the good source was
// marked suspect), so the source path's wildcards are escaped (remoteLiteral).

import type { CommandResult, RemotePullSettings } from "../../extension-api.ts";

/** The argv of one remote pull of `source` (`user@address:/path`) into `target` (a local path). */
export function rsyncArgv(source: string, target: string, settings: RemotePullSettings): string[] {
  const bw = settings.bwlimit === null ? [] : [`--bwlimit=${settings.bwlimit}`];
  return [
    "rsync",
    "--compress",
    "--rsync-path=ionice -c2 -n4 rsync",
    `--rsh=${settings.rsh}`,
    ...bw,
    "--quiet",
    "--times",
    "--protect-args",
    "--perms",
    "--group",
    "--owner",
    "--copy-links",
    "--sparse",
    remoteLiteral(source),
    target,
  ];
}

const WILDCARD = /[*?[]/;

/**
 * `user@address:path` with the path's wildcards escaped for the remote rsync, which globs a
 * path only when it holds `*`, `?` or `[` (a path without them is taken literally and left as
 * it is). A path that also holds a `\\` is left alone too: escaping that backslash makes
 * rsync's receiver reject the name it gets back ("rejecting unrequested file-list name"),
 * while unescaped the pattern still matches the file itself (and a stray match fails the MD5
 * check, as before). A bracketed IPv6 address is skipped.
 */
export function remoteLiteral(source: string): string {
  const at = source.indexOf("@") + 1;
  const hostEnd = source[at] === "[" ? source.indexOf("]", at) + 1 : at;
  const colon = source.indexOf(":", hostEnd);
  if (colon < 0) return source;
  const path = source.slice(colon + 1);
  if (!WILDCARD.test(path) || path.includes("\\")) return source;
  return source.slice(0, colon + 1) + path.replace(/[*?[]/g, "\\$&");
}

export type RsyncVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly checkSrc: boolean; readonly message: string; readonly warning: string | null };

/** What a finished rsync run means (its exit status alone: the received bytes are verified apart). */
export function rsyncVerdict(r: CommandResult): RsyncVerdict {
  if (r.rc === 0) return { ok: true };
  const stderr = r.stderr;
  const message = r.overrun ? "rsync timed out" : stderr.trim() || (r.rc === null ? "rsync was killed" : `rsync exited with status ${r.rc}`);
  // A name the receiver refuses to accept back (rsync cannot pull a name mixing `\\` and
  // wildcards): the source file is not at fault.
  if (stderr.includes("rejecting unrequested file-list name")) return { ok: false, checkSrc: false, message, warning: null };
  if (stderr.includes("mkstemp")) return { ok: false, checkSrc: false, message, warning: "rsync file creation failed" };
  if (stderr.includes("write failed on")) {
    return { ok: false, checkSrc: false, message, warning: `rsync failed to write to destination: ${stderr.slice(stderr.lastIndexOf(":") + 2).trim()}` };
  }
  return { ok: false, checkSrc: true, message, warning: null };
}
