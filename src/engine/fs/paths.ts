// Path helpers for node roots: root-relative conversion, confinement, alpenhorn's import path
// vetting (alpenhorn/common/util.py: invalid_import_path at 632dd41) and the names of our own temporary files.

import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** `path` relative to `root`, or null when it is not under root (component-wise, no resolving). */
export function relativeToRoot(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (rel === "" ) return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel;
}

/**
 * `str(pathlib.PurePosixPath(root, rel))`: empty and `.` components dropped, `..` kept (no
 * lexical collapsing); an absolute `rel` replaces `root`.
 */
export function pathlibJoin(root: string, rel: string): string {
  const whole = rel.startsWith("/") ? rel : `${root}/${rel}`;
  const abs = whole.startsWith("/");
  // POSIX keeps exactly two leading slashes; pathlib does too.
  const lead = abs ? (/^\/\/(?!\/)/.test(whole) ? "//" : "/") : "";
  const parts = whole.split("/").filter((p) => p !== "" && p !== ".");
  return lead + parts.join("/") || ".";
}

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

/** Reason an import path is invalid, or null. */
export function invalidImportPath(p: string): string | null {
  if (p === "") return "empty path";
  if (p === "." || p === "..") return "invalid path";
  if (p.startsWith("/") || p.startsWith("./") || p.startsWith("../")) return "invalid start";
  if (p.endsWith("/") || p.endsWith("/.") || p.endsWith("/..")) return "invalid end";
  if (p.includes("//")) return "repeated /";
  if (p.includes("/./")) return "invalid path element \".\"";
  if (p.includes("/../")) return "invalid path element \"..\"";
  return null;
}

/** A pull's placeholder beside its target: `.{basename}.placeholder`. */
export const PLACEHOLDER_RE = /^\..+\.placeholder$/;
/** Temporary directories our transfers create beside their targets. */
export const TEMP_DIR_PREFIX = ".alpentemp";

/** A name our own transfers use for work in flight (never data to import). */
export function isOurTempName(name: string): boolean {
  return name.startsWith(TEMP_DIR_PREFIX) || PLACEHOLDER_RE.test(name);
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
