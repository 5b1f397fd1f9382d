// Python's json.loads/json.dumps, byte for byte: keeps the int/float distinction (PyFloat),
// key order (Map), NaN/Infinity tokens and ensure_ascii escapes, so stored io_config text is
// identical to what alpenhorn writes.

import { PyFloat, hex, pyFloatRepr, toIntValue, type PyValue } from "./pyfmt.ts";

/** Raised where Python's json.loads raises json.JSONDecodeError. */
export class PyJsonDecodeError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(`${message}: char ${pos}`);
    this.name = "PyJsonDecodeError";
  }
}

const JSON_NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const JSON_WS_RE = /[ \t\n\r]*/y;

/**
 * Deepest nesting accepted. Python's json.loads gives up near its recursion limit (1000) with a
 * RecursionError; without a bound, a value nested 20,000 deep parsed here and then overflowed
 * the stack in pyJsonDumps (`alpenhorn node create --io-config` crashed with a trace; found by
 * tests/faults/hostile-io-config.test.ts). It is refused as undecodable instead.
 */
const MAX_DEPTH = 1000;

class JsonParser {
  pos = 0;
  depth = 0;
  constructor(readonly s: string) {}

  fail(msg: string): never {
    throw new PyJsonDecodeError(msg, this.pos);
  }

  ws(): void {
    JSON_WS_RE.lastIndex = this.pos;
    JSON_WS_RE.exec(this.s);
    this.pos = JSON_WS_RE.lastIndex;
  }

  take(word: string): boolean {
    if (!this.s.startsWith(word, this.pos)) return false;
    this.pos += word.length;
    return true;
  }

  value(): PyValue {
    const c = this.s[this.pos];
    if (c === '"') return this.string();
    if (c === "{" || c === "[") {
      if (++this.depth > MAX_DEPTH) this.fail("Maximum nesting depth exceeded");
      const v = c === "{" ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (this.take("null")) return null;
    if (this.take("true")) return true;
    if (this.take("false")) return false;
    if (this.take("NaN")) return new PyFloat(NaN);
    if (this.take("Infinity")) return new PyFloat(Infinity);
    if (this.take("-Infinity")) return new PyFloat(-Infinity);
    JSON_NUMBER_RE.lastIndex = this.pos;
    const m = JSON_NUMBER_RE.exec(this.s);
    if (!m) this.fail("Expecting value");
    this.pos = JSON_NUMBER_RE.lastIndex;
    if (m[1] === undefined && m[2] === undefined) return toIntValue(BigInt(m[0]));
    return new PyFloat(Number(m[0]));
  }

  string(): string {
    const start = this.pos++;
    let out = "";
    for (;;) {
      const c = this.s[this.pos];
      if (c === undefined) {
        this.pos = start;
        this.fail("Unterminated string starting at");
      }
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c < " ") this.fail("Invalid control character at");
      if (c !== "\\") {
        out += c;
        this.pos++;
        continue;
      }
      const esc = this.s[this.pos + 1];
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (esc !== undefined && esc in simple) {
        out += simple[esc];
        this.pos += 2;
      } else if (esc === "u") {
        const h = this.s.slice(this.pos + 2, this.pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("Invalid \\uXXXX escape");
        out += String.fromCharCode(parseInt(h, 16));
        this.pos += 6;
      } else {
        this.fail("Invalid \\escape");
      }
    }
  }

  object(): Map<string, PyValue> {
    const map = new Map<string, PyValue>();
    this.pos++;
    this.ws();
    if (this.take("}")) return map;
    for (;;) {
      if (this.s[this.pos] !== '"') this.fail("Expecting property name enclosed in double quotes");
      const key = this.string();
      this.ws();
      if (!this.take(":")) this.fail("Expecting ':' delimiter");
      this.ws();
      // Python keeps a repeated key at its first position with the last value, as Map.set does.
      map.set(key, this.value());
      this.ws();
      if (this.take("}")) return map;
      if (!this.take(",")) this.fail("Expecting ',' delimiter");
      this.ws();
    }
  }

  array(): PyValue[] {
    const arr: PyValue[] = [];
    this.pos++;
    this.ws();
    if (this.take("]")) return arr;
    for (;;) {
      this.ws();
      arr.push(this.value());
      this.ws();
      if (this.take("]")) return arr;
      if (!this.take(",")) this.fail("Expecting ',' delimiter");
    }
  }
}

/**
 * Python json.loads: accepts NaN/Infinity/-Infinity, keeps floats as PyFloat, ints as number
 * (bigint beyond 2^53) and objects as insertion-ordered Maps. Throws PyJsonDecodeError.
 */
export function pyJsonParse(text: string): PyValue {
  const p = new JsonParser(text);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.pos !== text.length) p.fail("Extra data");
  return v;
}

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    // UTF-16 units map one-to-one onto ensure_ascii's \uXXXX (astral chars become surrogate pairs).
    else out += `\\u${hex(c, 4)}`;
  }
  return `${out}"`;
}

function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return pyFloatRepr(x);
}

function jsonKey(k: unknown): string {
  if (typeof k === "string") return jsonString(k);
  if (k === null || k === undefined) return '"null"';
  if (typeof k === "boolean") return k ? '"true"' : '"false"';
  if (k instanceof PyFloat) return `"${jsonFloat(k.value)}"`;
  if (typeof k === "number") return `"${Number.isInteger(k) ? BigInt(k).toString() : jsonFloat(k)}"`;
  if (typeof k === "bigint") return `"${k}"`;
  throw new TypeError(`keys must be str, int, float, bool or None, not ${typeof k}`);
}

/**
 * Python json.dumps with default settings: ", " and ": " separators, ensure_ascii, float repr,
 * NaN/Infinity tokens, insertion order. Integral JS numbers are written as ints; wrap a value in
 * PyFloat to write it as a float.
 */
export function pyJsonDumps(v: unknown): string {
  if (v === null) return "null";
  if (v === true) return "true";
  if (v === false) return "false";
  if (typeof v === "string") return jsonString(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v).toString() : jsonFloat(v);
  if (v instanceof PyFloat) return jsonFloat(v.value);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${jsonKey(k)}: ${pyJsonDumps(x)}`).join(", ")}}`;
  if (typeof v === "object" && !(v instanceof Date)) {
    return `{${Object.entries(v).map(([k, x]) => `${jsonString(k)}: ${pyJsonDumps(x)}`).join(", ")}}`;
  }
  throw new TypeError(`Object of type ${typeof v} is not JSON serializable`);
}
