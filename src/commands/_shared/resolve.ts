// Names and FILE paths given on the command line → rows, with alpenhorn's error messages
// (their wording differs between commands, so each caller may pass its own).

import { CliError } from "../../common/errors.ts";
import type { Db } from "../../index/driver/types.ts";
import { getAcqByName, getFileByAcqAndName, getGroupByName, getNodeByName } from "../../index/queries/lookup.ts";
import { getHostByName } from "../../index/queries/hosts.ts";
import type { ArchiveAcqRow, ArchiveFileRow, StorageGroupRow, StorageHostRow, StorageNodeRow } from "../../index/rows.ts";

export type Message = (name: string) => string;

export async function resolveGroup(db: Db, name: string, msg: Message = (n) => `no such group: ${n}`): Promise<StorageGroupRow> {
  const row = await getGroupByName(db, name);
  if (!row) throw new CliError(msg(name));
  return row;
}

export async function resolveNode(db: Db, name: string, msg: Message = (n) => `no such node: ${n}`): Promise<StorageNodeRow> {
  const row = await getNodeByName(db, name);
  if (!row) throw new CliError(msg(name));
  return row;
}

/** A storage host (upstream main's layout) by exact name; upstream's `no such host: X`. */
export async function resolveHost(db: Db, name: string): Promise<StorageHostRow> {
  const row = await getHostByName(db, name);
  if (!row) throw new CliError(`no such host: ${name}`);
  return row;
}

export async function resolveAcq(db: Db, name: string, msg: Message = (n) => `No such acquisition: ${n}`): Promise<ArchiveAcqRow> {
  const row = await getAcqByName(db, name);
  if (!row) throw new CliError(msg(name));
  return row;
}

/**
 * Normalise like Python's PurePosixPath: collapse repeated `/`, drop `.` components and a
 * trailing `/`; `..` is kept. An absolute path keeps its leading `/`.
 */
export function normalisePath(path: string): string {
  const abs = path.startsWith("/");
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  const body = parts.join("/");
  if (abs) return "/" + body;
  return body === "" ? "." : body;
}

/**
 * `str(PurePosixPath(path))`: normalisePath, except that exactly two leading slashes are kept
 * (POSIX leaves `//` implementation-defined, so pathlib preserves it; three or more become one).
 * For messages that show a path the way alpenhorn prints it.
 */
export function purePathStr(path: string): string {
  const norm = normalisePath(path);
  return pathAnchor(path) === "//" ? "/" + norm : norm;
}

/** The PurePosixPath anchor: `//` for exactly two leading slashes, `/` for absolute, else "". */
export function pathAnchor(path: string): string {
  return /^\/\/(?!\/)/.test(path) ? "//" : path.startsWith("/") ? "/" : "";
}

export type FileWithAcq = ArchiveFileRow & { acq_name: string };

/**
 * Find a file from a path `acq/name`: split at each `/`, longest acquisition prefix first.
 * Absolute and single-component paths never match. Returns null when nothing matches.
 */
export async function findFileByPath(db: Db, path: string): Promise<FileWithAcq | null> {
  const norm = normalisePath(path);
  if (norm.startsWith("/")) return null;
  const parts = norm.split("/");
  for (let cut = parts.length - 1; cut >= 1; cut--) {
    const hit = await getFileByAcqAndName(db, parts.slice(0, cut).join("/"), parts.slice(cut).join("/"));
    if (hit) return hit;
  }
  return null;
}

/** As findFileByPath, failing with `No such file: {normalised path}`. */
export async function resolveFile(db: Db, path: string): Promise<FileWithAcq> {
  const file = await findFileByPath(db, path);
  if (!file) throw new CliError(`No such file: ${purePathStr(path)}`);
  return file;
}
