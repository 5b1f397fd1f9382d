// Naive-UTC timestamps as alpenhorn stores them: `YYYY-MM-DD HH:MM:SS.ffffff`.

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Microseconds since the epoch, from a high-resolution clock so the fraction is always full. */
function nowMicros(): bigint {
  return BigInt(Math.floor(performance.timeOrigin * 1000)) + BigInt(Math.floor(performance.now() * 1000));
}

/** The date and time of the last second formatted (a pull batch stamps thousands of rows in one). */
let stampedSecond: bigint | undefined;
let secondPrefix = "";

/** Format epoch microseconds as a naive-UTC datetime string with six fractional digits. */
export function formatUtcMicros(micros: bigint): string {
  let second = micros / 1_000_000n;
  let frac = micros % 1_000_000n;
  if (frac < 0n) {
    frac += 1_000_000n;
    second -= 1n;
  }
  if (second !== stampedSecond) {
    const d = new Date(Number(second) * 1000);
    secondPrefix = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.`;
    stampedSecond = second;
  }
  return secondPrefix + pad(Number(frac), 6);
}

/** The current time as a naive-UTC string, for every timestamp the index records. */
export function utcNow(): string {
  return formatUtcMicros(nowMicros());
}

/** Parse a stored naive-UTC datetime (with or without fraction, or a bare date); null if not one. */
export function parseUtc(value: unknown): Date | null {
  if (typeof value !== "string") return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", f = "0"] = m;
  const ms = Math.floor(Number(f.padEnd(6, "0")) / 1000);
  return new Date(Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, ms));
}
