// Python-parity value helpers: int()/float() parsing, exact float formatting, str()/repr()
// (json.loads/json.dumps are in pyjson.ts).
// The CLI must match the Python original byte for byte, so these follow CPython 3.11 rules.

/** Characters Python's str.isspace() accepts (used by strip() and by int()/float()). */
const PY_WS = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP_RE = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, "g");
const RSTRIP_RE = new RegExp(`[${PY_WS}]+$`);

/** Python str.strip() with no argument. */
export function pyStrip(s: string): string {
  return s.replace(STRIP_RE, "");
}

/** Python str.rstrip() with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(RSTRIP_RE, "");
}

const SURROGATE_RE = /[\ud800-\udfff]/;

/** Python len(): code points, not UTF-16 units. */
export function pyLen(s: string): number {
  if (!SURROGATE_RE.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Python str.rjust(width) with spaces. */
export function pyRjust(s: string, width: number): string {
  const pad = width - pyLen(s);
  return pad > 0 ? " ".repeat(pad) + s : s;
}

/** Python str.ljust(width) with spaces. */
export function pyLjust(s: string, width: number): string {
  const pad = width - pyLen(s);
  return pad > 0 ? s + " ".repeat(pad) : s;
}

/** Python str.center(width) as used by format "^": the odd space goes to the right. */
export function pyCenter(s: string, width: number): string {
  const pad = width - pyLen(s);
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2);
  return " ".repeat(left) + s + " ".repeat(pad - left);
}

const ND_RE = /\p{Nd}/u;
const ASCII_RE = /^[\x00-\x7f]*$/;

// int() and float() first map Unicode decimal digits to ASCII (Nd digits come in aligned runs
// of ten, so a digit's value is its offset from the start of its run, modulo 10).
function asciiDigits(s: string): string | null {
  if (ASCII_RE.test(s)) return s;
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out += ch;
    } else if (ND_RE.test(ch)) {
      let start = cp;
      while (ND_RE.test(String.fromCodePoint(start - 1))) start--;
      out += String((cp - start) % 10);
    } else {
      return null;
    }
  }
  return out;
}

// Python 3.11 refuses int() of strings with more than 4300 digits (sys.int_info.str_digits_check_threshold).
const INT_MAX_STR_DIGITS = 4300;
const INT_RE = /^([+-]?)(\d(?:_?\d)*)$/;

/** Python int(s) for a str, exact; null where Python raises ValueError. */
export function pyIntBig(s: string): bigint | null {
  const a = asciiDigits(pyStrip(s));
  if (a === null) return null;
  const m = INT_RE.exec(a);
  if (!m) return null;
  const digits = m[2]!.replaceAll("_", "");
  if (digits.length > INT_MAX_STR_DIGITS) return null;
  const v = BigInt(digits);
  return m[1] === "-" ? -v : v;
}

/** Python int(s) for a str as a JS number (inexact beyond 2^53); null where Python raises. */
export function pyInt(s: string): number | null {
  const v = pyIntBig(s);
  return v === null ? null : Number(v);
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_SPECIAL_RE = /^([+-]?)(inf|infinity|nan)$/i;

/** Python float(s) for a str; null where Python raises ValueError. Overflow gives ±Infinity. */
export function pyFloat(s: string): number | null {
  let a = asciiDigits(pyStrip(s));
  if (a === null) return null;
  if (a.includes("_")) {
    // Underscores are only allowed between two digits.
    if (!/^(?:[^_]|(?<=\d)_(?=\d))*$/.test(a)) return null;
    a = a.replaceAll("_", "");
  }
  const special = FLOAT_SPECIAL_RE.exec(a);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return NaN;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  return FLOAT_RE.test(a) ? Number(a) : null;
}

/** A float decoded from Python-produced JSON (or meant to be written as one): keeps `1.0` apart from `1`. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

/** Values as Python's json module sees them; dicts are Maps so insertion order always holds. */
export type PyValue = null | boolean | number | bigint | string | PyFloat | PyValue[] | Map<string, PyValue>;

/** Python int() then float() then the raw string, as `--io-var VAR=VALUE` coerces VALUE. */
export function pyCoerceScalar(s: string): PyValue {
  const i = pyIntBig(s);
  if (i !== null) return toIntValue(i);
  const f = pyFloat(s);
  if (f !== null) return new PyFloat(f);
  return s;
}

/** A Python int as a JS number when exact, else a bigint. */
export function toIntValue(v: bigint): number | bigint {
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Unwraps a PyValue tree into plain JS values (PyFloat to number, Map to object) for consumers. */
export function pyToJs(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(pyToJs);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(k)] = pyToJs(x);
    return o;
  }
  return v;
}

/** Python truthiness of a decoded value (NaN is truthy, empty containers are not). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === "" || v === 0 || v === 0n) return false;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

// ---- exact float formatting -------------------------------------------------------------

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

// |x| = m * 2^e exactly, for finite x.
function decompose(x: number): [bigint, number] {
  F64[0] = x;
  const bits = U64[0]!;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  return expBits === 0 ? [frac, -1074] : [frac | (1n << 52n), expBits - 1075];
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

// round(m * 2^e * 10^p) with ties to even: Python rounds the exact binary value.
function scaledRound(m: bigint, e: number, p: number): bigint {
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (p >= 0) num *= 10n ** BigInt(p);
  else den *= 10n ** BigInt(-p);
  const q = num / den;
  const twice = 2n * (num % den);
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

// m * 2^e compared with 10^k: -1, 0 or 1.
function cmpPow10(m: bigint, e: number, k: number): number {
  let a = m;
  let b = 1n;
  if (e >= 0) a <<= BigInt(e);
  else b <<= BigInt(-e);
  const lhs = k >= 0 ? a : a * 10n ** BigInt(-k);
  const rhs = k >= 0 ? b * 10n ** BigInt(k) : b;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

/** Digits of |x| rounded to p significant digits, and the decimal exponent of the first digit. */
function sigDigits(x: number, p: number): { digits: string; exp: number } {
  const [m, e] = decompose(x);
  if (m === 0n) return { digits: "0".repeat(p), exp: 0 };
  let k = Math.floor(Math.log10(Math.abs(x)));
  while (cmpPow10(m, e, k) < 0) k--;
  while (cmpPow10(m, e, k + 1) >= 0) k++;
  let r = scaledRound(m, e, p - 1 - k);
  if (r === 10n ** BigInt(p)) {
    r = 10n ** BigInt(p - 1);
    k++;
  }
  return { digits: r.toString(), exp: k };
}

function fixedBody(x: number, prec: number): string {
  const [m, e] = decompose(x);
  const s = scaledRound(m, e, prec).toString().padStart(prec + 1, "0");
  return prec > 0 ? `${s.slice(0, s.length - prec)}.${s.slice(s.length - prec)}` : s;
}

function expSuffix(exp: number, upper: boolean): string {
  const sign = exp < 0 ? "-" : "+";
  return `${upper ? "E" : "e"}${sign}${String(Math.abs(exp)).padStart(2, "0")}`;
}

function sciBody(x: number, prec: number, upper: boolean): string {
  const { digits, exp } = sigDigits(x, prec + 1);
  const mant = prec > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return mant + expSuffix(exp, upper);
}

// Python's "g" (and the no-type form with a precision, which keeps at least one decimal).
function generalBody(x: number, prec: number, upper: boolean, keepPoint: boolean): string {
  const p = prec === 0 ? 1 : prec;
  const { digits, exp } = sigDigits(x, p);
  // With the ".0" flag CPython switches to exponent form one digit earlier (format(277.9, ".3")).
  if (exp >= -4 && exp < (keepPoint ? p - 1 : p)) {
    let intPart: string;
    let frac: string;
    if (exp >= 0) {
      intPart = digits.slice(0, exp + 1);
      frac = digits.slice(exp + 1);
    } else {
      intPart = "0";
      frac = "0".repeat(-exp - 1) + digits;
    }
    frac = frac.replace(/0+$/, "");
    if (frac === "" && keepPoint) frac = "0";
    return frac ? `${intPart}.${frac}` : intPart;
  }
  const rest = digits.slice(1).replace(/0+$/, "");
  return (rest ? `${digits[0]}.${rest}` : digits[0]!) + expSuffix(exp, upper);
}

/** Shortest round-trip digits of |x| (x finite, non-zero) and the decimal point position. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const s = String(Math.abs(x));
  const ei = s.indexOf("e");
  const mant = ei >= 0 ? s.slice(0, ei) : s;
  const exp = ei >= 0 ? Number(s.slice(ei + 1)) : 0;
  const dot = mant.indexOf(".");
  const intPart = dot >= 0 ? mant.slice(0, dot) : mant;
  let digits = intPart + (dot >= 0 ? mant.slice(dot + 1) : "");
  let decpt = intPart.length + exp;
  const lead = /^0*/.exec(digits)![0].length;
  digits = digits.slice(lead).replace(/0+$/, "");
  decpt -= lead;
  return { digits, decpt };
}

/** Python repr(float): shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const sign = isNegative(x) ? "-" : "";
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x);
  if (decpt <= -4 || decpt > 16) {
    const rest = digits.slice(1);
    return sign + digits[0] + (rest ? `.${rest}` : "") + expSuffix(decpt - 1, false);
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

const SPEC_RE = /^([+\- ])?(0)?(\d+)?(?:\.(\d+))?([eEfFgG%])?$/;

/**
 * Python format(x, spec) for a float. Supports [sign][0][width][.precision][type] with types
 * e E f F g G % or none; throws on anything else (fill/align/grouping are never used here).
 */
export function pyFormatFloat(x: number, spec: string): string {
  const m = SPEC_RE.exec(spec);
  if (!m) throw new Error(`unsupported float format spec: ${JSON.stringify(spec)}`);
  const [, signOpt, zero, widthStr, precStr, type] = m;
  // "%" is "f" of x * 100 (a float product, which may overflow to inf) plus a percent sign.
  if (type === "%") x *= 100;
  const upper = type === "E" || type === "F" || type === "G";
  let body: string;
  let neg = isNegative(x);
  if (Number.isNaN(x)) {
    body = upper ? "NAN" : "nan";
    neg = false;
  } else if (!Number.isFinite(x)) {
    body = upper ? "INF" : "inf";
  } else {
    const a = Math.abs(x);
    const prec = precStr === undefined ? 6 : Number(precStr);
    switch (type) {
      case "e":
      case "E":
        body = sciBody(a, prec, upper);
        break;
      case "f":
      case "F":
      case "%":
        body = fixedBody(a, prec);
        break;
      case "g":
      case "G":
        body = generalBody(a, prec, upper, false);
        break;
      default:
        body = precStr === undefined ? pyFloatRepr(a) : generalBody(a, prec, false, true);
    }
  }
  if (type === "%") body += "%";
  const sign = neg ? "-" : signOpt === "+" ? "+" : signOpt === " " ? " " : "";
  const width = widthStr === undefined ? 0 : Number(widthStr);
  const pad = width - sign.length - body.length;
  if (pad <= 0) return sign + body;
  return zero ? sign + "0".repeat(pad) + body : " ".repeat(pad) + sign + body;
}

// ---- str() / repr() ---------------------------------------------------------------------

const NON_PRINTABLE_RE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Lower-case hex of a code point, zero-padded to `width`. */
export function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, "0");
}

/** Python repr(str): single quotes unless only single quotes appear, non-printables escaped. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f || !NON_PRINTABLE_RE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

// Python str(datetime) of a naive UTC value: "YYYY-MM-DD HH:MM:SS[.ffffff]".
function datetimeStr(d: Date): string {
  const date = `${String(d.getUTCFullYear()).padStart(4, "0")}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${date} ${time}${ms ? `.${String(ms * 1000).padStart(6, "0")}` : ""}`;
}

function numberStr(n: number): string {
  // An integral JS number stands for a Python int; anything else is a float.
  return Number.isInteger(n) ? BigInt(n).toString() : pyFloatRepr(n);
}

/** Python repr() of a decoded value: strings quoted, True/False/None, dicts with ': '. */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return pyStrRepr(v);
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat) && !(v instanceof Date)) {
    return `{${Object.entries(v).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  }
  return pyStr(v);
}

/** Python str() of a decoded value: strings bare, containers as their repr. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return numberStr(v);
  if (typeof v === "bigint") return v.toString();
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof Date) return datetimeStr(v);
  if (Array.isArray(v) || v instanceof Map || typeof v === "object") return pyRepr(v);
  return String(v);
}
