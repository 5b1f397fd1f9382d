// Path helpers for node roots: root-relative conversion, confinement, alpenhorn's import path
// vetting (invalid_import_path, spec §5.6) and the names of our own temporary files.

import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";

/** `path` relative to `root`, or null when it is not under root (component-wise, no resolving). */
export function relativeToRoot(root: string, path: string): string | null {
  const rel = relative(root, path);
  if (rel === "" ) return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel;
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

/** The lock file guarding `path` against import: `.{basename}.lock` beside it. */
export function lockPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.lock`);
}

/** A pull's placeholder beside its target: `.{basename}.placeholder`. */
export const PLACEHOLDER_RE = /^\..+\.placeholder$/;
/** Temporary directories our transfers create beside their targets. */
export const TEMP_DIR_PREFIX = ".alpentemp";
