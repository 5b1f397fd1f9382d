// Naive-UTC timestamps as the index stores them (src/common/time.ts): formatUtcMicros keeps the
// formatted second between calls, so it is pinned here against Date's own formatting, across
// second, day and year boundaries, in any order of calls, and round-tripped through parseUtc.

import { describe, expect, test } from "bun:test";
import { formatUtcMicros, parseUtc } from "../../../src/common/time.ts";

/** The same stamp made from scratch: Date's ISO form, with six fractional digits. */
function reference(micros: bigint): string {
  const second = micros / 1_000_000n - (micros % 1_000_000n < 0n ? 1n : 0n);
  const frac = micros - second * 1_000_000n;
  const iso = new Date(Number(second) * 1000).toISOString(); // YYYY-MM-DDTHH:MM:SS.000Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(frac).padStart(6, "0")}`;
}

describe("formatUtcMicros", () => {
  test("equals Date's formatting around second, day and year boundaries, in any call order", () => {
    const edges = [
      Date.UTC(2026, 11, 31, 23, 59, 59), // a year's last second
      Date.UTC(2024, 1, 29, 0, 0, 0), // a leap day
      Date.UTC(2026, 11, 6, 1, 2, 3),
      0, // the epoch
    ].map((ms) => BigInt(ms) * 1000n);
    const stamps: bigint[] = [];
    for (const e of edges) for (const d of [-1_000_001n, -1_000_000n, -999_999n, -1n, 0n, 1n, 999_999n, 1_000_000n, 1_000_001n, 59_999_999n]) stamps.push(e + d);
    // In order (the cache hit most of the time), then shuffled, then reversed (a miss each time).
    const orders = [stamps, [...stamps].sort(() => Math.random() - 0.5), [...stamps].reverse()];
    for (const order of orders) for (const m of order) expect([m, formatUtcMicros(m)]).toEqual([m, reference(m)]);
  });

  test("round-trips through parseUtc to the millisecond", () => {
    for (const ms of [Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 6, 1, 2, 3, 456), Date.UTC(1999, 11, 31, 23, 59, 59, 999)]) {
      const text = formatUtcMicros(BigInt(ms) * 1000n + 789n);
      expect(parseUtc(text)?.getTime()).toBe(ms);
    }
  });
});
