// The --io-config/--io-var composer (alpenhorn/cli/options.py: set_io_config and
// tests/cli/test_options.py at 632dd41).

import { describe, expect, test } from "bun:test";
import { composeIoConfig, serialiseIoConfig, type IoConfig } from "../../../src/commands/_shared/io-config.ts";
import { CliError } from "../../../src/common/errors.ts";
import { PyFloat } from "../../../src/common/pyfmt.ts";
import { pyJsonParse } from "../../../src/common/pyjson.ts";

const obj = (json: string) => pyJsonParse(json) as IoConfig;
const dumps = (c: IoConfig | null) => serialiseIoConfig(c);

function cliErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    return (err as Error).message;
  }
  throw new Error("expected a CliError");
}

describe("composeIoConfig", () => {
  test("test_sic_empty: no config and no vars returns the default unchanged", () => {
    expect(dumps(composeIoConfig(undefined, [], obj('{"a": 1, "b": 2}')))).toBe('{"a": 1, "b": 2}');
  });

  test("test_sic_io_config: --io-config replaces the default", () => {
    expect(dumps(composeIoConfig('{"c": 3}', [], obj('{"a": 1}')))).toBe('{"c": 3}');
  });

  test("test_sic_io_var: vars apply after the config, later ones win, new keys are added", () => {
    expect(dumps(composeIoConfig('{"a": 1, "b": 2}', ["a=5", "b=6", "c=8", "a=7"], null))).toBe('{"a": 7, "b": 6, "c": 8}');
  });

  test("test_sic_decodeerror: non-JSON --io-config", () => {
    expect(cliErrorOf(() => composeIoConfig("{", [], null))).toBe("Unable to parse --io-config value as JSON.");
  });

  test("test_sic_bad_ioconfig: a JSON array (or other non-object)", () => {
    for (const v of ["[1, 2]", "null", "3", '"x"'])
      expect(cliErrorOf(() => composeIoConfig(v, [], null))).toBe("Argument to --io-config must be a JSON object literal.");
  });

  test("test_sic_iovar_no_equals: a var without =", () => {
    expect(cliErrorOf(() => composeIoConfig(undefined, ["a"], null))).toBe('Missing equals sign in "--io-var=a"');
  });

  test("test_create_iovar_equals_equals: split at the first =", () => {
    expect(dumps(composeIoConfig(undefined, ["a=12=13=14"], null))).toBe('{"a": "12=13=14"}');
  });

  test("test_sic_coercion: int(), then float(), then string; JSON numbers kept", () => {
    const c = composeIoConfig('{"a": 1, "b": 2.0}', ["c=18", "d=19.20", "e= +1_000 ", "f=1e3", "g=nan", "h=-inf", "i=x1"], null)!;
    expect(c.get("c")).toBe(18);
    expect(c.get("d")).toEqual(new PyFloat(19.2));
    expect(dumps(c)).toBe('{"a": 1, "b": 2.0, "c": 18, "d": 19.2, "e": 1000, "f": 1000.0, "g": NaN, "h": -Infinity, "i": "x1"}');
  });

  test("test_sic_empty_ioconfig: --io-config= with no vars is empty (None)", () => {
    expect(composeIoConfig("", [], obj('{"a": 1}'))).toBeNull();
    expect(composeIoConfig("", [], "{bad")).toBeNull();
  });

  test("test_sic_iovar_del: VAR= deletes; deleting an absent key is harmless", () => {
    expect(dumps(composeIoConfig('{"a": 1, "b": 2}', ["a=", "z="], null))).toBe('{"b": 2}');
    expect(composeIoConfig('{"a": 1}', ["a="], null)).toBeNull();
  });

  test("test_sic_str_default: a stored string default is decoded then modified", () => {
    expect(dumps(composeIoConfig(undefined, ["b=3"], '{"a": 1, "b": 2}'))).toBe('{"a": 1, "b": 3}');
  });

  test("test_sic_none_default: a NULL (or JSON null) default counts as {}", () => {
    expect(dumps(composeIoConfig(undefined, ["a=1"], null))).toBe('{"a": 1}');
    expect(dumps(composeIoConfig(undefined, ["a=1"], "null"))).toBe('{"a": 1}');
    expect(composeIoConfig(undefined, [], "null")).toBeNull();
  });

  test("test_sic_default_decode: an invalid stored default fails, with or without vars", () => {
    expect(cliErrorOf(() => composeIoConfig(undefined, ["a=1"], "{bad"))).toBe("Invalid I/O config in database: {bad.");
    expect(cliErrorOf(() => composeIoConfig(undefined, [], "{bad"))).toBe("Invalid I/O config in database: {bad.");
  });

  test("test_sic_default_decode_override: --io-config avoids decoding the invalid default", () => {
    expect(dumps(composeIoConfig("", ["a=1"], "{bad"))).toBe('{"a": 1}');
    expect(dumps(composeIoConfig('{"a": 10}', [], "{bad"))).toBe('{"a": 10}');
  });

  test("the default is not mutated by --io-var edits", () => {
    const def = obj('{"a": 1}');
    composeIoConfig(undefined, ["a=", "b=2"], def);
    expect(dumps(def)).toBe('{"a": 1}');
  });
});

describe("serialiseIoConfig", () => {
  test("writes Python json.dumps text: separators, float repr, ensure_ascii, key order", () => {
    const c = composeIoConfig('{"b": 1, "a": [1, 2], "c": 1.0, "d": 1000.0, "e": NaN, "f": "x"}', ["g=1e16", "h=1e-5", "é=ü"], null);
    expect(serialiseIoConfig(c)).toBe('{"b": 1, "a": [1, 2], "c": 1.0, "d": 1000.0, "e": NaN, "f": "x", "g": 1e+16, "h": 1e-05, "\\u00e9": "\\u00fc"}');
  });

  test("an empty or missing config is NULL", () => {
    expect(serialiseIoConfig(null)).toBeNull();
    expect(serialiseIoConfig(new Map())).toBeNull();
  });
});
