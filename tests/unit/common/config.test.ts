// Config: search order, merge rules and typed access with alpenhorn's messages, as in
// alpenhorn/common/config.py at 632dd41 (load_config, merge_dict_tree, get, get_int, get_bytes)
// and its tests/common/test_config.py; the order is listed in our README, "Configuration".

import { describe, expect, test } from "bun:test";
import { Config, expandPath, loadConfig, mergeConfig, parseConfigText } from "../../../src/common/config.ts";
import { tempDir } from "../../helpers/tmp.ts";

describe("mergeConfig", () => {
  test("mappings merge recursively, lists concatenate, scalars are replaced", () => {
    expect(mergeConfig({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2], e: 3 }, d: [5] })).toEqual({ a: { b: 1, c: [1, 2], e: 3 }, d: [5] });
  });
});

describe("parseConfigText", () => {
  test("reads YAML 1.1 booleans like PyYAML", () => {
    expect(parseConfigText("a: yes\nb: off\n", "x")).toEqual({ a: true, b: false });
  });
  test("an empty file is an empty mapping", () => {
    expect(parseConfigText("", "x")).toEqual({});
  });
  test("malformed YAML is a one-line ConfigError", () => {
    expect(() => parseConfigText("a: [1,\n", "/f")).toThrow(/^unable to parse config file \/f: /);
  });
  test("a non-mapping document is refused", () => {
    expect(() => parseConfigText("- 1\n", "/f")).toThrow("invalid config file /f: mapping expected");
  });
});

describe("loadConfig", () => {
  test("reads the env file then --conf, later overriding earlier, lists concatenated", () => {
    using dir = tempDir("conf");
    dir.write({ "env.conf": "extensions: [a]\ndaemon:\n  num_workers: 1\n", "cli.conf": "extensions: [b]\ndaemon:\n  num_workers: 2\n" });
    const seen: string[] = [];
    const cfg = loadConfig({
      testIsolation: true,
      env: { ALPENHORN_CONFIG_FILE: dir.join("env.conf") },
      confFile: dir.join("cli.conf"),
      log: { info: (m) => seen.push(m), warning: (m) => seen.push(m) },
    });
    expect(cfg.list("extensions")).toEqual(["a", "b"]);
    expect(cfg.int("daemon.num_workers")).toBe(2);
    expect(seen).toEqual([`Loading config file ${dir.join("env.conf")}`, `Loading config file ${dir.join("cli.conf")}`]);
  });
  test("a missing env file warns; no file at all is an error", () => {
    const seen: string[] = [];
    expect(() => loadConfig({ testIsolation: true, env: { ALPENHORN_CONFIG_FILE: "/nonexistent/x.conf" }, log: { info: () => {}, warning: (m) => seen.push(m) } })).toThrow(
      "No configuration files available.  See --help-config for more details.",
    );
    expect(seen).toEqual(["Config file /nonexistent/x.conf defined by ALPENHORN_CONFIG_FILE not found."]);
  });
  test("an empty file counts as found", () => {
    using dir = tempDir("conf");
    dir.write({ "e.conf": "" });
    expect(loadConfig({ testIsolation: true, env: {}, confFile: dir.join("e.conf") }).tree).toEqual({});
  });
  test("paths get $VAR and ~ expansion", () => {
    expect(expandPath("$D/x", { D: "/base" }, "/")).toBe("/base/x");
    expect(expandPath("~/y", { HOME: "/home/u" }, "/")).toBe("/home/u/y");
  });
});

describe("typed access", () => {
  const cfg = new Config({ i: 3.7, s: "12", b: "yes", m: { x: 1 }, l: [1], big: 70000, str: 5 });
  test("int truncates floats and accepts integer strings", () => {
    expect(cfg.int("i")).toBe(3);
    expect(cfg.int("s")).toBe(12);
  });
  test("messages are alpenhorn's", () => {
    expect(() => cfg.int("nope")).toThrow("missing config value: nope");
    expect(() => cfg.int("m")).toThrow("invalid config value for m: scalar expected");
    expect(() => cfg.bool("b")).toThrow("invalid config value for b: boolean expected");
    expect(() => cfg.mapping("l")).toThrow("invalid config value for l: mapping expected");
    expect(() => cfg.list("m")).toThrow("invalid config value for m: sequence expected");
    expect(() => cfg.int("big", { max: 65535 })).toThrow('config parameter "big" too large: 70000 > 65535');
    expect(() => new Config({ p: 0 }).int("p", { min: 1 })).toThrow('config parameter "p" too small: 0 < 1');
    expect(() => new Config({ p: "x" }).int("p")).toThrow("invalid config value for p: <class 'int'> expected");
  });
  test("defaults are returned for missing keys", () => {
    expect(cfg.int("daemon.update_interval", { default: 60 })).toBe(60);
    expect(cfg.str("str")).toBe("5");
  });
  test("byte sizes take k/M/G suffixes", () => {
    expect(new Config({ s: "4M" }).bytes("s", "1")).toBe(4 * 1024 * 1024);
    expect(new Config({ s: "1.5k" }).bytes("s", "1")).toBe(1536);
    expect(() => new Config({ s: "0" }).bytes("s", "1")).toThrow('invalid value for "s"');
  });
  test("the daemon host is daemon.host, else base.hostname", () => {
    expect(new Config({ base: { hostname: "a" } }).hostname()).toBe("a");
    expect(new Config({ base: { hostname: "a" }, daemon: { host: "b" } }).hostname()).toBe("b");
  });
});
