// Python-parity helpers checked against CPython 3.11 output: int()/float() acceptance,
// float repr/format, str()/repr() of decoded JSON, and json.loads/json.dumps round trips.
import { describe, expect, it } from "bun:test";
import {
  PyFloat,
  pyCoerceScalar,
  pyFloat,
  pyFloatRepr,
  pyFormatFixed,
  pyFormatFloat,
  pyInt,
  pyIntBig,
  pyIsInt,
  pyLen,
  pyRepr,
  pyRstrip,
  pyStr,
  pyStrip,
  pyToJs,
  pyTruthy,
} from "../../../src/common/pyfmt.ts";
import { PyJsonDecodeError, pyJsonDumps, pyJsonParse } from "../../../src/common/pyjson.ts";

describe("pyInt and pyFloat", () => {
  it.each([
    ["+5", 5, 5],
    [" 5 ", 5, 5],
    ["1_000", 1000, 1000],
    ["\u0661\u0662", 12, 12],
    ["\uff15", 5, 5],
    ["-0", 0, -0],
    ["1e3", null, 1000],
    [".5", null, 0.5],
    ["1.", null, 1],
    [" 1_0.5_5 ", null, 10.55],
    ["1e1_0", null, 1e10],
    ["\u00a05\u00a0", 5, 5],
    ["1__0", null, null],
    ["_1", null, null],
    ["1_", null, null],
    ["in_f", null, null],
    ["1_e5", null, null],
    ["0x10", null, null],
    ["1,234", null, null],
    ["", null, null],
    ["1e", null, null],
    ["+-1", null, null],
    ["12 3", null, null],
  ] as const)("int(%p) is %p and float() is %p", (s, i, f) => {
    expect(pyInt(s)).toBe(i);
    expect(pyFloat(s)).toBe(f);
  });

  it("reads Python's float specials in any case", () => {
    expect(pyFloat("nan")).toBeNaN();
    expect(pyFloat("-NaN")).toBeNaN();
    expect(pyFloat("inf")).toBe(Infinity);
    expect(pyFloat("infinity")).toBe(Infinity);
    expect(pyFloat("-Infinity")).toBe(-Infinity);
    expect(pyFloat("iNf")).toBe(Infinity);
    expect(pyFloat("1e999")).toBe(Infinity);
    expect(pyFloat("infinit")).toBeNull();
  });

  it("keeps big ints exact and refuses more than 4300 digits", () => {
    expect(pyIntBig("12345678901234567890123")).toBe(12345678901234567890123n);
    expect(pyIntBig("1".repeat(4300))).not.toBeNull();
    expect(pyIntBig("1".repeat(4301))).toBeNull();
  });
});

describe("pyIsInt", () => {
  it.each([
    ["12", true],
    [" -1_000\t", true],
    ["+0", true],
    ["\u0661\u0662", true],
    ["1\uff15", true],
    ["\u00a012\u3000", true],
    ["1" + "0".repeat(4299), true],
    ["1" + "0".repeat(4300), false],
    ["1_0".repeat(2000) + "1", true],
    ["", false],
    ["+", false],
    ["1_", false],
    ["_1", false],
    ["1__0", false],
    ["1 2", false],
    ["1.0", false],
    ["a\u0661", false],
    ["1\u00e9", false],
  ] as const)("int(%p) succeeds: %p", (s, want) => {
    expect(pyIsInt(s)).toBe(want);
    expect(pyIntBig(s) !== null).toBe(want);
  });
});

describe("pyCoerceScalar", () => {
  it("tries int, then float, then keeps the string", () => {
    expect(pyCoerceScalar("18")).toBe(18);
    expect(pyCoerceScalar("19.20")).toEqual(new PyFloat(19.2));
    expect(pyCoerceScalar("1e3")).toEqual(new PyFloat(1000));
    expect(pyCoerceScalar("12=13=14")).toBe("12=13=14");
    expect(pyCoerceScalar("99999999999999999999")).toBe(99999999999999999999n);
    expect(pyJsonDumps(new Map<string, unknown>([["a", pyCoerceScalar("1e3")], ["b", pyCoerceScalar("nan")]]))).toBe(
      '{"a": 1000.0, "b": NaN}',
    );
  });
});

describe("pyFloatRepr", () => {
  it.each([
    [1, "1.0"],
    [1000, "1000.0"],
    [1e15, "1000000000000000.0"],
    [1e16, "1e+16"],
    [1.5e16, "1.5e+16"],
    [0.0001, "0.0001"],
    [1e-5, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [0.1, "0.1"],
    [2.675, "2.675"],
    [123456789012345680, "1.2345678901234568e+17"],
    [1e100, "1e+100"],
    [5e-324, "5e-324"],
    [-0, "-0.0"],
    [NaN, "nan"],
    [-Infinity, "-inf"],
  ] as const)("repr(%p) is %p", (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });
});

describe("pyFormatFloat", () => {
  it.each([
    [3.14159, "5.2f", " 3.14"],
    [-1.5, "08.2f", "-0001.50"],
    [1.5, "+.2f", "+1.50"],
    [0.125, "%", "12.500000%"],
    [1e307, "%", "inf%"],
    [277.9, ".3", "2.78e+02"],
    [1, ".3", "1.0"],
    [1234.5678, ".3e", "1.235e+03"],
    [1234.5678, "E", "1.234568E+03"],
    [NaN, "G", "NAN"],
    [1.5, "", "1.5"],
  ] as const)("format(%p, %p) is %p", (x, spec, want) => {
    expect(pyFormatFloat(x, spec)).toBe(want);
  });

  // Exact ties, where the toFixed/toExponential fast path must turn round-half-up into
  // Python's round-half-even, and values at the edges of that fast path.
  it.each([
    [0.5, ".0f", "0"],
    [1.5, ".0f", "2"],
    [2.5, ".0f", "2"],
    [9.5, ".0f", "10"],
    [-2.5, ".0f", "-2"],
    [0.375, ".2f", "0.38"],
    [1.1875, ".3f", "1.188"],
    [2.5, ".0e", "2e+00"],
    [25, ".0e", "2e+01"],
    [35, ".0e", "4e+01"],
    [125, ".2g", "1.2e+02"],
    [135, ".2g", "1.4e+02"],
    [1234565, "g", "1.23456e+06"],
    [1234575, "g", "1.23458e+06"],
    [0.5, "g", "0.5"],
    [5e-324, ".3e", "4.941e-324"],
    [1e21, ".1f", "1000000000000000000000.0"],
    [1.2345678901234569e23, ".0f", "123456789012345685803008"],
    [2.7939677238464355e-9, ".9f", "0.000000003"],
  ] as const)("format(%p, %p) is %p (ties to even)", (x, spec, want) => {
    expect(pyFormatFloat(x, spec)).toBe(want);
  });

  it("formats '.Nf' directly with pyFormatFixed", () => {
    expect(pyFormatFixed(1.0625, 3)).toBe("1.062");
    expect(pyFormatFixed(-0, 2)).toBe("-0.00");
    expect(pyFormatFixed(-Infinity, 1)).toBe("-inf");
    expect(pyFormatFixed(NaN, 1)).toBe("nan");
    expect(pyFormatFixed(0.1, 20)).toBe("0.10000000000000000555");
  });

  it("rejects format specs it does not implement", () => {
    expect(() => pyFormatFloat(1, ",.2f")).toThrow();
  });
});

describe("pyStr and pyRepr", () => {
  it("prints decoded JSON values the way Python str() does", () => {
    expect(pyStr(true)).toBe("True");
    expect(pyStr(null)).toBe("None");
    expect(pyStr(new PyFloat(1))).toBe("1.0");
    expect(pyStr(new PyFloat(NaN))).toBe("nan");
    expect(pyStr(new PyFloat(Infinity))).toBe("inf");
    expect(pyStr("x")).toBe("x");
    expect(pyStr([1, 2])).toBe("[1, 2]");
    expect(pyStr(new Map([["a", 1]]))).toBe("{'a': 1}");
    expect(pyStr(1e20)).toBe("100000000000000000000");
    expect(pyStr(1.5)).toBe("1.5");
  });

  it("quotes and escapes strings inside containers like Python repr()", () => {
    const v = pyJsonParse(
      '{"a": 1, "b": [1, 2.0, "x", null, true, NaN], "c": {"k": "it\'s"}, "d": "q\\"\'", "e": "\\u00e9\\u0085\\u200b\\ud83d\\ude00\\ud800\\t"}',
    );
    expect(pyStr(v)).toBe(`{'a': 1, 'b': [1, 2.0, 'x', None, True, nan], 'c': {'k': "it's"}, 'd': 'q"\\'', 'e': 'é\\x85\\u200b😀\\ud800\\t'}`);
    expect(pyRepr("it's")).toBe(`"it's"`);
  });

  it("prints a Date as Python str(datetime)", () => {
    expect(pyStr(new Date(Date.UTC(2025, 1, 21, 23, 7, 8)))).toBe("2025-02-21 23:07:08");
    expect(pyStr(new Date(Date.UTC(2025, 1, 21, 23, 7, 8, 5)))).toBe("2025-02-21 23:07:08.005000");
  });
});

describe("pyJsonParse and pyJsonDumps", () => {
  it("round-trips Python-produced text byte for byte", () => {
    for (const text of [
      '{"a": 1}',
      '{"b": 1, "a": [1, 2], "c": 1.0, "d": 1000.0, "e": NaN, "f": "x"}',
      '{"b": 1, "a": [1, 2], "c": 1.0, "d": 1000.0, "e": NaN, "f": "x", "g": "\\u00e9\\ud83d\\ude00\\u007f\\n\\"\\\\", "h": 1e+16, "i": 1e-05, "j": -Infinity, "k": null, "l": true, "m": 12345678901234567890}',
      '{"2": 1, "1": 2, "b": 3}',
      "[]",
      "{}",
      '"\\ud800"',
    ]) {
      expect(pyJsonDumps(pyJsonParse(text))).toBe(text);
    }
  });

  it("re-spells other JSON the way json.dumps would", () => {
    expect(pyJsonDumps(pyJsonParse(' {"a" : 1e16 , "b":-0.0,"a":2} '))).toBe('{"a": 2, "b": -0.0}');
    expect(pyJsonDumps(pyJsonParse("[1e400, -1e400, 1E5, 0.1e1, -0]"))).toBe("[Infinity, -Infinity, 100000.0, 1.0, 0]");
    expect(pyJsonDumps(pyJsonParse('"\\ud83d\\ude00\\u00e9\\/"'))).toBe('"\\ud83d\\ude00\\u00e9/"');
  });

  it("writes plain JS values: integral numbers as ints, objects in key order", () => {
    expect(pyJsonDumps({ a: 1, b: [1, 2] })).toBe('{"a": 1, "b": [1, 2]}');
    expect(pyJsonDumps({ c: new PyFloat(1), d: 0.5, e: "é" })).toBe('{"c": 1.0, "d": 0.5, "e": "\\u00e9"}');
  });

  it.each(["", "{", '{"a":1,}', "[1,]", "01", "1.", ".5", "-", "nan", "Infinity1", '"\t"', '"\\x"', '{"a" 1}', "{a:1}", "\ufeff{}", "[1] x", "tru", '"abc', "-NaN", "1e", '{"a":1}}'])(
    "rejects %p as json.loads does",
    (text) => {
      expect(() => pyJsonParse(text)).toThrow(PyJsonDecodeError);
    },
  );

  it("unwraps to plain JS values", () => {
    expect(pyToJs(pyJsonParse('{"a": 1.5, "b": [1.0, {"c": null}]}'))).toEqual({ a: 1.5, b: [1, { c: null }] });
  });
});

describe("string helpers", () => {
  it("strips Python whitespace and counts code points", () => {
    expect(pyStrip("\u00a0 x\x85\u3000")).toBe("x");
    expect(pyStrip("\x1c\t\u2028x y\u205f\u200a")).toBe("x y");
    expect(pyStrip("\u200bx\u200b")).toBe("\u200bx\u200b");
    expect(pyStrip(" \u3000 ")).toBe("");
    expect(pyRstrip(" x \x1f\x0b")).toBe(" x");
    expect(pyStrip("\ufeffx")).toBe("\ufeffx");
    expect(pyLen("😀é")).toBe(2);
  });

  it("tests truthiness like Python", () => {
    expect([null, false, 0, "", [], new Map(), new PyFloat(0)].map(pyTruthy)).toEqual(Array(7).fill(false));
    expect([new PyFloat(NaN), "0", [0], 1].map(pyTruthy)).toEqual(Array(4).fill(true));
  });
});
