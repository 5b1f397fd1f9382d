// Small formatting rules shared by the bulk commands' summaries: file-size totals with
// alpenhorn's "unknown size", plural words, and Python's code-point string order for listings.

import { prettyBytes } from "../../common/format.ts";
import { normalisePath } from "./resolve.ts";

/** A stored size (number, or a digit string from a MySQL BIGINT) as an exact integer. */
export function toBytes(v: number | string | bigint): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  return BigInt(v.trim().split(".")[0]!);
}

/** Σ sizes, or null ("unknown size") as soon as one size is NULL (the sync rule). */
export function totalOrUnknown(sizes: Iterable<number | string | null>): bigint | null {
  let total = 0n;
  for (const s of sizes) {
    if (s === null) return null;
    total += toBytes(s);
  }
  return total;
}

/** `pretty_bytes` of a total, or `unknown size`. */
export function sizeText(total: bigint | null): string {
  return total === null ? "unknown size" : prettyBytes(total);
}

/** `word` or `word + "s"` by count, as alpenhorn's messages choose. */
export function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

/** Python's str ordering (by code point; JS `<` differs for characters beyond U+FFFF). */
export function pyCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts a code point above every BMP character.
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x - y;
  }
  return a.length - b.length;
}

/** Sorted copy of `items` by Python string order of `key`. */
export function pySorted<T>(items: Iterable<T>, key: (t: T) => string): T[] {
  return [...items].sort((p, q) => pyCompare(key(p), key(q)));
}

/** `str(ArchiveFile.path)`: Python's PurePath(acq, name), normalised as pathlib prints it. */
export function filePath(acqName: string, name: string): string {
  if (name.startsWith("/")) return normalisePath(name);
  return normalisePath([acqName, name].filter((p) => p !== "").join("/"));
}
