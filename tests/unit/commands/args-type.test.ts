// The argument type `run` gets is derived from the declarations (args-type.ts). The type
// assertions below are checked by tsc (`npm test` typechecks tests); the test checks that the
// parser builds values of those types under those keys.

import { describe, expect, test } from "bun:test";
import type { ArgsOf } from "../../../src/commands/_shared/args-type.ts";
import { parseArgs } from "../../../src/commands/_shared/argv.ts";
import { defineOptions } from "../../../src/commands/_shared/define.ts";
import { COMMON } from "../../../src/commands/_shared/options.ts";

const options = defineOptions({
  acq: COMMON.acq,
  autoImport: { names: ["--auto-import"], off: ["--no-auto-import"], kind: "flag" },
  check: { names: ["--check"], kind: "flag" },
  days: { names: ["--days"], kind: "value", type: "int" },
  gb: { names: ["--gb"], kind: "value", type: "float", default: 0 },
  ioClass: { names: ["--class"], kind: "value", default: "Default" },
  paired: { names: ["--on"], off: ["--off"], kind: "flag", default: true },
  quiet: { names: ["-q"], kind: "count" },
  root: { names: ["--root"], kind: "value" },
});
const positionals = [{ name: "NODE" }, { name: "NEW_NAME", required: false }, { name: "PATH", variadic: true }] as const;

type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T | undefined => undefined;

type Args = ArgsOf<typeof options, typeof positionals>;
assertType<
  Equal<
    Args,
    {
      acq: string[];
      autoImport: boolean | undefined;
      check: boolean;
      days: number | undefined;
      gb: number;
      ioClass: string;
      paired: boolean;
      quiet: number;
      root: string | undefined;
      node: string;
      newName: string | undefined;
      path: string[];
    }
  >
>();

describe("typed arguments", () => {
  test("the parser fills every declared key with a value of its declared type", () => {
    const values: Record<string, unknown> = parseArgs({ options, args: positionals }, ["n", "m", "p1", "p2", "--days", "3", "-qq"]).values;
    expect(values).toEqual({
      acq: [],
      autoImport: undefined,
      check: false,
      days: 3,
      gb: 0,
      ioClass: "Default",
      paired: true,
      quiet: 2,
      root: undefined,
      node: "n",
      newName: "m",
      path: ["p1", "p2"],
    });
  });
});
