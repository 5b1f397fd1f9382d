// Pre-flight of an audit (each refusal one line, exit 4): the node is active, belongs to this
// host, its root is a directory holding an ALPENHORN_NODE file naming the node (an unmounted
// disk must never read as "everything missing"), and no other audit of it is running. Other
// nodes whose roots lie inside this root are found here, to be excluded from the walk.

import { AuditStartError } from "../../common/errors.ts";
import type { Db } from "../../index/driver/types.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { FsPool } from "../fs/threads/pool.ts";

export interface PreflightOptions {
  readonly allowInactive: boolean;
  readonly anyHost: boolean;
  /** This host's name as the daemon decides it (daemon.host, base.hostname, short host name). */
  readonly host: string;
  readonly timeout: number;
}

export interface Preflight {
  /** The root as recorded, without a trailing slash. */
  readonly root: string;
  readonly rootDev: number;
  /** Other nodes' roots strictly inside this root (absolute path → node name). */
  readonly nested: Map<string, string>;
}

const trimRoot = (r: string) => (r.length > 1 ? r.replace(/\/+$/, "") : r);

/**
 * The index half of the pre-flight (no filesystem call): the node is active, on this host and
 * has a root; other nodes' roots inside it.
 */
export async function checkNode(db: Db, node: StorageNodeRow, o: PreflightOptions): Promise<Omit<Preflight, "rootDev">> {
  const name = node.name;
  if (!Number(node.active) && !o.allowInactive) throw new AuditStartError(`node "${name}" is not active (use --allow-inactive to audit it anyway)`);
  if (node.host !== o.host && !o.anyHost) throw new AuditStartError(`node "${name}" is on host "${node.host ?? ""}", not on this host "${o.host}" (use --any-host to audit it anyway)`);
  if (!node.root) throw new AuditStartError(`node "${name}" has no root`);
  const root = trimRoot(node.root);
  const nested = new Map<string, string>();
  for (const other of await selectNodes(db)) {
    if (other.id === node.id || !other.root) continue;
    if (other.host !== node.host) continue;
    const r = trimRoot(other.root);
    if (r.startsWith(root === "/" ? "/" : root + "/") && r !== root) nested.set(r, other.name);
  }
  return { root, nested };
}

/** The filesystem half, on the fs threads: the root is a directory whose ALPENHORN_NODE names the node. Returns its device. */
export async function checkRoot(pool: FsPool, name: string, root: string, timeout: number): Promise<number> {
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new AuditStartError(`node "${name}": cannot ${what} ${root}: ${(err as Error).message}`);
    }
  };
  const st = await call("stat", () => pool.call("stat", [root], { timeout }));
  if (st === null || st.kind !== "dir") throw new AuditStartError(`node "${name}": root ${root} is not a directory`);
  const first = await call("read ALPENHORN_NODE in", () => pool.call("readFirstLine", [`${root}/ALPENHORN_NODE`], { timeout }));
  if (first === null) throw new AuditStartError(`node "${name}": no ALPENHORN_NODE file in ${root} (not mounted, or not initialised?)`);
  if (first.trim() !== name) throw new AuditStartError(`node "${name}": ${root}/ALPENHORN_NODE names "${first.trim()}", not this node`);
  return st.dev;
}

export async function preflight(db: Db, pool: FsPool, node: StorageNodeRow, o: PreflightOptions): Promise<Preflight> {
  const n = await checkNode(db, node, o);
  return { ...n, rootDev: await checkRoot(pool, node.name, n.root, o.timeout) };
}
