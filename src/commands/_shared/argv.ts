// A click-compatible argument parser (pure): interspersed options, `--opt=value`, combined
// short flags, flag pairs, repeatable and counted options, `--` and click's usage messages.
// General-purpose parsers (citty's, for one) accept unknown options silently and cannot
// repeat or count options, so we own this. Positionals are stored under positionalKey(name).

import { existsSync, statSync, accessSync, constants } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "../../common/errors.ts";
import { pyFloat, pyInt } from "../../common/pyfmt.ts";
import type { OptionDef, Parsed, PositionalDef, ValueType } from "./define.ts";
import { HELP_OPTION } from "./define.ts";

export interface ParseSpec {
  readonly options: Readonly<Record<string, OptionDef>>;
  readonly args: readonly PositionalDef[];
}

export interface ParseResult {
  readonly help: boolean;
  readonly values: Parsed;
}

/** The key a positional is parsed under: NODE → node, NEW_NAME → newName (PositionalKey in args-type.ts). */
export function positionalKey(name: string): string {
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** click's way of naming an option in messages: `'-F' / '--file-list'`. */
export function optionLabel(opt: OptionDef): string {
  return opt.names.map((n) => `'${n}'`).join(" / ");
}

function convert(value: string, type: ValueType | undefined, label: string, cwd: string): unknown {
  switch (type ?? "str") {
    case "str":
      return value;
    // click's INT and FLOAT types call Python's int() and float() on the text.
    case "int": {
      const n = pyInt(value);
      if (n === null) throw new UsageError(`Invalid value for ${label}: '${value}' is not a valid integer.`);
      return n;
    }
    case "float": {
      const n = pyFloat(value);
      if (n === null) throw new UsageError(`Invalid value for ${label}: '${value}' is not a valid float.`);
      return n;
    }
    case "path": {
      // os.stat("") fails in Python, so an empty path never exists.
      if (value === "" || !existsSync(resolve(cwd, value))) throw new UsageError(`Invalid value for ${label}: Path '${value}' does not exist.`);
      return value;
    }
    case "file": {
      if (value === "-") return value;
      const p = resolve(cwd, value);
      if (value === "" || !existsSync(p)) throw new UsageError(`Invalid value for ${label}: File '${value}' does not exist.`);
      if (statSync(p).isDirectory()) throw new UsageError(`Invalid value for ${label}: File '${value}' is a directory.`);
      try {
        accessSync(p, constants.R_OK);
      } catch {
        throw new UsageError(`Invalid value for ${label}: File '${value}' is not readable.`);
      }
      return value;
    }
  }
}

/**
 * difflib.SequenceMatcher(None, a, b).ratio(): 2·M / (|a| + |b|), M the total size of the
 * matching blocks found by taking the longest match (earliest on ties) and recursing on both
 * sides. Not symmetric, and not the longest common subsequence.
 */
function similarity(a: string, b: string): number {
  const matched = (alo: number, ahi: number, blo: number, bhi: number): number => {
    let besti = alo;
    let bestj = blo;
    let size = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (let j = blo; j < bhi; j++) {
        if (a[i] !== b[j]) continue;
        const k = (j2len.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > size) {
          besti = i - k + 1;
          bestj = j - k + 1;
          size = k;
        }
      }
      j2len = next;
    }
    if (size === 0) return 0;
    return size + matched(alo, besti, blo, bestj) + matched(besti + size, ahi, bestj + size, bhi);
  };
  const total = a.length + b.length;
  return total ? (2 * matched(0, a.length, 0, b.length)) / total : 1;
}

/**
 * click's NoSuchOption: long options get difflib.get_close_matches(name, long options) — the
 * best three with ratio ≥ 0.6 — printed in alphabetical order; short options get none.
 */
function noSuchOption(name: string, known: string[]): UsageError {
  let msg = `No such option '${name}'.`;
  if (!name.startsWith("--")) return new UsageError(msg);
  const close = known
    .filter((k) => k.startsWith("--"))
    .map((k) => ({ k, score: similarity(k, name) }))
    .filter((c) => c.score >= 0.6)
    // heapq.nlargest over (score, name) tuples: ties go to the larger name.
    .sort((x, y) => y.score - x.score || (y.k > x.k ? 1 : y.k < x.k ? -1 : 0))
    .slice(0, 3)
    .map((c) => c.k)
    .sort();
  if (close.length === 1) msg += ` Did you mean '${close[0]}'?`;
  else if (close.length > 1) msg += ` (Possible options: ${close.join(", ")})`;
  return new UsageError(msg);
}

/** Parse `argv` against a command's declaration. Throws UsageError with click's messages. */
export function parseArgs(spec: ParseSpec, argv: readonly string[], cwd: string = process.cwd()): ParseResult {
  const byName = new Map<string, { key: string; opt: OptionDef; on: boolean }>();
  const all: Array<[string, OptionDef]> = [...Object.entries(spec.options), ["help", HELP_OPTION]];
  for (const [key, opt] of all) {
    for (const n of opt.names) byName.set(n, { key, opt, on: true });
    for (const n of opt.off ?? []) byName.set(n, { key, opt, on: false });
  }
  const raw = new Map<string, string[]>();
  const flags = new Map<string, boolean>();
  const counts = new Map<string, number>();
  const positionals: string[] = [];
  // click converts the options given in the order they were first given, then the others.
  const order: string[] = [];

  const take = (key: string, opt: OptionDef, value: string) => {
    if (!order.includes(key)) order.push(key);
    const list = raw.get(key) ?? [];
    if (opt.multiple) list.push(value);
    else list.splice(0, list.length, value);
    raw.set(key, list);
  };

  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    if (tok === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (tok.startsWith("--")) {
      const eq = tok.indexOf("=");
      const name = eq < 0 ? tok : tok.slice(0, eq);
      const hit = byName.get(name);
      if (!hit) throw noSuchOption(name, [...byName.keys()]);
      if (hit.opt.kind !== "value") {
        if (eq >= 0) throw new UsageError(`Option '${name}' does not take a value.`);
        if (hit.opt.kind === "count") counts.set(hit.key, (counts.get(hit.key) ?? 0) + 1);
        else flags.set(hit.key, hit.on);
        continue;
      }
      if (eq >= 0) take(hit.key, hit.opt, tok.slice(eq + 1));
      else if (i + 1 < argv.length) take(hit.key, hit.opt, argv[++i]!);
      else throw new UsageError(`Option '${name}' requires an argument.`);
      continue;
    }
    if (tok.startsWith("-") && tok.length > 1) {
      // Short options may be combined (-vv) and take a value attached or as the next token.
      for (let j = 1; j < tok.length; j++) {
        const name = `-${tok[j]}`;
        const hit = byName.get(name);
        if (!hit) throw noSuchOption(name, [...byName.keys()]);
        if (hit.opt.kind === "count") counts.set(hit.key, (counts.get(hit.key) ?? 0) + 1);
        else if (hit.opt.kind === "flag") flags.set(hit.key, hit.on);
        else {
          const rest = tok.slice(j + 1);
          if (rest) take(hit.key, hit.opt, rest);
          else if (i + 1 < argv.length) take(hit.key, hit.opt, argv[++i]!);
          else throw new UsageError(`Option '${name}' requires an argument.`);
          break;
        }
      }
      continue;
    }
    positionals.push(tok);
  }

  if (flags.get("help")) return { help: true, values: {} };

  const values: Parsed = {};
  const entries = Object.entries(spec.options);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  entries.sort(([x], [y]) => rank(x) - rank(y));
  for (const [key, opt] of entries) {
    if (opt.kind === "count") values[key] = counts.get(key) ?? 0;
    else if (opt.kind === "flag") values[key] = flags.has(key) ? flags.get(key) : (opt.default ?? (opt.off ? undefined : false));
    else {
      const given = raw.get(key);
      const label = optionLabel(opt);
      if (opt.multiple) values[key] = (given ?? []).map((v) => convert(v, opt.type, label, cwd));
      else values[key] = given ? convert(given[0]!, opt.type, label, cwd) : opt.default;
    }
  }

  // Positionals in order: required ones first claim their token, a variadic takes the rest.
  let p = 0;
  const required = spec.args.filter((a) => a.required !== false && !a.variadic).length;
  let optionalBudget = positionals.length - required;
  for (const arg of spec.args) {
    const key = positionalKey(arg.name);
    if (arg.variadic) {
      const n = Math.max(0, positionals.length - p - spec.args.slice(spec.args.indexOf(arg) + 1).length);
      values[key] = positionals.slice(p, p + n);
      p += n;
    } else if (arg.required === false) {
      if (optionalBudget > 0 && p < positionals.length) {
        values[key] = positionals[p++];
        optionalBudget--;
      } else values[key] = undefined;
    } else {
      if (p >= positionals.length) throw new UsageError(`Missing argument '${arg.name}'.`);
      values[key] = positionals[p++];
    }
  }
  if (p < positionals.length) {
    const extra = positionals.slice(p);
    throw new UsageError(`Got unexpected extra argument${extra.length > 1 ? "s" : ""} (${extra.join(" ")})`);
  }
  return { help: false, values };
}
