// The "before" snapshot of a node's copies, held compactly and grouped by directory: typed
// arrays per row (ids, indexed size, has_file, a hash of the row's state), and per directory
// the rows' numbers and their base names packed in one string. There is no object and no
// string per copy: a million copies take about 45 MB, and a directory's expected entries go
// to the fs thread that lists it in one message (classification happens there, classify.ts).

import type { HasFile } from "../../index/rows.ts";
import { fnv1a } from "./options.ts";

export const HAS_CODES: Record<HasFile, number> = { Y: 1, M: 2, X: 3, N: 4 };
const HAS: readonly HasFile[] = ["N", "Y", "M", "X", "N"];
/** Names are packed joined by NUL, the one byte no file name can hold. */
export const NAME_SEP = "\0";
/** Pending names are packed into a chunk once this many have accumulated. */
const CHUNK = 4096;

/** The copies expected in one directory, as sent to the fs thread that lists it. */
export interface ExpectedDir {
  /** Base names joined by NUL; a name that cannot be on disk is sent as "" (never matches). */
  readonly names: string;
  readonly size: Float64Array;
  readonly has: Uint8Array;
}

/** The rows of one directory. */
class DirRows {
  rows = new Int32Array(8);
  n = 0;
  private pending: string[] = [];
  private chunks: string[] = [];
  private decoded: string[] | null = null;
  constructor(readonly dir: string) {}

  push(row: number, name: string): void {
    if (this.n === this.rows.length) {
      const g = new Int32Array(this.n * 2);
      g.set(this.rows);
      this.rows = g;
    }
    this.rows[this.n++] = row;
    // NUL cannot be in a file name: such a row can never match, and must not shift the others.
    this.pending.push(name.includes(NAME_SEP) ? "" : name);
    if (this.pending.length >= CHUNK) this.pack();
    this.decoded = null;
  }

  /** Rows first … first+count-1, whose names are `joined` (NUL-joined, none holding NUL). */
  pushRun(first: number, count: number, joined: string): void {
    while (this.n + count > this.rows.length) {
      const g = new Int32Array(this.rows.length * 2);
      g.set(this.rows);
      this.rows = g;
    }
    for (let k = 0; k < count; k++) this.rows[this.n++] = first + k;
    // In order: the names pushed one by one before these go first.
    this.pack();
    this.chunks.push(joined);
    this.decoded = null;
  }

  pack(): void {
    if (this.pending.length) this.chunks.push(this.pending.join(NAME_SEP));
    this.pending = [];
  }

  names(): string {
    this.pack();
    if (this.chunks.length > 1) this.chunks = [this.chunks.join(NAME_SEP)];
    return this.chunks[0]!;
  }

  /** The base names, unpacked (only for directories with findings or lookups). */
  list(): string[] {
    return (this.decoded ??= this.names().split(NAME_SEP));
  }

  /** Shrink the row list to its length once reading is done. */
  trim(): void {
    if (this.rows.length !== this.n) this.rows = this.rows.slice(0, this.n);
    this.pack();
  }
}

export class CopyTable {
  private readonly dirs = new Map<string, DirRows>();
  /** Rows whose path can never be a walked path (an empty component): never sent, never seen. */
  private readonly odd: Array<{ path: string; row: number }> = [];
  private last: DirRows | null = null;
  /** Directories with names not yet packed (a pending name keeps the whole row's path alive). */
  private dirty: DirRows[] = [];
  private cap: number;
  private n = 0;
  copyId: Float64Array;
  fileId: Float64Array;
  /** The file's indexed size; NaN when the index has none. */
  size: Float64Array;
  has: Uint8Array;
  /** Hash of has_file + last_update: equal values mean "unchanged" between two reads. */
  state: Uint32Array;
  /** Set when the walk found a regular file at the path. */
  seen: Uint8Array;

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.copyId = new Float64Array(this.cap);
    this.fileId = new Float64Array(this.cap);
    this.size = new Float64Array(this.cap);
    this.has = new Uint8Array(this.cap);
    this.state = new Uint32Array(this.cap);
    this.seen = new Uint8Array(this.cap);
  }

  get length(): number {
    return this.n;
  }

  add(path: string, copyId: number, fileId: number, size: number | null, has: HasFile, lastUpdate: string): void {
    this.addRow(path, copyId, fileId, size === null ? NaN : size, HAS_CODES[has], stateHash(has, lastUpdate));
  }

  /** Add a row: `path` relative to the root, `has` a HAS_CODES code, `state` a stateHash. */
  addRow(path: string, copyId: number, fileId: number, size: number, has: number, state: number): void {
    const i = this.store(copyId, fileId, size, has, state);
    const cut = path.lastIndexOf("/");
    if (cut === 0 || cut === path.length - 1 || path.includes("//")) {
      this.odd.push({ path, row: i });
      return;
    }
    // Rows of one directory mostly come together: compare in place, without a substring.
    const d = this.last;
    if (d !== null && d.dir.length === (cut < 0 ? 0 : cut) && path.startsWith(d.dir) && (cut < 0) === (d.dir === "")) d.push(i, cut < 0 ? path : path.slice(cut + 1));
    else this.dirRows(cut < 0 ? "" : path.slice(0, cut)).push(i, cut < 0 ? path : path.slice(cut + 1));
  }

  /**
   * addRow(`dir/name`) for a `dir` that is neither empty nor ends in or doubles a slash and a
   * `name` without a slash: the path is never made, and rows of one directory (one acquisition)
   * find it by identity.
   */
  addInDir(dir: string, name: string, copyId: number, fileId: number, size: number, has: number, state: number): void {
    this.dirRows(dir).push(this.store(copyId, fileId, size, has, state), name);
  }

  /**
   * addInDir for `count` rows at once, from packed columns (snapshot-pages.ts) starting at
   * `start`: `joined` is their names joined by NUL, each a plain base name.
   */
  addRun(dir: string, joined: string, count: number, cols: { copyId: Float64Array; fileId: Float64Array; size: Float64Array; has: Uint8Array; state: Uint32Array }, start: number): void {
    while (this.n + count > this.cap) this.grow();
    const first = this.n;
    const end = start + count;
    this.copyId.set(cols.copyId.subarray(start, end), first);
    this.fileId.set(cols.fileId.subarray(start, end), first);
    this.size.set(cols.size.subarray(start, end), first);
    this.has.set(cols.has.subarray(start, end), first);
    this.state.set(cols.state.subarray(start, end), first);
    this.n += count;
    this.dirRows(dir).pushRun(first, count, joined);
  }

  /** Store one row's numbers; its row number. */
  private store(copyId: number, fileId: number, size: number, has: number, state: number): number {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.copyId[i] = copyId;
    this.fileId[i] = fileId;
    this.size[i] = size;
    this.has[i] = has;
    this.state[i] = state;
    return i;
  }

  /** The rows of `dir` (the last one used, mostly: rows of one directory come together). */
  private dirRows(dir: string): DirRows {
    let d = this.last;
    if (d === null || d.dir !== dir) {
      d = this.dirs.get(dir) ?? null;
      if (d === null) this.dirs.set(dir, (d = new DirRows(dir)));
      this.last = d;
      this.dirty.push(d);
    }
    return d;
  }

  /** Pack the names added since the last call (after each page read, so the rows can go). */
  pack(): void {
    for (const d of this.dirty) d.pack();
    this.dirty = [];
  }

  /** Reading is done: release spare capacity. */
  finish(): void {
    this.pack();
    for (const d of this.dirs.values()) d.trim();
    if (this.cap > this.n + 16 + (this.n >> 3)) {
      this.cap = this.n + 16;
      this.copyId = this.copyId.slice(0, this.cap);
      this.fileId = this.fileId.slice(0, this.cap);
      this.size = this.size.slice(0, this.cap);
      this.has = this.has.slice(0, this.cap);
      this.state = this.state.slice(0, this.cap);
      this.seen = this.seen.slice(0, this.cap);
    }
  }

  /** Copies expected in the root-relative directory `dir` ("" is the root), or null for none. */
  expected(dir: string): ExpectedDir | null {
    const d = this.dirs.get(dir);
    if (!d) return null;
    const size = new Float64Array(d.n);
    const has = new Uint8Array(d.n);
    for (let k = 0; k < d.n; k++) {
      const r = d.rows[k]!;
      size[k] = this.size[r]!;
      has[k] = this.has[r]!;
    }
    return { names: d.names(), size, has };
  }

  /** Number of copies expected in `dir` (a cost estimate for batching). */
  expectedCount(dir: string): number {
    return this.dirs.get(dir)?.n ?? 0;
  }

  /** Row number of the k-th expected entry of `dir`. */
  rowIn(dir: string, k: number): number {
    return this.dirs.get(dir)!.rows[k]!;
  }

  /**
   * The walk listed `dir`: mark its expected rows seen, except the positions in `unseen`
   * (ascending). A directory listed twice (overlapping scopes) keeps whatever either saw.
   */
  markSeen(dir: string, unseen: ArrayLike<number>): void {
    const d = this.dirs.get(dir);
    if (!d) return;
    let u = 0;
    for (let k = 0; k < d.n; k++) {
      if (u < unseen.length && unseen[u] === k) {
        u++;
        continue;
      }
      this.seen[d.rows[k]!] = 1;
    }
  }

  rowOf(path: string): number | undefined {
    const cut = path.lastIndexOf("/");
    const d = this.dirs.get(cut < 0 ? "" : path.slice(0, cut));
    if (d) {
      const k = d.list().indexOf(cut < 0 ? path : path.slice(cut + 1));
      if (k >= 0) return d.rows[k];
    }
    return this.odd.find((o) => o.path === path)?.row;
  }

  hasFile(i: number): HasFile {
    return HAS[this.has[i]!]!;
  }

  /** Rows never matched by the walk, with their paths, in the order read (copy id order). */
  unseen(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const d of this.dirs.values()) {
      let names: string[] | null = null;
      for (let k = 0; k < d.n; k++) {
        const r = d.rows[k]!;
        if (this.seen[r] !== 0) continue;
        names ??= d.list();
        out.push([d.dir === "" ? names[k]! : `${d.dir}/${names[k]}`, r]);
      }
    }
    for (const o of this.odd) if (this.seen[o.row] === 0) out.push([o.path, o.row]);
    return out.sort((a, b) => a[1] - b[1]);
  }

  private grow(): void {
    this.cap = Math.ceil(this.cap * 1.5);
    const g = <T extends Float64Array | Uint8Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.copyId = g(this.copyId);
    this.fileId = g(this.fileId);
    this.size = g(this.size);
    this.has = g(this.has);
    this.state = g(this.state);
    this.seen = g(this.seen);
  }
}

/**
 * has_file and last_update folded into 32 bits. A collision (1 in 4e9) could make a changed row
 * look unchanged; such a finding still has to survive the re-stat, and --fix compares the
 * full values it read last in its guarded update.
 */
export function stateHash(has: HasFile, lastUpdate: string): number {
  return fnv1a(has + lastUpdate);
}
