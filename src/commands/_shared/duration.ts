// `--timeout DUR`: a whole number of seconds, optionally with a unit (pure).
// `90` and `90s` are seconds, `15m` minutes, `2h` hours; fractions are refused so that a
// script's typo (`1.5.0`, `15 m`) is a usage error rather than a surprise.

const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600 };

/** Seconds meant by DUR, or null when it is not of the form N, Ns, Nm or Nh (N > 0). */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)([smh]?)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isSafeInteger(n) || n <= 0) return null;
  return n * UNIT_SECONDS[m[2]!]!;
}

/** A duration the way the wait summary prints it: `42s`, `3m05s`, `1h02m03s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h) return `${h}h${String(m).padStart(2, "0")}m${String(rest).padStart(2, "0")}s`;
  if (m) return `${m}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}
