// Path resolution that reads the filesystem, so it runs on fs threads only (ops.ts): confinement
// of a path to a node root through symlinks, and Python's strict resolve.

import { realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { relativeToRoot } from "../paths.ts";

/**
 * `Path.resolve(strict=True)`: the native realpath (every component must exist, symlinks
 * resolved, `missing/..` refused). A failure names the first component that does not
 * resolve, as Python's error does.
 */
export function strictRealpath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch (err) {
    const parts = path.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join("/");
      if (prefix !== "") realpathSync.native(prefix); // throws for the first failing prefix
    }
    throw err;
  }
}

export class OutsideRootError extends Error {
  constructor(path: string, root: string) {
    super(`${path} is not inside node root ${root}`);
  }
}

/**
 * `path` (absolute, or relative to root) as an absolute path, refused with OutsideRootError
 * when it leaves the root lexically (`..`) or through a symlink: the deepest existing
 * ancestor must resolve inside the resolved root.
 */
export function confinedPath(root: string, path: string): string {
  const full = resolve(root, path);
  if (relativeToRoot(resolve(root), full) === null) throw new OutsideRootError(path, root);
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return full; // no root on disk: nothing can be reached through it
  }
  for (let probe = full; ; probe = dirname(probe)) {
    let real: string | undefined;
    try {
      real = realpathSync(probe);
    } catch {
      // Missing (or unreadable) component: check its parent instead.
    }
    if (real !== undefined) {
      if (relativeToRoot(realRoot, real) === null) throw new OutsideRootError(path, root);
      return full;
    }
    if (dirname(probe) === probe) return full;
  }
}
