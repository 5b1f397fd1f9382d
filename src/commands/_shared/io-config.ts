// The `--io-config` / `--io-var` composer of group/node create and modify (alpenhorn's
// set_io_config), and the serialisation that keeps stored JSON byte-identical to Python's.

import { CliError } from "../../common/errors.ts";
import { pyCoerceScalar, pyTruthy, type PyValue } from "../../common/pyfmt.ts";
import { PyJsonDecodeError, pyJsonDumps, pyJsonParse } from "../../common/pyjson.ts";
import { option } from "./define.ts";

/** A composed I/O config: keys in insertion order, values as Python's json module sees them. */
export type IoConfig = Map<string, PyValue>;

/** The two option declarations, spelt and worded as alpenhorn's cli_option("io_config"/"io_var"). */
export const IO_CONFIG_OPTION = option({
  names: ["--io-config"],
  kind: "value",
  metavar: "CONFIG",
  help: "Set I/O config to the JSON object literal CONFIG.  Any I/O config specified this way may be further modified by --io-var.  Setting this to nothing (--io-config=) empties the I/O config.",
});
export const IO_VAR_OPTION = option({
  names: ["--io-var"],
  kind: "value",
  metavar: "VAR=VALUE",
  multiple: true,
  help: "Set I/O config variable VAR to the value VALUE.  May be specified multiple times.  Modifies any config specified by --io-config.  If VALUE is empty (--io-var VAR=), VAR is deleted if present.",
});

function parseOrNull(text: string): PyValue | undefined {
  try {
    return pyJsonParse(text);
  } catch (err) {
    if (err instanceof PyJsonDecodeError) return undefined;
    throw err;
  }
}

// The starting config when --io-config is not given: the stored text is decoded only now,
// so an unparsable stored value fails even when no I/O option was used (as upstream).
function startFrom(fallback: string | IoConfig | null): IoConfig {
  if (fallback === null) return new Map();
  if (fallback instanceof Map) return new Map(fallback);
  const decoded = parseOrNull(fallback);
  if (decoded === undefined) throw new CliError(`Invalid I/O config in database: ${fallback}.`);
  // A falsy stored value (`null`, `{}`, `[]`, `0`) is an empty config.
  if (!pyTruthy(decoded)) return new Map();
  // A truthy non-object cannot take --io-var edits (upstream crashes); report it as invalid.
  if (!(decoded instanceof Map)) throw new CliError(`Invalid I/O config in database: ${fallback}.`);
  return decoded;
}

/**
 * Compose the I/O config from `--io-config` (undefined when not given, "" to empty it) and the
 * `--io-var VAR=VALUE` edits, starting from `fallback` (the stored text, or a config) when
 * `--io-config` is absent. Returns null when the result is empty ("no config").
 * Throws CliError with alpenhorn's messages.
 */
export function composeIoConfig(ioConfig: string | undefined, ioVars: readonly string[], fallback: string | IoConfig | null): IoConfig | null {
  let config: IoConfig;
  if (ioConfig === "") config = new Map();
  else if (ioConfig !== undefined) {
    const parsed = parseOrNull(ioConfig);
    if (parsed === undefined) throw new CliError("Unable to parse --io-config value as JSON.");
    if (!(parsed instanceof Map)) throw new CliError("Argument to --io-config must be a JSON object literal.");
    config = parsed;
  } else config = startFrom(fallback);

  for (const v of ioVars) {
    const eq = v.indexOf("=");
    if (eq < 0) throw new CliError(`Missing equals sign in "--io-var=${v}"`);
    const key = v.slice(0, eq);
    const value = v.slice(eq + 1);
    if (value === "") config.delete(key);
    else config.set(key, pyCoerceScalar(value));
  }
  return config.size > 0 ? config : null;
}

/** The stored text of a composed config: Python json.dumps, or NULL for no config. */
export function serialiseIoConfig(config: IoConfig | null): string | null {
  return config && config.size > 0 ? pyJsonDumps(config) : null;
}
