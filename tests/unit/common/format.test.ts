// Sizes, times, durations and config blocks against values printed by the Python original
// (alpenhorn's pretty_bytes/pretty_deltat and datetime.ctime run under CPython 3.11).
import { describe, expect, it } from "bun:test";
import { formatConfigBlock, formatFixed, formatG, prettyBytes, prettyDeltaT, prettyTime } from "../../../src/common/format.ts";

describe("prettyBytes", () => {
  it.each([
    [0, "0 B"],
    [52, "52 B"],
    [1023, "1023 B"],
    [1024, "1.000 kiB"],
    [1025, "1.001 kiB"],
    [1234, "1.205 kiB"],
    [4096, "4.000 kiB"],
    [12345, "12.06 kiB"],
    [123456, "120.6 kiB"],
    [123456789012, "115.0 GiB"],
    [-1234, "-1.205 kiB"],
    [50218909696, "46.77 GiB"],
  ] as const)("prints %p as %p", (n, want) => {
    expect(prettyBytes(n)).toBe(want);
  });

  it("rounds half to even on the exact binary value", () => {
    expect(prettyBytes(1088)).toBe("1.062 kiB");
  });

  it("chooses the unit before rounding, as the original does", () => {
    expect(prettyBytes(1048575)).toBe("1024.0 kiB");
    expect(prettyBytes(102399)).toBe("100.00 kiB");
  });

  it("handles exact large integers given as bigint", () => {
    expect(prettyBytes(1234567890123456789n)).toBe("1.071 EiB");
    expect(prettyBytes(1180591620717411303423n)).toBe("1024.0 EiB");
    expect(prettyBytes(1180591620717411303424n)).toBe("1180591620717411303424 B");
    expect(prettyBytes(1234567890123456789012n)).toBe("1234567890123456789012 B");
  });

  it("truncates floats toward zero first", () => {
    expect(prettyBytes(1536.9)).toBe("1.500 kiB");
    expect(prettyBytes(-0.5)).toBe("0 B");
    expect(prettyBytes(10.5 * 2 ** 30)).toBe("10.50 GiB");
    expect(prettyBytes(0.25 * 2 ** 30)).toBe("256.0 MiB");
    expect(prettyBytes(3.333 * 2 ** 30)).toBe("3.333 GiB");
    expect(prettyBytes(10.100000381469727 * 2 ** 30)).toBe("10.10 GiB");
  });

  it("reads numeric strings and prints - for null", () => {
    expect(prettyBytes("4096")).toBe("4.000 kiB");
    expect(prettyBytes(" 1_024 ")).toBe("1.000 kiB");
    expect(prettyBytes("1088.75")).toBe("1.062 kiB");
    expect(prettyBytes(null)).toBe("-");
    expect(prettyBytes(undefined)).toBe("-");
  });

  it("refuses what Python's int() refuses", () => {
    expect(() => prettyBytes("abc")).toThrow();
    expect(() => prettyBytes(NaN)).toThrow();
  });
});

describe("formatFixed and formatG", () => {
  it.each([
    [1.0625, 3, "1.062"],
    [1.0635, 3, "1.063"],
    [2.5, 0, "2"],
    [0.125, 2, "0.12"],
    [10.125, 2, "10.12"],
    [-0.001, 2, "-0.00"],
    [1e22, 2, "10000000000000000000000.00"],
    [5e-324, 3, "0.000"],
    [0.1, 20, "0.10000000000000000555"],
  ] as const)("format(%p, '.%pf') is %p", (x, d, want) => {
    expect(formatFixed(x, d)).toBe(want);
  });

  it.each([
    [1e16, "1e+16"],
    [1.5e-5, "1.5e-05"],
    [0.0001, "0.0001"],
    [123456, "123456"],
    [1234567, "1.23457e+06"],
    [999999.5, "1e+06"],
    [12345.678, "12345.7"],
    [100, "100"],
    [-0, "-0"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ] as const)("format(%p, 'g') is %p", (x, want) => {
    expect(formatG(x)).toBe(want);
  });
});

describe("prettyDeltaT", () => {
  it.each([
    [1234567, "342h56m07s"],
    [1234567.9, "342h56m07s"],
    [3600, "1h00m00s"],
    [1234, "20m34s"],
    [123.7, "2m03s"],
    [12.04, "12.0s"],
    [59.99, "60.0s"],
    [0.05, "0.1s"],
    [0.25, "0.2s"],
    [0, "0.0s"],
    [-1, "-1.0s"],
    [NaN, "nans"],
    [Infinity, "nans"],
  ] as const)("prints %p seconds as %p", (s, want) => {
    expect(prettyDeltaT(s)).toBe(want);
  });
});

describe("prettyTime", () => {
  it("prints ctime with a space-padded day and UTC", () => {
    expect(prettyTime("2025-02-21 23:07:08")).toBe("Fri Feb 21 23:07:08 2025 UTC");
    expect(prettyTime("2001-01-01 01:01:01.5")).toBe("Mon Jan  1 01:01:01 2001 UTC");
    expect(prettyTime("2024-02-29")).toBe("Thu Feb 29 00:00:00 2024 UTC");
    expect(prettyTime("0005-01-01 01:01:01")).toBe("Sat Jan  1 01:01:01 0005 UTC");
  });

  it("accepts what strptime accepts", () => {
    expect(prettyTime("2025-2-1 1:2:3")).toBe("Sat Feb  1 01:02:03 2025 UTC");
    expect(prettyTime("2025-02- 1 1:2:3.5")).toBe("Sat Feb  1 01:02:03 2025 UTC");
    expect(prettyTime("2025-02-21\t 23:07:08")).toBe("Fri Feb 21 23:07:08 2025 UTC");
  });

  it("reads a Date as UTC", () => {
    expect(prettyTime(new Date(Date.UTC(2025, 2, 7, 2, 27, 47, 900)))).toBe("Fri Mar  7 02:27:47 2025 UTC");
  });

  it("prints - for falsy values", () => {
    expect(prettyTime(null)).toBe("-");
    expect(prettyTime(undefined)).toBe("-");
    expect(prettyTime(0)).toBe("-");
    expect(prettyTime("")).toBe("-");
  });

  it("returns text that peewee could not parse unchanged", () => {
    for (const raw of ["garbage", "2025-02-21T23:07:08", "2023-02-29 00:00:00", "2025-02-21 23:07:60", "2025-02-21 23:07:08.1234567"]) {
      expect(prettyTime(raw)).toBe(raw);
    }
  });
});

describe("formatConfigBlock", () => {
  it("prints none, empty and invalid markers", () => {
    expect(formatConfigBlock(null)).toEqual(["  none"]);
    expect(formatConfigBlock("")).toEqual(["  none"]);
    expect(formatConfigBlock("{}")).toEqual(["  empty"]);
    expect(formatConfigBlock("null")).toEqual(["  empty"]);
    expect(formatConfigBlock("{bad")).toEqual(["INVALID (JSON decode error)"]);
  });

  it("right-justifies keys and prints values with Python str()", () => {
    const stored = '{"a": 1, "bb": [1, 2], "c": 1.0, "d": 1000.0, "e": NaN, "f": "x", "g": true, "h": null, "i": {"k": "v"}, "j": 1e+16}';
    expect(formatConfigBlock(stored)).toEqual([
      "   a: 1",
      "  bb: [1, 2]",
      "   c: 1.0",
      "   d: 1000.0",
      "   e: nan",
      "   f: x",
      "   g: True",
      "   h: None",
      "   i: {'k': 'v'}",
      "   j: 1e+16",
    ]);
  });

  it("caps the key width at 30", () => {
    const long = "k".repeat(40);
    expect(formatConfigBlock(`{"${long}": 1, "x": 2}`)).toEqual([`  ${long}: 1`, `  ${" ".repeat(29)}x: 2`]);
  });

  it("keeps a repeated key at its first position with the last value", () => {
    expect(formatConfigBlock('{"a":1,"b":-0.0,"a":2}')).toEqual(["  a: 2", "  b: -0.0"]);
  });

  it("throws on a truthy non-object, where the original crashes", () => {
    expect(() => formatConfigBlock("[1]")).toThrow();
  });
});
