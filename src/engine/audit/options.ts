// The audit's option values, parsed purely: durations (`90s`, `15m`, `2h`, `7d`), byte sizes
// (`500G`, `1.5T`, decimal or binary units), `--verify-subset k/n|x%`. Each parser throws a
// plain Error with the message the CLI shows as a usage error.

/** Seconds from `30`, `30s`, `15m`, `2h`, `7d`, `1.5h`. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a duration (e.g. 90s, 15m, 2h, 7d).`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[(m[2] ?? "s") as "s"];
  return Number(m[1]) * unit;
}

/** Bytes from `500`, `10k`, `500MB`, `2GiB`, `1.5T` (k/M/G/T: powers of 1000 with B, of 1024 with iB or bare). */
export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kKMGTP])(i?)B?|B)?\s*$/.exec(text);
  if (!m) throw new Error(`'${text}' is not a size (e.g. 500M, 2GiB, 1T).`);
  if (!m[2]) return Math.floor(Number(m[1]));
  const power = "kMGTP".indexOf(m[2] === "K" ? "k" : m[2]) + 1;
  const binary = m[3] === "i" || !/B$/.test(text.trim());
  return Math.floor(Number(m[1]) * (binary ? 1024 : 1000) ** power);
}

/** A verification budget: wall time or bytes read. */
export type Budget = { readonly kind: "time"; readonly seconds: number } | { readonly kind: "bytes"; readonly bytes: number };

/** `2h` → time; `500G` → bytes. A bare number is seconds. */
export function parseBudget(text: string): Budget {
  try {
    return { kind: "time", seconds: parseDuration(text) };
  } catch {
    try {
      return { kind: "bytes", bytes: parseBytes(text) };
    } catch {
      throw new Error(`'${text}' is neither a duration (2h) nor a size (500G).`);
    }
  }
}

/** restic's `--read-data-subset`: slice k of n (by path hash, deterministic) or x% (random). */
export type Subset = { readonly kind: "slice"; readonly k: number; readonly n: number } | { readonly kind: "percent"; readonly percent: number };

export function parseSubset(text: string): Subset {
  let m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (m) {
    const k = Number(m[1]);
    const n = Number(m[2]);
    if (n < 1 || k < 1 || k > n) throw new Error(`'${text}': need 1 ≤ k ≤ n in k/n.`);
    return { kind: "slice", k, n };
  }
  m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (m) {
    const percent = Number(m[1]);
    if (!(percent > 0 && percent <= 100)) throw new Error(`'${text}': the percentage must be in (0, 100].`);
    return { kind: "percent", percent };
  }
  throw new Error(`'${text}' is not a subset (k/n or x%).`);
}

/** 32-bit FNV-1a of a string's UTF-16 code units: cheap, stable across runs and hosts. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Whether `path` falls in the subset (`random` is used only for x%). */
export function inSubset(s: Subset, path: string, random: () => number = Math.random): boolean {
  if (s.kind === "slice") return fnv1a(path) % s.n === s.k - 1;
  return random() * 100 < s.percent;
}
