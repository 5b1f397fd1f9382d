// The click-compatible parser: repeatables, counts, flag pairs, unknown options, messages.

import { describe, expect, test } from "bun:test";
import { parseArgs, positionalKey } from "../../../src/commands/_shared/argv.ts";
import type { ParseSpec } from "../../../src/commands/_shared/argv.ts";

const spec: ParseSpec = {
  options: {
    acq: { names: ["--acq"], kind: "value", multiple: true },
    verbose: { names: ["-v", "--verbose"], kind: "count" },
    autoImport: { names: ["--auto-import"], off: ["--no-auto-import"], kind: "flag" },
    size: { names: ["--size"], kind: "value", type: "int" },
    gb: { names: ["--min-avail"], kind: "value", type: "float" },
    force: { names: ["-f", "--force"], kind: "flag" },
    fileList: { names: ["-F", "--file-list"], kind: "value", type: "file" },
  },
  args: [{ name: "NODE" }, { name: "GROUP", required: false }],
};

const parse = (...argv: string[]) => parseArgs(spec, argv).values;

describe("parseArgs", () => {
  test("collects repeatable options and counts counted ones", () => {
    expect(parse("n", "--acq", "A", "--acq=B", "-vv", "-v")).toMatchObject({ acq: ["A", "B"], verbose: 3, node: "n" });
  });
  test("flag pairs are true, false or not given", () => {
    expect(parse("n").autoImport).toBeUndefined();
    expect(parse("n", "--auto-import").autoImport).toBe(true);
    expect(parse("n", "--no-auto-import").autoImport).toBe(false);
  });
  test("options may follow positionals; optional positionals fill when present", () => {
    expect(parse("n", "g", "-f")).toMatchObject({ node: "n", group: "g", force: true });
    expect(parse("n")).toMatchObject({ node: "n", group: undefined, force: false });
  });
  test("unknown options are usage errors with click's wording", () => {
    expect(() => parse("n", "--bogus")).toThrow("No such option '--bogus'.");
    expect(() => parse("n", "--acc", "x")).toThrow("No such option '--acc'. Did you mean '--acq'?");
    expect(() => parse("n", "-x")).toThrow("No such option '-x'.");
  });
  test("bad values, missing values and arguments", () => {
    expect(() => parse("n", "--size", "1.5")).toThrow("Invalid value for '--size': '1.5' is not a valid integer.");
    expect(() => parse("n", "--min-avail", "x")).toThrow("Invalid value for '--min-avail': 'x' is not a valid float.");
    expect(() => parse("n", "--size")).toThrow("Option '--size' requires an argument.");
    expect(() => parse()).toThrow("Missing argument 'NODE'.");
    expect(() => parse("a", "b", "c")).toThrow("Got unexpected extra argument (c)");
    expect(() => parse("n", "-F", "/nonexistent")).toThrow("Invalid value for '-F' / '--file-list': File '/nonexistent' does not exist.");
    expect(() => parse("n", "--force=1")).toThrow("Option '--force' does not take a value.");
  });
  test("-h/--help is recognised anywhere and wins over missing arguments", () => {
    expect(parseArgs(spec, ["--help"]).help).toBe(true);
    expect(parseArgs(spec, ["x", "-h"]).help).toBe(true);
  });
  test("-- ends options", () => {
    expect(parse("--", "-n")).toMatchObject({ node: "-n" });
  });
});

// --size is an INTEGER option and --min-avail a FLOAT one: click converts them with Python's
// int() and float(), which the parser does with pyInt/pyFloat (src/common/pyfmt.ts).
const intOf = (v: string) => parse("n", `--size=${v}`).size;
const floatOf = (v: string) => parse("n", `--min-avail=${v}`).gb;

describe("Python number parsing", () => {
  test("int() accepts whitespace, signs and underscores", () => {
    expect(intOf(" +5 ")).toBe(5);
    expect(intOf("1_000")).toBe(1000);
    expect(() => intOf("1.5")).toThrow("is not a valid integer.");
    expect(() => intOf("1__0")).toThrow("is not a valid integer.");
  });
  test("float() accepts exponents, nan and inf", () => {
    expect(floatOf("1e3")).toBe(1000);
    expect(floatOf(".5")).toBe(0.5);
    expect(floatOf("-Infinity")).toBe(-Infinity);
    expect(Number.isNaN(floatOf("nan"))).toBe(true);
    expect(() => floatOf("abc")).toThrow("is not a valid float.");
  });
  // Inputs on which one of the two former parsers disagreed with CPython 3.11: argv.ts's
  // regexes (Unicode digits and spaces, BOM, "-0", digit limit) or pyfmt.ts's strip (\x1c-\x1f).
  test("int() and float() read Unicode digits and Unicode spaces as Python does", () => {
    expect(intOf("\u0663")).toBe(3);
    expect(floatOf("\u0661.\u0665")).toBe(1.5);
    expect(intOf("\u20005\u00a0")).toBe(5);
    expect(floatOf("\u00855")).toBe(5);
  });
  test("int() and float() refuse a BOM and the \\x1c-\\x1f separators around a number", () => {
    expect(() => intOf("\ufeff5")).toThrow("is not a valid integer.");
    expect(() => floatOf("\ufeff1.5")).toThrow("is not a valid float.");
    expect(() => intOf("\x1c5")).toThrow("is not a valid integer.");
    expect(() => floatOf("5\x1f")).toThrow("is not a valid float.");
  });
  test("int('-0') is 0 and int() refuses more than 4300 digits", () => {
    expect(Object.is(intOf("-0"), 0)).toBe(true);
    expect(Object.is(floatOf("-0"), -0)).toBe(true);
    expect(intOf("1".repeat(4300))).toBe(Number("1".repeat(4300)));
    expect(() => intOf("1".repeat(4301))).toThrow("is not a valid integer.");
  });
});

describe("positional keys", () => {
  test("are the camelCase of the upper-case names", () => {
    expect(positionalKey("NODE")).toBe("node");
    expect(positionalKey("NEW_NAME")).toBe("newName");
  });
});
