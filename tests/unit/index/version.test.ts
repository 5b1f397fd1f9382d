// Version requirement specs and mismatch messages (alpenhorn/db/data_index.py: schema_version
// and tests/db/test_data_index.py at 632dd41).

import { describe, expect, test } from "bun:test";
import { parseVersionSpec, versionMismatchMessage, versionSatisfies } from "../../../src/index/version.ts";

describe("version specs against version 3", () => {
  test.each(["<4", "<=3", "3", ">=3", ">2", ">2,<4", "<=3,>=3"])("%s is satisfied", (spec) => {
    expect(versionSatisfies(3, spec)).toBe(true);
  });
  test.each([">4", "<=2", "2", ">=4", "<2", ">4,<6", "<=2,>=2"])("%s is not satisfied", (spec) => {
    expect(versionSatisfies(3, spec)).toBe(false);
  });
  test.each(["3.0", "=3", "==3", "", "<Pi", "Any", "!=2", ">2.5", "<==3", ">1,>2", ">2,<4,<=3", ">=3,>=3"])("%p is invalid", (spec) => {
    expect(() => parseVersionSpec(spec)).toThrow();
  });
  test("an integer is an exact requirement", () => {
    expect(versionSatisfies(2, 2)).toBe(true);
    expect(versionSatisfies(3, 2)).toBe(false);
  });
});

describe("mismatch messages", () => {
  test("core and component wording, two spaces after the colon", () => {
    expect(versionMismatchMessage("alpenhorn", 2, 3)).toBe("Data Index version mismatch:  wanted version 2; found version 3");
    expect(versionMismatchMessage("alpenhorn", 2, 0)).toBe("Data Index version mismatch:  wanted version 2; no schema found");
    expect(versionMismatchMessage("comp", ">1", 0, "mod.Ext")).toBe('Schema version mismatch for Data Index component "comp" (required by mod.Ext):  wanted version >1; no schema found');
  });
});
