// alpenhorn's YAML configuration: the search path, the recursive merge (lists concatenate),
// and typed access with alpenhorn's error messages. Parsing and merging are pure.

import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir, hostname as osHostname } from "node:os";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.ts";

export type ConfigTree = Record<string, unknown>;

/** The standard locations, lowest precedence first (skipped under --test-isolation). */
export const STANDARD_CONFIG_PATHS = [
  "/etc/alpenhorn/alpenhorn.conf",
  "/etc/xdg/alpenhorn/alpenhorn.conf",
  "~/.config/alpenhorn/alpenhorn.conf",
] as const;

export const NO_CONFIG_MESSAGE = "No configuration files available.  See --help-config for more details.";

const isMapping = (v: unknown): v is ConfigTree => typeof v === "object" && v !== null && !Array.isArray(v);

/** Recursive merge: mappings merge key-wise, lists concatenate, anything else is replaced. */
export function mergeConfig(base: unknown, over: unknown): unknown {
  if (isMapping(base) && isMapping(over)) {
    const out: ConfigTree = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeConfig(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over];
  return over;
}

/** Parse one file's text as YAML 1.1 (PyYAML's dialect: `yes`/`no` are booleans). Empty → {}. */
export function parseConfigText(text: string, name: string): ConfigTree {
  let doc: unknown;
  try {
    doc = parseYaml(text, { version: "1.1" });
  } catch (err) {
    const first = String((err as Error).message).split("\n")[0];
    throw new ConfigError(`unable to parse config file ${name}: ${first}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isMapping(doc)) throw new ConfigError(`invalid config file ${name}: mapping expected`);
  return doc;
}

/** `$VAR`/`${VAR}` and `~` expansion, then made absolute (as alpenhorn does for each path). */
export function expandPath(path: string, env: Record<string, string | undefined>, cwd: string): string {
  let p = path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const key = name.startsWith("{") ? name.slice(1, -1) : name;
    return env[key] ?? whole;
  });
  if (p === "~" || p.startsWith("~/")) p = (env.HOME ?? homedir()) + p.slice(1);
  return resolve(cwd, p);
}

export interface LoadOptions {
  readonly confFile?: string;
  readonly testIsolation?: boolean;
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Receives alpenhorn's INFO/WARNING lines about the files read. */
  readonly log?: { info(msg: string): void; warning(msg: string): void };
}

/** Read and merge the configuration files in alpenhorn's order. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const candidates: { given: string; source: "standard" | "env" | "cli" }[] = [];
  if (!opts.testIsolation) for (const p of STANDARD_CONFIG_PATHS) candidates.push({ given: p, source: "standard" });
  if (env.ALPENHORN_CONFIG_FILE) candidates.push({ given: env.ALPENHORN_CONFIG_FILE, source: "env" });
  if (opts.confFile) candidates.push({ given: opts.confFile, source: "cli" });

  let tree: unknown = {};
  const loaded: string[] = [];
  for (const { given, source } of candidates) {
    const abs = expandPath(given, env, cwd);
    if (!existsSync(abs) || statSync(abs).isDirectory()) {
      if (source === "env") opts.log?.warning(`Config file ${abs} defined by ALPENHORN_CONFIG_FILE not found.`);
      if (source === "cli") opts.log?.warning(`Config file ${abs} defined on command line not found.`);
      continue;
    }
    opts.log?.info(`Loading config file ${given}`);
    let text: string;
    try {
      text = readFileSync(abs, "utf8");
    } catch (err) {
      throw new ConfigError(`unable to read config file ${abs}: ${(err as Error).message}`);
    }
    tree = mergeConfig(tree, parseConfigText(text, abs));
    loaded.push(abs);
  }
  if (loaded.length === 0) throw new ConfigError(NO_CONFIG_MESSAGE);
  return new Config(tree as ConfigTree, loaded);
}

const PY_CLASS = { int: "<class 'int'>", float: "<class 'float'>", str: "<class 'str'>" } as const;

/** A merged configuration with alpenhorn's typed getters. Frozen once built. */
export class Config {
  constructor(
    readonly tree: ConfigTree,
    readonly files: readonly string[] = [],
  ) {
    Object.freeze(this);
  }

  /** The raw value at a dotted path, or undefined. */
  raw(path: string): unknown {
    let node: unknown = this.tree;
    for (const part of path.split(".")) {
      if (!isMapping(node) || !(part in node)) return undefined;
      node = node[part];
    }
    return node;
  }

  has(path: string): boolean {
    return this.raw(path) !== undefined;
  }

  private value<T>(path: string, dflt: T | undefined): unknown {
    const v = this.raw(path);
    if (v === undefined) {
      if (dflt === undefined) throw new ConfigError(`missing config value: ${path}`);
      return undefined;
    }
    return v;
  }

  mapping(path: string, dflt?: ConfigTree): ConfigTree {
    const v = this.value(path, dflt);
    if (v === undefined) return dflt!;
    if (!isMapping(v)) throw new ConfigError(`invalid config value for ${path}: mapping expected`);
    return v;
  }

  list(path: string, dflt?: unknown[]): unknown[] {
    const v = this.value(path, dflt);
    if (v === undefined) return dflt!;
    if (!Array.isArray(v)) throw new ConfigError(`invalid config value for ${path}: sequence expected`);
    return v;
  }

  bool(path: string, dflt?: boolean): boolean {
    const v = this.value(path, dflt);
    if (v === undefined) return dflt!;
    if (typeof v !== "boolean") throw new ConfigError(`invalid config value for ${path}: boolean expected`);
    return v;
  }

  str(path: string, dflt?: string): string {
    const v = this.value(path, dflt);
    if (v === undefined) return dflt!;
    if (isMapping(v) || Array.isArray(v)) throw new ConfigError(`invalid config value for ${path}: scalar expected`);
    return v === null ? "None" : typeof v === "boolean" ? (v ? "True" : "False") : String(v);
  }

  /** Python int(): floats truncate, integer strings are accepted; bounds are checked when given. */
  int(path: string, opts: { default?: number; min?: number; max?: number } = {}): number {
    const v = this.value(path, opts.default);
    if (v === undefined) return opts.default!;
    if (isMapping(v) || Array.isArray(v)) throw new ConfigError(`invalid config value for ${path}: scalar expected`);
    let n: number;
    if (typeof v === "number" && Number.isFinite(v)) n = Math.trunc(v);
    else if (typeof v === "boolean") n = v ? 1 : 0;
    else if (typeof v === "string" && /^\s*[+-]?\d+(_\d+)*\s*$/.test(v)) n = Number(v.trim().replaceAll("_", ""));
    else throw new ConfigError(`invalid config value for ${path}: ${PY_CLASS.int} expected`);
    if (opts.min !== undefined && n < opts.min) throw new ConfigError(`config parameter "${path}" too small: ${n} < ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw new ConfigError(`config parameter "${path}" too large: ${n} > ${opts.max}`);
    return n;
  }

  float(path: string, opts: { default?: number; min?: number; max?: number } = {}): number {
    const v = this.value(path, opts.default);
    if (v === undefined) return opts.default!;
    if (isMapping(v) || Array.isArray(v)) throw new ConfigError(`invalid config value for ${path}: scalar expected`);
    const n = typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number(String(v).trim());
    if (typeof v === "string" && (String(v).trim() === "" || Number.isNaN(n))) throw new ConfigError(`invalid config value for ${path}: ${PY_CLASS.float} expected`);
    if (opts.min !== undefined && n < opts.min) throw new ConfigError(`config parameter "${path}" too small: ${n} < ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw new ConfigError(`config parameter "${path}" too large: ${n} > ${opts.max}`);
    return n;
  }

  /** A byte size with optional k/M/G suffix (binary multiples); must be > 0. */
  bytes(path: string, dflt: string | number): number {
    const v = this.raw(path) ?? dflt;
    const m = /^\s*([0-9]*\.?[0-9]+)\s*([kMG]?)\s*$/.exec(String(v));
    const scale = { "": 1, k: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;
    const n = m ? Math.trunc(Number(m[1]) * scale[m[2] as keyof typeof scale]) : NaN;
    if (!(n > 0)) throw new ConfigError(`invalid value for "${path}"`);
    return n;
  }

  /**
   * The daemon's host name: `daemon.host` (newer alpenhorn), else `base.hostname`, else the
   * system host name up to its first dot.
   */
  hostname(): string {
    for (const key of ["daemon.host", "base.hostname"]) {
      const v = this.raw(key);
      if (v !== undefined && v !== null && v !== "") return String(v);
    }
    return osHostname().split(".")[0]!;
  }
}
