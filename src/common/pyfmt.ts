// Python-parity value helpers: int()/float() parsing, exact float formatting, str()/repr()
// (json.loads/json.dumps are in pyjson.ts).
// The CLI must match the Python original byte for byte, so these follow CPython 3.11 rules.

/**
 * Python's str.isspace() for one UTF-16 unit (used by strip(); int()/float() see isNumSpace):
 * \t \n \v \f \r, \x1c-\x20, \x85, \xa0, \u1680, \u2000-\u200a, \u2028, \u2029, \u202f,
 * \u205f, \u3000. None of them is a surrogate, so testing units is exact.
 */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c >= 0x1c || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  if (c === 0x85 || c === 0xa0) return true;
  if (c < 0x1680) return false;
  return (
    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Python str.strip() with no argument. */
export function pyStrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  let start = 0;
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python str.rstrip() with no argument. */
export function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
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

/**
 * The white space int() and float() strip: CPython maps non-ASCII spaces to ' ' and then skips
 * only ASCII " \t\n\v\f\r" (Py_ISSPACE), so unlike str.strip() they refuse \x1c-\x1f.
 */
function isNumSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && isPySpace(c));
}

function numStrip(s: string): string {
  let end = s.length;
  while (end > 0 && isNumSpace(s.charCodeAt(end - 1))) end--;
  let start = 0;
  while (start < end && isNumSpace(s.charCodeAt(start))) start++;
  return start === 0 && end === s.length ? s : s.slice(start, end);
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

const NOT_INT = -1;
const NON_ASCII = -2;

// INT_RE on an already stripped string, scanned left to right: the number of digits, NOT_INT,
// or NON_ASCII on meeting a non-ASCII unit (a Unicode digit may follow; the caller then takes
// the general path). A rejection before any non-ASCII unit is final: the pattern has no
// accepting continuation of that prefix.
function scanInt(s: string): number {
  const end = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  if (i >= end) return NOT_INT;
  let n = 0;
  let prevDigit = false;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      n++;
      prevDigit = true;
    } else if (c === 0x5f && prevDigit) {
      prevDigit = false;
    } else {
      return c > 0x7f ? NON_ASCII : NOT_INT;
    }
  }
  return prevDigit ? n : NOT_INT;
}

function intFromAscii(a: string): bigint | null {
  const m = INT_RE.exec(a);
  if (!m) return null;
  const digits = m[2]!.replaceAll("_", "");
  if (digits.length > INT_MAX_STR_DIGITS) return null;
  const v = BigInt(digits);
  return m[1] === "-" ? -v : v;
}

/** Python int(s) for a str, exact; null where Python raises ValueError. */
export function pyIntBig(s: string): bigint | null {
  const t = numStrip(s);
  const n = scanInt(t);
  if (n === NOT_INT || n > INT_MAX_STR_DIGITS) return null;
  if (n === NON_ASCII) {
    const a = asciiDigits(t);
    return a === null ? null : intFromAscii(a);
  }
  return intFromAscii(t);
}

/** pyIntBig(s) !== null, without building the value. */
export function pyIsInt(s: string): boolean {
  const t = numStrip(s);
  const n = scanInt(t);
  if (n === NON_ASCII) {
    const a = asciiDigits(t);
    return a !== null && intFromAscii(a) !== null;
  }
  return n !== NOT_INT && n <= INT_MAX_STR_DIGITS;
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
  const t = numStrip(s);
  // Quick rejection: an ASCII first character must start a sign, digits, a point, inf or nan.
  const c = t.charCodeAt(0);
  if (!(c >= 0x30 && c <= 0x39) && c !== 0x2b && c !== 0x2d && c !== 0x2e && c < 0x80) {
    const l = c | 0x20;
    if (l !== 0x69 && l !== 0x6e) return null;
  }
  let a = asciiDigits(t);
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

// Fast paths: JS toFixed/toExponential round the EXACT binary value too, but on an exact tie
// they take the larger candidate where Python takes the even one. Ties are detected exactly
// (below) and, when the rounded-up last digit is odd, fixed by lowering that digit by one
// (an odd digit never borrows). Anything the checks cannot settle takes the BigInt path.

// Largest precision toFixed/toExponential accept.
const JS_MAX_DIGITS = 100;

// Is a * 10^s exactly halfway between two integers (a > 0 finite)? With a = m * 2^e, m odd:
// 2a * 10^s is an odd integer iff a * 2^(s+1) is one (5^s is odd) — for s >= 0 that product
// is exact (power-of-two scaling; the callers keep it in range). For s < 0 the tie needs a to
// be an integer ≡ 5 * 10^(-s-1) mod 10^-s, checked exactly while a and 10^-s are exact;
// null when it cannot be decided cheaply.
function isTie(a: number, s: number): boolean | null {
  if (s >= 0) {
    if (s + 1 >= POW2.length) return null;
    return (a * POW2[s + 1]!) % 2 === 1;
  }
  const t = -s;
  if (!Number.isInteger(a)) return false;
  if (t >= POW10.length || a > Number.MAX_SAFE_INTEGER) return null;
  return a % POW10[t]! === 5 * POW10[t - 1]!;
}

// Exact powers: 2^0..2^1023 by doubling, 10^0..10^22 (the last exactly representable one).
const POW2 = new Float64Array(1024);
POW2[0] = 1;
for (let i = 1; i < POW2.length; i++) POW2[i] = POW2[i - 1]! * 2;
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

// Rounding went up on a tie: Python's even choice is one less when the last digit is odd.
function evenLastDigit(s: string, end: number): string {
  const d = s.charCodeAt(end - 1) - 0x30;
  if ((d & 1) === 0) return s;
  return s.slice(0, end - 1) + String.fromCharCode(0x30 + d - 1) + s.slice(end);
}

/** Digits of |x| rounded to p significant digits, and the decimal exponent of the first digit. */
function sigDigits(x: number, p: number): { digits: string; exp: number } {
  if (x !== 0 && p <= JS_MAX_DIGITS + 1) {
    const s = x.toExponential(p - 1);
    const ei = s.indexOf("e");
    const k = Number(s.slice(ei + 1));
    // k is the exponent after rounding; on a carry (…999 → 1000…) the tie test below uses one
    // digit too many, which cannot find a tie there, and the last digit is 0 anyway.
    const tie = isTie(x, p - 1 - k);
    if (tie !== null) {
      const digits = p > 1 ? s[0] + s.slice(2, ei) : s.slice(0, ei);
      return { digits: tie ? evenLastDigit(digits, digits.length) : digits, exp: k };
    }
  }
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
  // toFixed switches to exponent form from 1e21.
  if (x < 1e21 && prec <= JS_MAX_DIGITS) {
    const s = x.toFixed(prec);
    return isTie(x, prec) ? evenLastDigit(s, s.length) : s;
  }
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
 * Python format(x, f".{prec}f") for a float (any x, incl. -0.0, inf, nan); prec a
 * non-negative integer. The same as pyFormatFloat(x, `.${prec}f`) without parsing a spec.
 */
export function pyFormatFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return "nan";
  const sign = isNegative(x) ? "-" : "";
  if (!Number.isFinite(x)) return `${sign}inf`;
  return sign + fixedBody(Math.abs(x), prec);
}

type Spec = [signOpt: string | undefined, zero: string | undefined, width: number, prec: number | undefined, type: string | undefined];
const specCache = new Map<string, Spec>();

function parseSpec(spec: string): Spec {
  let parsed = specCache.get(spec);
  if (parsed === undefined) {
    const m = SPEC_RE.exec(spec);
    if (!m) throw new Error(`unsupported float format spec: ${JSON.stringify(spec)}`);
    const [, signOpt, zero, widthStr, precStr, type] = m;
    parsed = [signOpt, zero, widthStr === undefined ? 0 : Number(widthStr), precStr === undefined ? undefined : Number(precStr), type];
    if (specCache.size < 256) specCache.set(spec, parsed);
  }
  return parsed;
}

/**
 * Python format(x, spec) for a float. Supports [sign][0][width][.precision][type] with types
 * e E f F g G % or none; throws on anything else (fill/align/grouping are never used here).
 */
export function pyFormatFloat(x: number, spec: string): string {
  const [signOpt, zero, width, precOpt, type] = parseSpec(spec);
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
    const prec = precOpt === undefined ? 6 : precOpt;
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
        body = precOpt === undefined ? pyFloatRepr(a) : generalBody(a, prec, false, true);
    }
  }
  if (type === "%") body += "%";
  const sign = neg ? "-" : signOpt === "+" ? "+" : signOpt === " " ? " " : "";
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
