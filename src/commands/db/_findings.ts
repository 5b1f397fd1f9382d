// Pure parts of `alpenhorn db check`: the node-root overlap rule and the wording of each
// finding (one line each, prefixed by the check's name so that output can be grepped).

import { prettyBytes } from "../../common/format.ts";
import type { DanglingRef, DuplicateRequests, SizeMismatch, StaleRequest } from "../../index/queries/db-check.ts";

export interface Finding {
  /** The check that found it (a stable key for scripts: `--json`'s "check"). */
  readonly check: string;
  readonly message: string;
}

/** A node as the overlap rule needs it. */
export interface NodeRoot {
  readonly name: string;
  readonly host: string | null;
  readonly root: string | null;
}

/** A root without repeated or trailing slashes, so that `/a/` and `/a` compare equal. */
function cleanRoot(root: string): string {
  const s = root.replace(/\/+/g, "/");
  return s.length > 1 ? s.replace(/\/$/, "") : s;
}

/** Is `inner` the same directory as `outer` or below it (by name: symlinks are not followed)? */
export function rootWithin(inner: string, outer: string): boolean {
  const a = cleanRoot(inner);
  const b = cleanRoot(outer);
  return a === b || a.startsWith(b === "/" ? "/" : b + "/");
}

/**
 * Pairs of nodes on one host whose roots are equal or nested: two daemons' nodes (or one
 * daemon's two) would import, check and delete each other's files. Nodes without a host or root
 * are not compared. Each pair once, in the order given.
 */
export function overlappingRoots(nodes: readonly NodeRoot[]): Finding[] {
  const out: Finding[] = [];
  for (const [i, a] of nodes.entries()) {
    for (const b of nodes.slice(i + 1)) {
      if (a.host === null || a.root === null || b.root === null || a.host !== b.host) continue;
      let how: string | null = null;
      if (cleanRoot(a.root) === cleanRoot(b.root)) how = "share the root";
      else if (rootWithin(b.root, a.root)) how = `nest: ${b.name}'s root ${b.root} is inside ${a.name}'s root`;
      else if (rootWithin(a.root, b.root)) how = `nest: ${a.name}'s root ${a.root} is inside ${b.name}'s root`;
      if (how === null) continue;
      const text = how === "share the root" ? `nodes ${a.name} and ${b.name} on host ${a.host} share the root ${a.root}` : `nodes ${a.name} and ${b.name} on host ${a.host} ${how}`;
      out.push({ check: "node-roots", message: text });
    }
  }
  return out;
}

const ROW_NAMES: Record<string, string> = {
  archivefile: "file",
  storagenode: "node",
  archivefilecopy: "copy",
  archivefilecopyrequest: "copy request",
  archivefileimportrequest: "import request",
  storagetransferaction: "transfer action",
};

const TARGET_NAMES: Record<string, string> = {
  acq_id: "acquisition",
  group_id: "group",
  file_id: "file",
  node_id: "node",
  group_to_id: "group",
  node_from_id: "node",
};

export function danglingFinding(d: DanglingRef): Finding {
  return { check: "missing-reference", message: `${ROW_NAMES[d.table] ?? d.table} #${d.id}: ${d.column} ${d.ref} names no ${TARGET_NAMES[d.column] ?? "row"}` };
}

export function fileFinding(f: { id: number; path: string; size_b: number | null; md5sum: string | null }): Finding {
  const lacks = [f.size_b === null ? "size" : null, f.md5sum === null || f.md5sum === "" ? "MD5" : null].filter(Boolean).join(" or ");
  return { check: "file-metadata", message: `file ${f.path} (#${f.id}) has no ${lacks}` };
}

export function sizeFinding(m: SizeMismatch): Finding {
  return {
    check: "copy-size",
    message: `healthy copy of ${m.path} on ${m.node} (#${m.copy_id}) records ${m.copy_size} B (${prettyBytes(m.copy_size)}); the file is ${m.file_size} B (${prettyBytes(m.file_size)})`,
  };
}

export function duplicateFinding(d: DuplicateRequests): Finding {
  return { check: "duplicate-requests", message: `${d.ids.length} pending copy requests of ${d.path} into group ${d.group}: #${d.ids.join(", #")}` };
}

export function inactiveImportFinding(r: { id: number; node: string; path: string }): Finding {
  return { check: "inactive-import", message: `import request #${r.id} for ${r.path} on inactive node ${r.node}` };
}

export function staleFinding(r: StaleRequest, days: number): Finding {
  const what = r.kind === "copy" ? `copy request #${r.id} of ${r.what} into group ${r.where}` : `import request #${r.id} for ${r.what} on node ${r.where}`;
  return { check: "stale-request", message: `${what} pending since ${r.timestamp} (more than ${days} ${days === 1 ? "day" : "days"})` };
}
