// Behaviour that root never sees (a permission error on a file with mode 000) is tested on a
// process run as an unprivileged user: when the test runner is root (as in CI), the process
// under test is started through util-linux `setpriv` as nobody (uid/gid 65534, no
// supplementary groups), and the files it needs are handed over to that uid first. When the
// runner is not root it is unprivileged already and the process runs as it is.

import { existsSync, lchownSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const NOBODY = 65534;
const SETPRIV = "/usr/bin/setpriv";

/** True when the test runner is root, so a child must drop privileges to see EACCES. */
export const runnerIsRoot = process.getuid?.() === 0;

/** `argv` to run as an unprivileged user: behind setpriv when root, unchanged otherwise. */
export function unprivilegedArgv(argv: readonly string[]): string[] {
  if (!runnerIsRoot) return [...argv];
  // A missing setpriv must fail the test, not quietly run it as root (where it cannot fail).
  if (!existsSync(SETPRIV)) throw new Error(`${SETPRIV} (util-linux) is needed to run tests as uid ${NOBODY}`);
  return [SETPRIV, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", ...argv];
}

/**
 * Give the unprivileged uid the tree at `path` (chown -R; a symlink itself, never its target)
 * so it can traverse the directories and open the files; modes are left as they are, so a
 * file with mode 000 stays unreadable to its new owner. A no-op when the runner is not root.
 */
export function handOver(path: string): void {
  if (!runnerIsRoot) return;
  const walk = (p: string) => {
    lchownSync(p, NOBODY, NOBODY);
    if (lstatSync(p).isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(path);
}
