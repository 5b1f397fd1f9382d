// io_config of the Lustre classes (alpenhorn/io/lustrequota.py and lustrehsm.py at 632dd41).
// alpenhorn raised KeyError/ValueError/RuntimeError in the main loop (a daemon crash); here the
// same messages make the factory throw, so the daemon logs them at ERROR and skips the node
// until its io_config is fixed.

import type { CommandService, IOConfig, IOLog } from "../../extension-api.ts";
import type { LfsOptions, QuotaType } from "./lfs.ts";

const QUOTA_TYPES: readonly QuotaType[] = ["user", "group", "project"];

/** A number given as a JSON number or a numeric string (Python's int()/float() accept both). */
function num(config: IOConfig, key: string): number | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new Error(`io_config key '${key}' is not a number (=${JSON.stringify(v)})`);
  return n;
}

/** The lfs wrapper's settings of a LustreQuota (or LustreHSM) node. */
export function lfsOptions(config: IOConfig, nodeName: string, commands: CommandService, log: IOLog): LfsOptions {
  let quotaId = config.quota_id;
  let quotaType = config.quota_type;
  if (quotaId === undefined || quotaId === null || quotaType === undefined || quotaType === null) {
    // The legacy key names a group.
    if (config.quota_group !== undefined) {
      quotaId = config.quota_group;
      quotaType = "group";
      log.warning(`Using deprecated 'quota_group' in StorageNode ${nodeName} io_config`);
    }
    if (quotaId === undefined || quotaId === null) throw new Error(`"quota_id" missing from StorageNode ${nodeName} io_config`);
    if (quotaType === undefined || quotaType === null) throw new Error(`"quota_type" missing from StorageNode ${nodeName} io_config`);
  }
  if (!QUOTA_TYPES.includes(quotaType as QuotaType)) throw new Error(`invalid quota_type: ${String(quotaType)}`);
  const timeout = num(config, "lfs_timeout") ?? 60;
  if (timeout <= 0) throw new Error("timeout must be positive.");
  const fixed = num(config, "fixed_quota");
  const name = config.lfs === undefined || config.lfs === null ? "lfs" : String(config.lfs);
  const lfs = commands.which(name);
  if (lfs === null) throw new Error("lfs command not found.");
  return { lfs, quotaId: String(quotaId), quotaType: quotaType as QuotaType, fixedQuota: fixed === undefined ? null : Math.trunc(fixed), timeout };
}

export interface HsmSettings {
  /** Bytes to keep free on the disk in front of the tape (io_config `headroom`, kiB). */
  readonly headroom: number;
  /** Seconds between looks at a restore in progress. */
  readonly restoreWait: number;
  /** Copies whose HSM state an idle update checks. */
  readonly releaseCheckCount: number;
}

export function hsmSettings(config: IOConfig, nodeName: string): HsmSettings {
  const headroom = num(config, "headroom");
  if (headroom === undefined) throw new Error(`"headroom" missing from StorageNode ${nodeName} io_config`);
  const restoreWait = Math.trunc(num(config, "restore_wait") ?? 600);
  if (restoreWait < 1) throw new Error(`io_config key 'restore_wait' non-positive (=${restoreWait})`);
  const releaseCheckCount = Math.trunc(num(config, "release_check_count") ?? 100);
  if (releaseCheckCount < 1) throw new Error(`io_config key 'release_check_count' non-positive (=${releaseCheckCount})`);
  return { headroom: headroom * 1024, restoreWait, releaseCheckCount };
}

/** The small-file threshold of a LustreHSM group (io_config `threshold`, bytes). */
export function hsmThreshold(config: IOConfig): number {
  return num(config, "threshold") ?? 1_000_000_000;
}
