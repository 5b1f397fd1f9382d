// Classification of a walk against the "before" snapshot (pure: no I/O). Each listed
// directory is joined against the copy table as it arrives (a hash join, linear); what is left
// unmatched at the end is a missing candidate, unless a directory above it could not be
// listed or was excluded — unknown is never absent (dynamo-consistency reported files below an
// unlisted directory as missing; here the whole subtree is blocked).

import type { ListedDir } from "../fs/threads/audit-ops.ts";
import type { CopyTable } from "./copy-table.ts";
import type { IgnoreRules } from "./ignore.ts";

/** A file seen on disk that may become a finding; `row` is -1 when no copy row matched. */
export interface DiskCandidate {
  readonly path: string;
  readonly size: number;
  readonly time: number;
  readonly row: number;
}

export interface Tally {
  count: number;
  bytes: number;
}

const tally = (): Tally => ({ count: 0, bytes: 0 });

export interface WalkCounts {
  dirs: number;
  files: number;
  bytes: number;
  ok: Tally;
  ignored: Tally;
  /** Modified after the listing began (or within --min-age): never compared. */
  young: Tally;
  /** On disk with a copy recorded corrupt (X): the daemon knows; not a finding here. */
  recordedCorrupt: Tally;
  specials: number;
}

export class Classifier {
  readonly counts: WalkCounts = { dirs: 0, files: 0, bytes: 0, ok: tally(), ignored: tally(), young: tally(), recordedCorrupt: tally(), specials: 0 };
  readonly orphans: DiskCandidate[] = [];
  readonly mismatches: DiskCandidate[] = [];
  /** Files that match their copy (has Y, size equal): the pool for --verify md5. */
  readonly verifiable: DiskCandidate[] = [];
  /** Subtrees whose rows can never be missing: unknown, excluded, other filesystems, symlinks. */
  private readonly blocked = new Set<string>();
  /** Root-relative paths that exist but are not regular files (a copy row there is not missing). */
  private readonly nonRegular = new Set<string>();

  constructor(
    private readonly table: CopyTable,
    private readonly ignore: IgnoreRules,
    /** Files whose max(mtime, ctime) is at or after this (ms since epoch) are in flight. */
    private readonly cutoffMs: number,
    /** Decides whether a matching file goes to the --verify pool (null: no verification). */
    private readonly wantVerify: ((path: string) => boolean) | null = null,
  ) {}

  /** Mark a subtree whose copies must not be reported missing. */
  block(rel: string): void {
    this.blocked.add(rel);
  }

  /** Sub-directories of a listing to enter (ignored ones are counted, blocked and skipped). */
  onDir(rel: string, d: ListedDir): string[] {
    const c = this.counts;
    c.dirs++;
    const atRoot = rel === "";
    const prefix = atRoot ? "" : rel + "/";
    const t = this.table;
    for (let k = 0; k < d.names.length; k++) {
      const name = d.names[k]!;
      const path = prefix + name;
      const size = d.sizes[k]!;
      if (this.ignore.ignored(path, name, atRoot)) {
        c.ignored.count++;
        c.ignored.bytes += size;
        continue;
      }
      c.files++;
      c.bytes += size;
      const time = d.times[k]!;
      const row = t.rowOf(path);
      if (row !== undefined) t.seen[row] = 1;
      if (time >= this.cutoffMs) {
        c.young.count++;
        c.young.bytes += size;
        continue;
      }
      const has = row === undefined ? 4 : t.has[row]!;
      if (has === 4) this.orphans.push({ path, size, time, row: row ?? -1 });
      else if (has === 3) {
        c.recordedCorrupt.count++;
        c.recordedCorrupt.bytes += size;
      } else {
        const want = t.size[row!]!;
        if (want === want && want !== size) this.mismatches.push({ path, size, time, row: row! });
        else {
          c.ok.count++;
          c.ok.bytes += size;
          if (has === 1 && this.wantVerify?.(path)) this.verifiable.push({ path, size, time, row: row! });
        }
      }
    }
    for (const name of d.specials) {
      this.nonRegular.add(prefix + name);
      c.specials++;
    }
    for (const name of d.mounts) this.blocked.add(prefix + name);
    const enter: string[] = [];
    for (const name of d.dirs) {
      const path = prefix + name;
      if (this.ignore.ignored(path, name, atRoot)) {
        this.blocked.add(path);
        c.ignored.count++;
        continue;
      }
      enter.push(name);
    }
    return enter;
  }

  /** Whether `path` lies in (or is) a blocked subtree. */
  isBlocked(path: string): boolean {
    if (this.blocked.size === 0) return false;
    if (this.blocked.has(path)) return true;
    for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1)) if (this.blocked.has(path.slice(0, at))) return true;
    return false;
  }

  /** Rows registered present (Y) or suspect (M) that the walk did not find: missing candidates. */
  missingCandidates(): Array<{ path: string; row: number }> {
    const out: Array<{ path: string; row: number }> = [];
    const t = this.table;
    for (const [path, row] of t.unseen()) {
      const has = t.has[row]!;
      if (has !== 1 && has !== 2) continue;
      if (this.nonRegular.has(path) || this.isBlocked(path)) continue;
      out.push({ path, row });
    }
    return out;
  }
}
