// Finding extension modules: a built-in name first (pattern_importer ships in the binary),
// otherwise a TypeScript/JavaScript module imported from a file path at run time.

import { isAbsolute, resolve } from "node:path";
import { CliError } from "../../common/errors.ts";
import type { Logger } from "../../common/logger.ts";
import type { Extension, LoadedExtension, LoadedExtensions } from "./types.ts";

type ExtensionModule = { register_extensions?: () => unknown; registerExtensions?: () => unknown };

const BUILT_INS: Record<string, () => Promise<ExtensionModule>> = {
  pattern_importer: () => import("./pattern-importer.ts"),
};

/** Built-in I/O class names, which an extension may not take. */
export const BUILT_IN_IO_CLASSES = ["Default", "Polling", "LustreQuota", "LustreHSM", "Transport"];

function looksLikePath(name: string): boolean {
  return name.includes("/") || /\.(ts|js|mjs|cjs|mts)$/.test(name);
}

async function importModule(name: string, cwd: string): Promise<ExtensionModule> {
  const builtIn = BUILT_INS[name];
  if (builtIn) return builtIn();
  if (!looksLikePath(name))
    throw new CliError(
      `unable to import extension module ${name}: no built-in extension of that name, and not a path to a TypeScript or JavaScript module`,
    );
  const path = isAbsolute(name) ? name : resolve(cwd, name);
  try {
    return (await import(path)) as ExtensionModule;
  } catch (err) {
    throw new CliError(`unable to import extension module ${name}: ${(err as Error).message}`);
  }
}

/** Import every configured module and collect its extensions, in config order. */
export async function loadExtensions(names: readonly unknown[], log: Logger, cwd: string = process.cwd()): Promise<LoadedExtensions> {
  const all: LoadedExtension[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = String(raw);
    log.info(`Loading extension module: ${name}`);
    const mod = await importModule(name, cwd);
    const hook = mod.register_extensions ?? mod.registerExtensions;
    if (typeof hook !== "function")
      throw new CliError(`module "${name}" is not a valid Alpenhorn extension module: no "register_extensions" hook`);
    const exts = (await hook()) as Extension[] | undefined;
    if (!exts || exts.length === 0) {
      log.debug("No usable extensions in module");
      continue;
    }
    for (const ext of exts) {
      const fullName = `${name}.${ext.name}`;
      if (seen.has(fullName)) {
        log.warning(`Ignoring duplicate extension "${fullName}"`);
        continue;
      }
      seen.add(fullName);
      all.push({ module: name, fullName, ext });
    }
  }
  return classify(all, log);
}

function classify(all: LoadedExtension[], log: Logger): LoadedExtensions {
  let database: LoadedExtensions["database"];
  const dataIndex: LoadedExtension[] = [];
  const importDetect: LoadedExtension[] = [];
  const ioClasses = new Map<string, LoadedExtension>();
  const components = new Map<string, string>();
  for (const l of all) {
    switch (l.ext.type) {
      case "database":
        if (database) throw new CliError(`more than one database extension in config (${database.fullName} and ${l.fullName})`);
        database = l as NonNullable<LoadedExtensions["database"]>;
        break;
      case "data-index": {
        const other = components.get(l.ext.component);
        if (other) throw new CliError(`data index component "${l.ext.component}" provided by multiple extensions: ${other} and ${l.fullName}`);
        components.set(l.ext.component, l.fullName);
        dataIndex.push(l);
        break;
      }
      case "import-detect":
        importDetect.push(l);
        break;
      case "io-class": {
        const n = l.ext.ioClassName;
        const other = BUILT_IN_IO_CLASSES.includes(n) ? "alpenhorn" : ioClasses.get(n)?.fullName;
        if (other) throw new CliError(`I/O class "${n}" from Extension "${l.fullName}" already provided by ${other}.`);
        // Caught here rather than as a TypeError the first time a node uses the class.
        for (const half of ["nodeClass", "groupClass"] as const) {
          const f: unknown = l.ext[half];
          if (f !== undefined && typeof f !== "function")
            throw new CliError(`I/O class "${n}" from Extension "${l.fullName}": ${half} is not a function.`);
        }
        ioClasses.set(n, l);
        break;
      }
      default:
        log.warning(`Ignoring Extension with unknown type: ${l.fullName}`);
    }
  }
  return { all, database, dataIndex, importDetect, ioClasses } as LoadedExtensions;
}
