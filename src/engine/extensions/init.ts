// Stage-2 and stage-3 extension start-up: every extension's schema requirements are checked
// against the Data Index (for the `db` group, against what `db init` would leave behind).

import { CliError } from "../../common/errors.ts";
import type { Logger } from "../../common/logger.ts";
import type { Db } from "../../index/driver/types.ts";
import { CORE_COMPONENT, CORE_SCHEMA_VERSION } from "../../index/schema.ts";
import { allSchemaVersions, schemaVersion, versionMismatchMessage, versionSatisfies, type VersionSpec } from "../../index/version.ts";
import type { LoadedExtension, LoadedExtensions } from "./types.ts";

function requirements(l: LoadedExtension): Array<[string, VersionSpec]> {
  const reqs: Array<[string, VersionSpec]> = Object.entries(l.ext.requireSchema ?? {});
  if (l.ext.type === "data-index") reqs.push([l.ext.component, l.ext.schemaVersion]);
  return reqs;
}

/**
 * Check every extension's schema requirements and log its initialisation. With `dbGroup`,
 * versions are the larger of the stored one and the one loaded extensions would create.
 */
export async function initExtensions(loaded: LoadedExtensions, db: Db, log: Logger, opts: { dbGroup: boolean }): Promise<void> {
  if (loaded.all.length === 0) return;
  let versions: Map<string, number>;
  if (opts.dbGroup) {
    const core = await schemaVersion(db);
    versions = core >= CORE_SCHEMA_VERSION ? await allSchemaVersions(db) : new Map();
    const effective = (c: string, v: number) => versions.set(c, Math.max(versions.get(c) ?? 0, v));
    effective(CORE_COMPONENT, CORE_SCHEMA_VERSION);
    for (const l of loaded.dataIndex) effective(l.ext.component, l.ext.schemaVersion);
  } else {
    versions = await allSchemaVersions(db);
  }
  // Stage 2 (data-index) before stage 3 (the rest), as alpenhorn orders them.
  const staged = [...loaded.dataIndex, ...loaded.all.filter((l) => l.ext.type !== "data-index" && l.ext.type !== "database")];
  for (const l of staged) {
    for (const [component, spec] of requirements(l)) {
      const found = versions.get(component) ?? 0;
      if (!versionSatisfies(found, spec)) throw new CliError(versionMismatchMessage(component, spec, found, l.fullName));
    }
    log.info(`Initialised Extension ${l.fullName} v${l.ext.version}`);
  }
}
