// Pure path helpers for node roots (no filesystem access): root-relative conversion, pathlib's
// join, import path vetting (alpenhorn/common/util.py: invalid_import_path at 632dd41) and
// the names of our own temporary files.

import { isAbsolute, join, posix, relative, sep } from "node:path";

/** `path` relative to `root`, or null when it is not under root (component-wise, no resolving). */
export function relativeToRoot(root: string, path: string): string | null {
  const plain = plainChild(root, path);
  if (plain !== null) return plain;
  const rel = relative(root, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel;
}

/**
 * `posix.relative(parent, path)`, without its cost (it resolves both against the working
 * directory) where that is not needed: a scan and an import batch ask it of every file.
 */
export function childPath(parent: string, path: string): string {
  return plainChild(parent, path) ?? posix.relative(parent, path);
}

/**
 * Whether root-relative `rel` names the node's ALPENHORN_NODE file (as `join(root, rel)` and
 * `join(root, "ALPENHORN_NODE")` would compare).
 */
export function isNodeFileRel(root: string, rel: string): boolean {
  return rel.charCodeAt(0) !== 47 && isPlain(rel) ? rel === "ALPENHORN_NODE" : join(root, rel) === join(root, "ALPENHORN_NODE");
}

/**
 * The part of `path` under `parent` when both are plain (no empty, `.` or `..` component, no
 * trailing slash) and `path` lies under `parent`; null when that needs the general rule.
 */
function plainChild(parent: string, path: string): string | null {
  if (parent === "" || path.length <= parent.length + 1 || path.charCodeAt(parent.length) !== 47 || !path.startsWith(parent) || !isPlain(path)) return null;
  return path.slice(parent.length + 1);
}

/** A non-empty relative path, or an absolute one after its `/`, with no empty, `.` or `..` component. */
const isPlain = (p: string) => {
  const body = p.charCodeAt(0) === 47 ? p.slice(1) : p;
  return body !== "" && !/(^|\/)\.{0,2}(\/|$)/.test(body);
};

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
