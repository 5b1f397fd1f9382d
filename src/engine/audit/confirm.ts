// Confirming candidates after the listing (the audit's last line of defence against races):
// each must be unchanged between the before and after reads of the index, and a fresh lstat
// must agree with what the walk saw — still absent for a missing file, same size and times
// for anything on disk. Whatever fails either test is dropped and counted, never reported.

import type { Db } from "../../index/driver/types.ts";
import type { FsPool } from "../fs/threads/pool.ts";
import type { DiskCandidate } from "./classify.ts";
import type { CopyTable } from "./copy-table.ts";
import type { Finding } from "./findings.ts";
import { readStates, readStatesByPath, type AfterState } from "./snapshot.ts";

const RESTAT_BATCH = 1000;
const iso = (ms: number) => new Date(ms).toISOString();

export interface Candidates {
  readonly missing: Array<{ path: string; row: number }>;
  readonly mismatches: DiskCandidate[];
  readonly orphans: DiskCandidate[];
}

export interface Confirmed {
  readonly findings: Finding[];
  readonly changed: number;
}

function unchanged(table: CopyTable, row: number, after: AfterState | undefined): after is AfterState {
  return after !== undefined && after.state === table.state[row];
}

async function restat(pool: FsPool, root: string, paths: string[], timeout: number) {
  const out: Array<[number, number] | "other" | null> = [];
  for (let i = 0; i < paths.length; i += RESTAT_BATCH) {
    const part = paths.slice(i, i + RESTAT_BATCH).map((p) => `${root}/${p}`);
    out.push(...(await pool.call("auditRestat", [part], { timeout, what: `lstat of ${part.length} paths` })));
  }
  return out;
}

export async function confirm(db: Db, nodeId: number, pool: FsPool, root: string, table: CopyTable, c: Candidates, timeout: number): Promise<Confirmed> {
  const byId = await readStates(db, [...c.missing.map((m) => table.copyId[m.row]!), ...c.mismatches.map((m) => table.copyId[m.row]!)]);
  const byPath = c.orphans.length ? await readStatesByPath(db, nodeId, new Set(c.orphans.map((o) => o.path)), table.length) : new Map<string, AfterState>();
  const findings: Finding[] = [];
  let changed = 0;
  const base = (row: number) => ({ index_size: Number.isNaN(table.size[row]!) ? null : table.size[row]!, file_id: table.fileId[row]!, sightings: 1, action: null });

  const missing = c.missing.filter((m) => {
    const after = byId.get(table.copyId[m.row]!);
    const ok = unchanged(table, m.row, after) && (after.has === "Y" || after.has === "M");
    if (!ok) changed++;
    return ok;
  });
  const gone = await restat(pool, root, missing.map((m) => m.path), timeout);
  missing.forEach((m, i) => {
    if (gone[i] !== null) return void changed++;
    const after = byId.get(table.copyId[m.row]!)!;
    findings.push({ class: "missing", path: m.path, disk_size: null, disk_mtime: null, has_file: after.has, last_update: after.lastUpdate, copy_id: after.copyId, ...base(m.row) });
  });

  const onDisk: Array<{ cand: DiskCandidate; after: AfterState | undefined; cls: "mismatch" | "orphan" }> = [];
  for (const m of c.mismatches) {
    const after = byId.get(table.copyId[m.row]!);
    if (unchanged(table, m.row, after) && (after.has === "Y" || after.has === "M")) onDisk.push({ cand: m, after, cls: "mismatch" });
    else changed++;
  }
  for (const o of c.orphans) {
    const after = byPath.get(o.path);
    // No row before: any row now means it was registered during the audit. A row recorded
    // absent (N) before must still be the same N row.
    const ok = o.row < 0 ? after === undefined : unchanged(table, o.row, after) && after.has === "N";
    if (ok) onDisk.push({ cand: o, after, cls: "orphan" });
    else changed++;
  }
  const now = await restat(pool, root, onDisk.map((d) => d.cand.path), timeout);
  onDisk.forEach((d, i) => {
    const s = now[i];
    if (!Array.isArray(s) || s[0] !== d.cand.size || s[1] !== d.cand.time) return void changed++;
    const row = d.cand.row;
    findings.push({
      class: d.cls,
      path: d.cand.path,
      disk_size: d.cand.size,
      disk_mtime: iso(d.cand.time),
      has_file: d.after?.has ?? null,
      last_update: d.after?.lastUpdate ?? null,
      copy_id: d.after?.copyId ?? null,
      ...(row >= 0 ? base(row) : { index_size: null, file_id: null, sightings: 1, action: null }),
    });
  });
  return { findings, changed };
}
