// Human-readable sizes, times and config blocks exactly as alpenhorn prints them
// (pretty_bytes, pretty_time, pretty_deltat, the `show` I/O config block).
import { pyFormatFloat, pyIntBig, pyLen, pyRjust, pyStr, pyTruthy } from "./pyfmt.ts";
import { PyJsonDecodeError, pyJsonParse } from "./pyjson.ts";

/** Python format(x, ".Nf"): exact binary value, ties to even (1.0625 → "1.062" at N=3). */
export function formatFixed(x: number, digits: number): string {
  return pyFormatFloat(x, `.${digits}f`);
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

function pad2(n: number): string {
  return String(n).padStart(2, "0");
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
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

// Proleptic Gregorian weekday (0 = Sunday), as Python's datetime uses.
function weekday(y: number, m: number, d: number): number {
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  const yy = m < 3 ? y - 1 : y;
  return (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + t[m - 1]! + d) % 7;
}

type Fields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

function digitValue(s: string): number {
  return Number(pyIntBig(s.trim()));
}

function parseNaiveDatetime(s: string): Fields | null {
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
  const day = String(d).padStart(2, " ");
  return `${DAY_NAMES[weekday(y, mo, d)]} ${MONTH_NAMES[mo - 1]} ${day} ${pad2(h)}:${pad2(mi)}:${pad2(s)} ${String(y).padStart(4, "0")}`;
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
