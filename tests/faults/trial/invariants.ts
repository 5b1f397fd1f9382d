// The invariants every trial ends with, read from the index and the disk after the daemon has
// been killed and has finished its work:
//  - no request dropped: each copy or import request is complete, or still pending (never
//    cancelled by the daemon);
//  - no wrong `Y`: every copy registered healthy on a node of this machine is a regular file
//    whose size and MD5 are the file row's;
//  - nothing outside the node roots touched (snapshots taken before the faults), nor a pull's
//    source;
//  - no leftovers: no placeholder, `.alpentemp…` or rsync temporary in any root, and no rsync
//    still writing there;
//  - nothing lost: each file that had a healthy copy before the faults still has one.

import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { leftoversUnder, md5, snapshot, snapshotDiff, transfersWritingUnder } from "./disk.ts";
import type { TrialNode, World } from "./world.ts";

export interface Watched {
  readonly label: string;
  readonly dir: string;
  readonly before: Map<string, string>;
}

export function watch(label: string, dir: string): Watched {
  return { label, dir, before: snapshot(dir) };
}

export interface Findings {
  /** Requests neither complete nor pending: cancelled by nobody we asked. */
  readonly dropped: string[];
  /** Copies registered `Y` whose bytes on disk are not the file's. */
  readonly wrongY: string[];
  /** Changes outside the node roots or to a pull's source. */
  readonly touched: string[];
  readonly leftovers: string[];
  /** Files (acq/name) that had a healthy copy before and have none now. */
  readonly lost: string[];
}

export const findingsCount = (f: Findings) => f.dropped.length + f.wrongY.length + f.touched.length + f.leftovers.length + f.lost.length;

interface HealthyRow {
  node_id: number;
  root: string;
  acq: string;
  name: string;
  size_b: number | null;
  md5sum: string | null;
}

/** Healthy copies whose bytes on this machine are the file's, as acq/name per node id. */
async function healthyOnDisk(world: World, nodes: readonly TrialNode[]): Promise<{ good: Map<string, Set<number>>; wrong: string[] }> {
  const rows = await world.idx.db.all<HealthyRow>(
    "SELECT c.node_id AS node_id, n.root AS root, a.name AS acq, f.name AS name, f.size_b AS size_b, f.md5sum AS md5sum " +
      "FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id JOIN storagenode n ON c.node_id = n.id " +
      "WHERE c.has_file = 'Y'",
  );
  const local = new Set(nodes.map((n) => Number(n.id)));
  const good = new Map<string, Set<number>>();
  const wrong: string[] = [];
  for (const r of rows) {
    if (!local.has(Number(r.node_id))) continue;
    const rel = `${r.acq}/${r.name}`;
    const path = join(r.root, rel);
    const st = existsSync(path) ? lstatSync(path) : null;
    const why = !st
      ? "missing"
      : !st.isFile()
        ? "not a regular file"
        : st.size !== Number(r.size_b)
          ? `size ${st.size}, registered ${r.size_b}`
          : md5(readFileSync(path)) !== r.md5sum
            ? "MD5 differs from the registered one"
            : null;
    if (why) wrong.push(`${rel} on node #${r.node_id}: ${why}`);
    else {
      if (!good.has(rel)) good.set(rel, new Set());
      good.get(rel)!.add(Number(r.node_id));
    }
  }
  return { good, wrong };
}

/** Files (acq/name) with a healthy copy, verified on disk, on one of `nodes` now. */
export async function healthyFiles(world: World, nodes: readonly TrialNode[]): Promise<Set<string>> {
  return new Set((await healthyOnDisk(world, nodes)).good.keys());
}

export async function checkInvariants(world: World, nodes: readonly TrialNode[], watched: readonly Watched[], healthyBefore: ReadonlySet<string>): Promise<Findings> {
  const db = world.idx.db;
  const dropped: string[] = [];
  for (const r of await db.all<{ id: number; cancelled: number }>("SELECT id, cancelled FROM archivefilecopyrequest")) {
    if (Number(r.cancelled) !== 0) dropped.push(`copy request #${r.id} cancelled`);
  }
  const { good, wrong } = await healthyOnDisk(world, nodes);
  const touched = watched.flatMap((w) => snapshotDiff(w.before, snapshot(w.dir)).map((d) => `${w.label}: ${d}`));
  const leftovers: string[] = [];
  for (const n of nodes) {
    for (const p of leftoversUnder(n.root)) leftovers.push(`${n.name}: ${p}`);
    for (const pid of transfersWritingUnder(n.root)) leftovers.push(`${n.name}: transfer process ${pid} still writing`);
  }
  const lost = [...healthyBefore].filter((rel) => !good.has(rel));
  return { dropped, wrongY: wrong, touched, leftovers, lost };
}
