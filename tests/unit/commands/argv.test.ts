// The click-compatible parser: repeatables, counts, flag pairs, unknown options, messages.

import { describe, expect, test } from "bun:test";
import { parseArgs, parsePyFloat, parsePyInt } from "../../../src/commands/_shared/argv.ts";
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

describe("Python number parsing", () => {
  test("int() accepts whitespace, signs and underscores", () => {
    expect(parsePyInt(" +5 ")).toBe(5);
    expect(parsePyInt("1_000")).toBe(1000);
    expect(parsePyInt("1.5")).toBeNull();
    expect(parsePyInt("1__0")).toBeNull();
  });
  test("float() accepts exponents, nan and inf", () => {
    expect(parsePyFloat("1e3")).toBe(1000);
    expect(parsePyFloat(".5")).toBe(0.5);
    expect(parsePyFloat("-Infinity")).toBe(-Infinity);
    expect(Number.isNaN(parsePyFloat("nan"))).toBe(true);
    expect(parsePyFloat("abc")).toBeNull();
  });
});
