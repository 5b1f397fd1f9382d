// Human-readable sizes, times and config blocks exactly as alpenhorn prints them
// (pretty_bytes, pretty_time, pretty_deltat, the `show` I/O config block).
import { pyFormatFixed, pyFormatFloat, pyIntBig, pyLen, pyRjust, pyStr, pyTruthy } from "./pyfmt.ts";
import { PyJsonDecodeError, pyJsonParse } from "./pyjson.ts";

/** Python format(x, ".Nf"): exact binary value, ties to even (1.0625 → "1.062" at N=3). */
export function formatFixed(x: number, digits: number): string {
  return Number.isInteger(digits) && digits >= 0 ? pyFormatFixed(x, digits) : pyFormatFloat(x, `.${digits}f`);
}

/** Python format(x, "g"): 6 significant digits, `1e+16`, `1.5e-05`, `inf`, `nan`, `-0`. */
export function formatG(x: number): string {
  return pyFormatFloat(x, "g");
}

const DECIMAL_RE = /^\s*([+-]?)(\d+)(?:\.\d*)?\s*$/;

// Python int(num): ints as-is, floats truncated toward zero; numeric strings as int() reads
// them, plus decimal strings (a database DECIMAL sum arrives as text), also truncated.
function toBigInt(n: number | bigint | string | boolean): bigint {
  if (typeof n === "bigint") return n;
  if (typeof n === "boolean") return n ? 1n : 0n;
  if (typeof n === "number") {
    if (!Number.isFinite(n)) throw new RangeError(`cannot convert float ${n} to integer`);
    return BigInt(Math.trunc(n));
  }
  const i = pyIntBig(n);
  if (i !== null) return i;
  const m = DECIMAL_RE.exec(n);
  if (!m) throw new TypeError(`invalid literal for int() with base 10: ${JSON.stringify(n)}`);
  const v = BigInt(m[2]!);
  return m[1] === "-" ? -v : v;
}

const UNITS = "kMGTPE";

/**
 * alpenhorn's pretty_bytes: `-` for null, `52 B`, `1.000 kiB`, `12.06 kiB`, `120.6 kiB`, up to
 * EiB; ≥ 2^70 as `{n} B`. The unit is chosen on the exact integer and the value rounded
 * afterwards, so `1024.0 kiB` and `100.00 kiB` can appear, as in the original.
 */
export function prettyBytes(n: number | bigint | string | boolean | null | undefined): string {
  if (n === null || n === undefined) return "-";
  if (typeof n === "number" && Number.isFinite(n)) return prettyBytesNumber(Math.trunc(n));
  let num = toBigInt(n);
  let sign = "";
  if (num < 0n) {
    sign = "-";
    num = -num;
  }
  if (num < 1024n) return `${sign}${num} B`;
  for (let x = 0; x < UNITS.length; x++) {
    if (num < 1n << BigInt((2 + x) * 10)) {
      // Number(bigint) rounds to nearest like Python's int/int true division; the power-of-two
      // divisor is then exact.
      const v = Number(num) / 2 ** ((1 + x) * 10);
      const digits = v >= 100 ? 1 : v >= 10 ? 2 : 3;
      return `${sign}${formatFixed(v, digits)} ${UNITS[x]}iB`;
    }
  }
  return `${sign}${num} B`;
}

// prettyBytes for an integral finite double: the same steps in doubles, all exact (comparisons
// with powers of two, division by one), so no BigInt is needed.
function prettyBytesNumber(t: number): string {
  const sign = t < 0 ? "-" : "";
  const num = Math.abs(t);
  if (num < 1024) return `${sign}${num} B`;
  let limit = 1048576; // 2^20
  let div = 1024;
  for (let x = 0; x < UNITS.length; x++) {
    if (num < limit) {
      const v = num / div;
      const digits = v >= 100 ? 1 : v >= 10 ? 2 : 3;
      return `${sign}${pyFormatFixed(v, digits)} ${UNITS[x]}iB`;
    }
    limit *= 1024;
    div *= 1024;
  }
  return `${sign}${BigInt(num)} B`;
}

// "00".."99": ctime runs once per listed row.
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));

function pad2(n: number): string {
  return TWO_DIGITS[n] ?? String(n).padStart(2, "0");
}

// Python float divmod (CPython float_divmod), so odd inputs (inf, nan) behave the same.
function pyDivmod(vx: number, wx: number): [number, number] {
  // C truth tests: NaN counts as true there, so compare with 0 instead of relying on JS truthiness.
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod !== 0) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else {
    mod = Math.sign(wx) * 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

function truncStr(x: number): string {
  return BigInt(Math.trunc(x)).toString();
}

/** alpenhorn's pretty_deltat: `342h56m07s`, `20m34s`, `2m03s`, `12.0s`, `0.0s`, `-1.0s`. */
export function prettyDeltaT(seconds: number): string {
  if (seconds < 0) return `${formatFixed(seconds, 1)}s`;
  const [hours, rest] = pyDivmod(seconds, 3600);
  const [minutes, secs] = pyDivmod(rest, 60);
  if (hours > 0) return `${truncStr(hours)}h${truncStr(minutes).padStart(2, "0")}m${truncStr(secs).padStart(2, "0")}s`;
  if (minutes > 0) return `${truncStr(minutes)}m${truncStr(secs).padStart(2, "0")}s`;
  return `${formatFixed(secs, 1)}s`;
}

// peewee's DateTimeField formats, tried in order, with strptime's field patterns
// (1- or 2-digit fields, space-padded day, any whitespace run for the blank).
const ND = "\\p{Nd}";
const DATE_PART = `(${ND}{4})-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]${ND}|0[1-9]|[1-9]| [1-9])`;
const TIME_PART = `(2[0-3]|[01]${ND}|${ND}):([0-5]${ND}|${ND}):(6[01]|[0-5]${ND}|${ND})`;
const DATETIME_FORMATS = [
  new RegExp(`^${DATE_PART}\\s+${TIME_PART}\\.([0-9]{1,6})$`, "iu"),
  new RegExp(`^${DATE_PART}\\s+${TIME_PART}$`, "iu"),
  new RegExp(`^${DATE_PART}$`, "iu"),
];

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Proleptic Gregorian weekday (0 = Sunday), as Python's datetime uses.
const WEEKDAY_OFFSETS = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
function weekday(y: number, m: number, d: number): number {
  const t = WEEKDAY_OFFSETS;
  const yy = m < 3 ? y - 1 : y;
  return (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + t[m - 1]! + d) % 7;
}

type Fields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

function digitValue(s: string): number {
  return Number(pyIntBig(s.trim()));
}

// Two ASCII digits at s[i], or -1.
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 0x30;
  const b = s.charCodeAt(i + 1) - 0x30;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

// The common shapes `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DD HH:MM:SS.f{1,6}` in ASCII digits with
// in-range, valid fields: the first format that matches them (the first for the fraction form,
// the second without) reads the same fields, so the result is what the general path returns.
// null sends anything else (or anything doubtful) to the general path.
function parseCanonical(s: string): Fields | null {
  const len = s.length;
  if (len !== 19 && (len < 21 || len > 26)) return null;
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x20) return null;
  if (s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return null;
  if (len > 19) {
    if (s.charCodeAt(19) !== 0x2e) return null;
    for (let i = 20; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return null;
    }
  }
  const y1 = digits2(s, 0);
  const y2 = digits2(s, 2);
  const mo = digits2(s, 5);
  const d = digits2(s, 8);
  const h = digits2(s, 11);
  const mi = digits2(s, 14);
  const sec = digits2(s, 17);
  if (y1 < 0 || y2 < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  const y = y1 * 100 + y2;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return [y, mo, d, h, mi, sec];
}

function parseNaiveDatetime(s: string): Fields | null {
  const fast = parseCanonical(s);
  if (fast) return fast;
  for (const re of DATETIME_FORMATS) {
    const m = re.exec(s);
    if (!m) continue;
    const f = Array.from({ length: 6 }, (_, i) => (m[i + 1] === undefined ? 0 : digitValue(m[i + 1]!))) as Fields;
    // datetime() rejects what the patterns let through; strptime then tries the next format.
    if (f[0] < 1 || f[2] > daysInMonth(f[0], f[1]) || f[5] > 59) continue;
    return f;
  }
  return null;
}

function ctime([y, mo, d, h, mi, s]: Fields): string {
  const day = d >= 0 && d < 10 ? ` ${d}` : String(d);
  const year = y >= 1000 ? String(y) : String(y).padStart(4, "0");
  return `${DAY_NAMES[weekday(y, mo, d)]} ${MONTH_NAMES[mo - 1]} ${day} ${pad2(h)}:${pad2(mi)}:${pad2(s)} ${year}`;
}

/**
 * alpenhorn's pretty_time: `datetime.ctime() + " UTC"` (`Mon Jan  1 01:01:01 2001 UTC`).
 * Takes the stored naive-UTC text (`YYYY-MM-DD HH:MM:SS[.ffffff]` or `YYYY-MM-DD`) or a Date
 * read as UTC. Falsy values (NULL, 0, "") give `-`; text peewee could not parse is returned
 * raw, as is a non-zero number (the original would crash on both).
 */
export function prettyTime(t: string | Date | number | null | undefined): string {
  if (!t) return "-";
  if (typeof t === "number") return String(t);
  if (t instanceof Date) {
    if (Number.isNaN(t.getTime())) return String(t);
    return `${ctime([t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()])} UTC`;
  }
  const f = parseNaiveDatetime(t);
  return f ? `${ctime(f)} UTC` : t;
}

/**
 * The I/O config block of `group show` / `node show`, one string per output line: `  none`
 * for NULL/empty text, `INVALID (JSON decode error)`, `  empty` for a falsy decoded value,
 * else `  {key right-justified to min(longest key, 30)}: {Python str(value)}` in stored order.
 * A truthy non-object (e.g. `[1]`) throws, where the original crashes.
 */
export function formatConfigBlock(stored: string | null | undefined): string[] {
  if (!stored) return ["  none"];
  let config;
  try {
    config = pyJsonParse(stored);
  } catch (err) {
    if (err instanceof PyJsonDecodeError) return ["INVALID (JSON decode error)"];
    throw err;
  }
  if (!pyTruthy(config)) return ["  empty"];
  if (!(config instanceof Map)) throw new TypeError(`I/O config is not a JSON object: ${stored}`);
  const keylen = Math.min(Math.max(...[...config.keys()].map(pyLen)), 30);
  return [...config].map(([key, value]) => `  ${pyRjust(key, keylen)}: ${pyStr(value)}`);
}
