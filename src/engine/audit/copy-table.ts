// The "before" snapshot of a node's copies, held compactly: one Map from root-relative path to
// a row number, and typed arrays for the rest. A million copies as plain row objects take
// about 230 MB; this way the audit stays within its 300 MB budget at that size.

import type { HasFile } from "../../index/rows.ts";
import { fnv1a } from "./options.ts";

const CODES: Record<HasFile, number> = { Y: 1, M: 2, X: 3, N: 4 };
const HAS: readonly HasFile[] = ["N", "Y", "M", "X", "N"];

export class CopyTable {
  private readonly index = new Map<string, number>();
  private cap = 1024;
  private n = 0;
  copyId = new Float64Array(this.cap);
  fileId = new Float64Array(this.cap);
  /** The file's indexed size; NaN when the index has none. */
  size = new Float64Array(this.cap);
  has = new Uint8Array(this.cap);
  /** Hash of has_file + last_update: equal values mean "unchanged" between two reads. */
  state = new Uint32Array(this.cap);
  /** Set when the walk found a regular file at the path. */
  seen = new Uint8Array(this.cap);

  get length(): number {
    return this.n;
  }

  add(path: string, copyId: number, fileId: number, size: number | null, has: HasFile, lastUpdate: string): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.index.set(path, i);
    this.copyId[i] = copyId;
    this.fileId[i] = fileId;
    this.size[i] = size === null ? NaN : size;
    this.has[i] = CODES[has];
    this.state[i] = stateHash(has, lastUpdate);
  }

  rowOf(path: string): number | undefined {
    return this.index.get(path);
  }

  hasFile(i: number): HasFile {
    return HAS[this.has[i]!]!;
  }

  /** Rows never matched by the walk, with their paths. */
  *unseen(): Generator<[string, number]> {
    for (const [path, i] of this.index) if (this.seen[i] === 0) yield [path, i];
  }

  private grow(): void {
    this.cap *= 2;
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
