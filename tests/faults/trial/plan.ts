// The fault matrix's plan: how many trials of each kind (env FAULTS_TRIALS) and the seed every
// random choice of a run derives from (env FAULTS_SEED), so a failing trial is replayed by
// giving its seed back. A trial's own seed is derived from the run's seed, its kind, its
// database and its number, so trials do not shift when another kind is added or skipped.

/** Trials per kind and database when FAULTS_TRIALS is unset: the quick subset `npm test` runs. */
export const QUICK_TRIALS = 2;
/** The run's seed when FAULTS_SEED is unset (any fixed value: runs repeat unless told otherwise). */
export const DEFAULT_SEED = 20260419;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return n;
}

export const trialsPerKind = (): number => positiveInt("FAULTS_TRIALS", QUICK_TRIALS);
export const runSeed = (): number => positiveInt("FAULTS_SEED", DEFAULT_SEED);

/** FNV-1a over a text: a stable 32-bit number for a label. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The seed of trial `n` of `kind` on `backend` in a run seeded `seed`. */
export function trialSeed(seed: number, kind: string, backend: string, n: number): number {
  return hash32(`${seed}/${kind}/${backend}/${n}`);
}

/** A small seeded PRNG (mulberry32): the same seed gives the same choices. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  /** `n` bytes drawn from this generator (file contents that the seed reproduces). */
  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let i = 0;
    for (; i + 4 <= n; i += 4) out.writeUInt32LE(Math.floor(this.next() * 4294967296), i);
    for (; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
  /** A subset: each item kept with probability `p`. */
  subset<T>(items: readonly T[], p: number): T[] {
    return items.filter(() => this.chance(p));
  }
}
