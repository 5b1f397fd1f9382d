// tabulate "simple" tables; every expected string was printed by Python tabulate 0.8.9
// (Debian 12, no wcwidth) for the same rows, headers and options.
import { describe, expect, it } from "bun:test";
import { PyFloat } from "../../../src/common/pyfmt.ts";
import { tabulate } from "../../../src/common/table.ts";

describe("tabulate", () => {
  it("prints an `acq list` table (alpenhorn/cli/acq/list.py: headers Name, Files)", () => {
    const rows = [
      ["A1", 3],
      ["a/b", 1],
      ["Empty", 0],
    ];
    expect(tabulate(rows, ["Name", "Files"])).toBe("Name      Files\n------  -------\nA1            3\na/b           1\nEmpty         0");
  });

  it("makes a column with an empty-string cell a left-aligned text column (acq show groups/nodes)", () => {
    const rows = [
      ["Group1", 3, "1.011 kiB"],
      ["-- Node1", 2, "579 B"],
      ["-- Node2", 1, "456 B"],
      ["", "", ""],
      ["Group2", 1, "789 B"],
      ["-- Node3", 1, "789 B"],
      ["", "", ""],
    ];
    expect(tabulate(rows, ["Group/Node", "Count", "Size"])).toBe(
      [
        "Group/Node    Count    Size",
        "------------  -------  ---------",
        "Group1        3        1.011 kiB",
        "-- Node1      2        579 B",
        "-- Node2      1        456 B",
        "",
        "Group2        1        789 B",
        "-- Node3      1        789 B",
        "",
      ].join("\n"),
    );
  });

  it("applies node stats' alignments and float format", () => {
    const rows = [
      ["N4", 1, "1.062 kiB", "10.13"],
      ["N5", 1, "10.24 MiB", " 1.00"],
    ];
    const out = tabulate(rows, ["Name", "File Count", "Total Size", "% Full"], {
      floatFmt: ".2f",
      colAlign: ["left", "right", "right", "right"],
    });
    expect(out).toBe(
      "Name      File Count    Total Size    % Full\n------  ------------  ------------  --------\nN4                 1     1.062 kiB     10.13\nN5                 1     10.24 MiB      1.00",
    );
  });

  it("re-renders an all-numeric percent column with g and decimal alignment", () => {
    const rows = [
      ["N4", 1, "1.062 kiB", " 1.00"],
      ["N5", 2, "10.24 MiB", "10.13"],
    ];
    expect(tabulate(rows, ["Name", "File Count", "Total Size", "% Full"])).toBe(
      "Name      File Count  Total Size      % Full\n------  ------------  ------------  --------\nN4                 1  1.062 kiB         1\nN5                 2  10.24 MiB        10.13",
    );
  });

  it("keeps a percent column with a dash as stripped, left-aligned text", () => {
    const rows = [
      ["N4", 1, "1.062 kiB", " 1.00"],
      ["N5", 0, "-", "-"],
    ];
    expect(tabulate(rows, ["Name", "File Count", "Total Size", "% Full"])).toBe(
      "Name      File Count  Total Size    % Full\n------  ------------  ------------  --------\nN4                 1  1.062 kiB     1.00\nN5                 0  -             -",
    );
  });

  it("prints only left-aligned headers and dashes for zero rows", () => {
    expect(tabulate([], ["Source Node", "Request Count", "Total Size"])).toBe(
      "Source Node    Request Count    Total Size\n-------------  ---------------  ------------",
    );
  });

  it("right-aligns names when every name is numeric", () => {
    expect(tabulate([["20240101", 3], ["20240102", 12]], ["Name", "Files"])).toBe(
      "    Name    Files\n--------  -------\n20240101        3\n20240102       12",
    );
  });

  it("re-renders numeric strings in a float column and leaves None cells empty", () => {
    expect(tabulate([["x", "12e4"], ["y", "1.5"], ["z", null]], ["Name", "Val"])).toBe(
      "Name         Val\n------  --------\nx       120000\ny            1.5\nz",
    );
  });

  it("treats None as neutral but an empty string as text", () => {
    expect(tabulate([["x", null], ["y", 5]], ["Name", "Val"])).toBe("Name      Val\n------  -----\nx\ny           5");
    expect(tabulate([["x", ""], ["y", 5]], ["Name", "Val"])).toBe("Name    Val\n------  -----\nx\ny       5");
  });

  it("types strings as Python does", () => {
    expect(tabulate([["1,234"], ["5"]], ["N"])).toBe("N\n-----\n1,234\n5");
    expect(tabulate([["Infinity"], ["1"]], ["N"])).toBe("N\n--------\nInfinity\n1");
    expect(tabulate([["inf"], ["1"]], ["N"])).toBe("  N\n---\ninf\n  1");
    expect(tabulate([[true], ["False"]], ["B"])).toBe("B\n-----\nTrue\nFalse");
    expect(tabulate([[" padded "], ["x"]], ["Name"])).toBe("Name\n------\npadded\nx");
  });

  it("formats float values with g and aligns the decimal points", () => {
    expect(tabulate([[new PyFloat(1)], [2.5], [1e16]], ["F"])).toBe("    F\n-----\n1\n2.5\n1e+16");
  });

  it("counts code points for widths", () => {
    expect(tabulate([["é", "日本"]], ["A", "B"])).toBe("A    B\n---  ---\né    日本");
  });

  it("splits multi-line cells over several lines", () => {
    expect(tabulate([["a\nb", 1], ["c", 22]], ["Name", "N"])).toBe("Name      N\n------  ---\na         1\nb\nc        22");
  });

  it("handles ragged rows and surplus or missing headers like tabulate", () => {
    expect(tabulate([["a", 1], ["b"]], ["x", "y"])).toBe("x      y\n---  ---\na      1\nb");
    expect(tabulate([["a", 1, 2]], ["y"])).toBe("          y\n--  --  ---\na    1    2");
    expect(tabulate([["a", 1]])).toBe("-  -\na  1\n-  -");
  });

  it("pads each alignment and strips trailing whitespace like tabulate", () => {
    const rows = [
      ["a", " x ", "1.5"],
      ["bb", "y", "10"],
      ["\u{1F600}c", "", "-2.25"],
    ];
    expect(tabulate(rows, ["N", "V", "Num"], { colAlign: ["center", "right", "decimal"] })).toBe(
      " N     V    Num\n---  ---  -----\n a     x   1.5\nbb     y  10\n😀c        -2.25",
    );
    expect(tabulate([["a", "  "], ["bb", ""]], ["x", "y"])).toBe("x    y\n---  ---\na\nbb");
    expect(tabulate([["a", "\t"], ["bb", "\u3000"]])).toBe("--\na\nbb\n--");
  });

  it("types columns of Unicode-digit and space-padded integers as int", () => {
    expect(tabulate([["1", "\u0661\u0662"], [" 3 ", "\uff15"]], ["a", "b"])).toBe("  a    b\n---  ---\n  1   ١٢\n 3     ５");
  });

  it("throws where tabulate raises IndexError for extra column alignments", () => {
    expect(() => tabulate([["a"]], ["x"], { colAlign: ["left", "right"] })).toThrow();
  });
});
