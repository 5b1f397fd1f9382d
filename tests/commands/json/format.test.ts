// The shared `--json` conventions (src/commands/_shared/json-output.ts): the time format, the
// streamed array's bytes, every listing command taking --json, `-q` not silencing the
// document, and errors staying one line on stderr with nothing on stdout.

import { describe, expect, test } from "bun:test";
import { memoryIO } from "../../../src/commands/_shared/io.ts";
import { makeOutput, type CommandContext } from "../../../src/commands/_shared/context.ts";
import { formatJson, isoUtc, JsonArrayWriter } from "../../../src/commands/_shared/json-output.ts";
import { initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { knownIndex } from "./_index.ts";

describe("isoUtc", () => {
  test("a stored naive-UTC time becomes ISO 8601 with Z and six fractional digits", () => {
    expect(isoUtc("2025-06-30 12:34:56.5")).toBe("2025-06-30T12:34:56.500000Z");
    expect(isoUtc("2025-06-30 12:34:56.123456")).toBe("2025-06-30T12:34:56.123456Z");
    expect(isoUtc("2025-06-30 12:34:56")).toBe("2025-06-30T12:34:56.000000Z");
    expect(isoUtc("2025-06-30")).toBe("2025-06-30T00:00:00.000000Z");
    expect(isoUtc(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)))).toBe("2025-01-02T03:04:05.678000Z");
  });

  test("no time is null; text that is not a time is kept as stored", () => {
    expect(isoUtc(null)).toBeNull();
    expect(isoUtc(undefined)).toBeNull();
    expect(isoUtc("")).toBeNull();
    expect(isoUtc("yesterday")).toBe("yesterday");
  });
});

describe("JsonArrayWriter", () => {
  const ctxOf = (io: ReturnType<typeof memoryIO>) => ({ out: makeOutput(io, 3) }) as unknown as CommandContext;

  test("chunks written one by one give formatJson's bytes of the whole array", () => {
    const rows = [{ path: "a/1" }, { path: "a/2", n: { deep: [1, 2] } }, { path: 'q"uote\n' }];
    const io = memoryIO();
    const list = new JsonArrayWriter(ctxOf(io));
    list.push(rows.slice(0, 2));
    list.push([]);
    list.push(rows.slice(2));
    list.end();
    expect(io.out).toBe(formatJson(rows) + "\n");
  });

  test("nothing pushed is an empty list", () => {
    const io = memoryIO();
    new JsonArrayWriter(ctxOf(io)).end();
    expect(io.out).toBe("[]\n");
  });
});

describe("--json across commands [sqlite]", () => {
  test("every listing and showing command takes --json and prints one document", async () => {
    await using idx = await initialisedIndex("sqlite");
    await knownIndex(idx.db);
    const cli = cliFor(idx);
    const commands = [
      ["acq", "list"],
      ["acq", "show", "A1"],
      ["acq", "files", "A1"],
      ["file", "list"],
      ["file", "show", "A1/f1"],
      ["file", "find"],
      ["file", "explain", "A1/f1"],
      ["group", "list"],
      ["group", "show", "G1"],
      ["node", "list"],
      ["node", "show", "N1"],
      ["node", "stats"],
      ["node", "risk"],
      ["node", "drain", "N1", "--status"],
      ["status"],
    ];
    for (const argv of commands) {
      const r = await cli([...argv, "--json"]);
      expect({ argv, code: r.code, err: r.err }).toEqual({ argv, code: 0, err: "" });
      expect(r.out).toBe(formatJson(JSON.parse(r.out)) + "\n");
    }
  });

  test("-q silences the tables but not the JSON document", async () => {
    await using idx = await initialisedIndex("sqlite");
    await knownIndex(idx.db);
    const cli = cliFor(idx);
    expect(await cli(["-q", "acq", "list"])).toEqual({ code: 0, out: "", err: "" });
    expect(JSON.parse((await cli(["-q", "acq", "list", "--json"])).out)).toHaveLength(3);
    expect(JSON.parse((await cli(["-q", "file", "list", "--node", "N1", "--json"])).out)).toEqual([{ path: "A1/f1" }]);
  });

  test("errors stay one line on stderr, with nothing on stdout", async () => {
    await using idx = await initialisedIndex("sqlite");
    const cli = cliFor(idx);
    expect(await cli(["acq", "show", "Nope", "--json"])).toEqual({ code: 1, out: "", err: "Error: No such Acquisition: Nope\n" });
    expect(await cli(["file", "list", "--node", "Nope", "--json"])).toEqual({ code: 1, out: "", err: "Error: no such node: Nope\n" });
    expect(await cli(["node", "show", "Nope", "--json"])).toEqual({ code: 1, out: "", err: "Error: no such node: Nope\n" });
  });
});
