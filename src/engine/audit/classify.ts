// Classification of a walk against the "before" snapshot (pure: no I/O), in two halves:
// classifyDir() joins one listed directory with the copies expected there (a hash join, linear)
// and runs on the fs thread that listed it, so no per-file data crosses to the main thread;
// the Classifier merges each directory's verdict into the totals and candidates. What is left
// unmatched at the end is a missing candidate, unless a directory above it could not be listed
// or was excluded — unknown is never absent (dynamo-consistency reported files below an
// unlisted directory as missing; here the whole subtree is blocked).

import { NAME_SEP, type CopyTable, type ExpectedDir } from "./copy-table.ts";
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

/** One directory's listing in the thread's terms: regular files as parallel arrays. */
export interface DirListing {
  readonly names: readonly string[];
  readonly sizes: ArrayLike<number>;
  /** max(mtime, ctime) in ms. */
  readonly times: ArrayLike<number>;
  readonly dirs: readonly string[];
  readonly mounts: readonly string[];
  readonly specials: readonly string[];
}

/** Candidate kinds in a DirVerdict. */
export const ORPHAN = 1;
export const MISMATCH = 2;
export const VERIFIABLE = 3;

/** Positions in DirVerdict.counts. */
const FILES = 0, BYTES = 1, OK_N = 2, OK_B = 3, IGN_N = 4, IGN_B = 5, YOUNG_N = 6, YOUNG_B = 7, RC_N = 8, RC_B = 9;

/** One directory classified: totals, the few candidates, and what the walk does next. */
export interface DirVerdict {
  /** files, bytes, ok, ok bytes, ignored, ignored bytes, young, young bytes, recorded corrupt, its bytes, regular files listed (ignored ones included). */
  readonly counts: number[];
  /** Candidates (ORPHAN, MISMATCH, VERIFIABLE) as parallel arrays; `k` is the expected position or -1. */
  readonly kind: number[];
  readonly name: string[];
  readonly size: number[];
  readonly time: number[];
  readonly k: number[];
  /** Expected positions registered present or suspect (Y/M) with no regular file here, ascending. */
  readonly unseen: number[];
  /** Not regular files (a copy row there is not missing). */
  readonly specials: string[];
  /** Subdirectories on another filesystem (not entered; their rows can never be missing). */
  readonly mounts: string[];
  /** Ignored subdirectories (their rows can never be missing). */
  readonly blocked: string[];
  /** Subdirectories to enter. */
  readonly enter: string[];
}

/** What a thread needs to classify: the cut-off, the ignore rules, the --verify sample rule. */
export interface ClassifyRules {
  /** Files whose max(mtime, ctime) is at or after this (ms since epoch) are in flight. */
  readonly cutoffMs: number;
  readonly ignore: IgnoreRules;
  /** Decides whether a matching file goes to the --verify pool (null: no verification). */
  readonly wantVerify: ((path: string) => boolean) | null;
}

export function classifyDir(rel: string, d: DirListing, expected: ExpectedDir | null, rules: ClassifyRules): DirVerdict {
  let files = 0, bytes = 0, okN = 0, okB = 0, ignN = 0, ignB = 0, youngN = 0, youngB = 0, rcN = 0, rcB = 0;
  const v: DirVerdict = { counts: [] as number[], kind: [], name: [], size: [], time: [], k: [], unseen: [], specials: [...d.specials], mounts: [...d.mounts], blocked: [], enter: [] };
  const atRoot = rel === "";
  const prefix = atRoot ? "" : rel + "/";
  const ignore = rules.ignore;
  const byName = new Map<string, number>();
  let matched: Uint8Array | null = null;
  if (expected) {
    const names = expected.names.split(NAME_SEP);
    for (let k = 0; k < names.length; k++) if (names[k] !== "") byName.set(names[k]!, k);
    matched = new Uint8Array(names.length);
  }
  const cand = (kind: number, name: string, size: number, time: number, k: number) => {
    v.kind.push(kind);
    v.name.push(name);
    v.size.push(size);
    v.time.push(time);
    v.k.push(k);
  };
  for (let i = 0; i < d.names.length; i++) {
    const name = d.names[i]!;
    const size = d.sizes[i]!;
    if (ignore.ignored(ignore.hasGlobs ? prefix + name : "", name, atRoot)) {
      ignN++;
      ignB += size;
      continue;
    }
    files++;
    bytes += size;
    const time = d.times[i]!;
    const k = byName.get(name) ?? -1;
    if (k >= 0) matched![k] = 1;
    if (time >= rules.cutoffMs) {
      youngN++;
      youngB += size;
      continue;
    }
    const has = k < 0 ? 4 : expected!.has[k]!;
    if (has === 4) cand(ORPHAN, name, size, time, k);
    else if (has === 3) {
      rcN++;
      rcB += size;
    } else {
      const want = expected!.size[k]!;
      if (want === want && want !== size) cand(MISMATCH, name, size, time, k);
      else {
        okN++;
        okB += size;
        if (has === 1 && rules.wantVerify?.(prefix + name)) cand(VERIFIABLE, name, size, time, k);
      }
    }
  }
  if (matched)
    for (let k = 0; k < matched.length; k++) {
      const has = expected!.has[k]!;
      if (matched[k] === 0 && (has === 1 || has === 2)) v.unseen.push(k);
    }
  for (const name of d.dirs) {
    if (ignore.ignored(ignore.hasGlobs ? prefix + name : "", name, atRoot)) {
      v.blocked.push(name);
      ignN++;
      continue;
    }
    v.enter.push(name);
  }
  v.counts.push(files, bytes, okN, okB, ignN, ignB, youngN, youngB, rcN, rcB, d.names.length);
  return v;
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
  readonly rules: ClassifyRules;

  constructor(
    private readonly table: CopyTable,
    ignore: IgnoreRules,
    cutoffMs: number,
    wantVerify: ((path: string) => boolean) | null = null,
  ) {
    this.rules = { cutoffMs, ignore, wantVerify };
  }

  /** Mark a subtree whose copies must not be reported missing. */
  block(rel: string): void {
    this.blocked.add(rel);
  }

  /** Classify a listing here (tests, and the fallback of the walk): see classifyDir. */
  onDir(rel: string, d: DirListing): string[] {
    return this.merge(rel, classifyDir(rel, d, this.table.expected(rel), this.rules));
  }

  /** Merge a directory classified by classifyDir (on an fs thread); returns the subdirectories to enter. */
  merge(rel: string, v: DirVerdict): string[] {
    const c = this.counts;
    const n = v.counts;
    c.dirs++;
    c.files += n[FILES]!;
    c.bytes += n[BYTES]!;
    c.ok.count += n[OK_N]!;
    c.ok.bytes += n[OK_B]!;
    c.ignored.count += n[IGN_N]!;
    c.ignored.bytes += n[IGN_B]!;
    c.young.count += n[YOUNG_N]!;
    c.young.bytes += n[YOUNG_B]!;
    c.recordedCorrupt.count += n[RC_N]!;
    c.recordedCorrupt.bytes += n[RC_B]!;
    const prefix = rel === "" ? "" : rel + "/";
    this.table.markSeen(rel, v.unseen);
    for (let i = 0; i < v.kind.length; i++) {
      const k = v.k[i]!;
      const cand: DiskCandidate = { path: prefix + v.name[i], size: v.size[i]!, time: v.time[i]!, row: k < 0 ? -1 : this.table.rowIn(rel, k) };
      (v.kind[i] === ORPHAN ? this.orphans : v.kind[i] === MISMATCH ? this.mismatches : this.verifiable).push(cand);
    }
    for (const name of v.specials) {
      this.nonRegular.add(prefix + name);
      c.specials++;
    }
    for (const name of v.mounts) this.blocked.add(prefix + name);
    for (const name of v.blocked) this.blocked.add(prefix + name);
    return v.enter;
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
