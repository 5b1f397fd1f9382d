// pattern_importer's patterns are Python `re` full matches (alpenhorn's
// examples/pattern_importer.py: TypeBase.check_match at 632dd41): a `.` matches any character
// but a newline — also `\r`, U+2028 and U+2029, which a plain JS `.` refuses — while escaped
// dots and dots inside classes keep their meaning.

import { describe, expect, test } from "bun:test";
import { fullMatchRegex } from "../../src/engine/extensions/pattern-detect.ts";

describe("fullMatchRegex (Python re.fullmatch)", () => {
  test("the demo patterns, unescaped dots included", () => {
    const data = fullMatchRegex("(0[0-9]|2[0-3])/[0-5][0-9][0-5][0-9].dat");
    for (const name of ["23/1324.dat", "00/0001 dat", "00/0004;dat", "00/0004\rdat", "00/0004\u2028dat", "00/0004\u2029dat"]) expect(data.test(name)).toBe(true);
    for (const name of ["00/0004\ndat", "23/1324.dat.temp", "24/1324.dat"]) expect(data.test(name)).toBe(false);
    expect(fullMatchRegex("meta.txt$").test("meta\rtxt")).toBe(true);
  });

  test("escaped dots, dots in classes and named groups keep their meaning", () => {
    expect(fullMatchRegex("a\\.b").test("a.b")).toBe(true);
    expect(fullMatchRegex("a\\.b").test("axb")).toBe(false);
    expect(fullMatchRegex("a[.]b").test("axb")).toBe(false);
    expect(fullMatchRegex("a[^.]b").test("a\rb")).toBe(true);
    expect(fullMatchRegex("a[\\].]b").test("a]b")).toBe(true);
    expect(fullMatchRegex("a[x\\[].b").test("a[\rb")).toBe(true);
    expect(fullMatchRegex("a[]x]b").test("a]b")).toBe(true);
    expect(fullMatchRegex("(?P<x>a.)(?P=x)").test("a\ra\r")).toBe(true);
    expect(fullMatchRegex("a\\\\.b").test("a\\\rb")).toBe(true);
  });
});
