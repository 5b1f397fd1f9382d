// Option declarations shared by node commands: the metadata options of node create and node
// modify (alpenhorn's cli_option texts) and the selection options of node list and node stats;
// and the --archive/--field/--transport role rule.

import { UsageError } from "../../common/errors.ts";
import type { StorageType } from "../../index/rows.ts";
import { defineOptions } from "../_shared/define.ts";
import { COMMON } from "../_shared/options.ts";

export const NODE_OPTIONS = defineOptions({
  address: { names: ["--address"], kind: "value", metavar: "ADDR", help: "Domain name or IP address to use for remote access to the node." },
  archive: { names: ["--archive"], kind: "flag", help: "Make node an archive node.  Incompatible with --field or --transport." },
  autoVerify: {
    names: ["--auto-verify"],
    kind: "value",
    type: "int",
    metavar: "COUNT",
    help: "If COUNT is zero, turn off auto-verify.  If COUNT is non-zero, turn on auto-verify for the node, with COUNT as the maximum number of re-verified copies per iteration.",
  },
  ioClass: COMMON.ioClass,
  field: { names: ["--field"], kind: "flag", help: "Make node a field node (i.e. neither an archive node nor a transport node).  Incompatible with --archive or --transport." },
  host: { names: ["--host"], kind: "value", metavar: "HOST", help: "The host managing this node." },
  maxTotal: { names: ["--max-total"], kind: "value", type: "float", metavar: "SIZE", help: "The maximum allowed size of the node, in GiB" },
  minAvail: {
    names: ["--min-avail"],
    kind: "value",
    type: "float",
    metavar: "SIZE",
    help: "The minimum allowed free space on the node, in GiB, before auto-cleaning happens",
  },
  notes: COMMON.notes,
  root: { names: ["--root"], kind: "value", metavar: "ROOT", help: "The node root or mount point." },
  transport: { names: ["--transport"], kind: "flag", help: "Make node a transport node.  Incompatible with --archive or --field." },
  username: { names: ["--username"], kind: "value", metavar: "USER", help: "Username to use for remote access to the node." },
});

/** `--group`/`--host` of node list and node stats (their `--active` help differs in case). */
export const NODE_FILTERS = defineOptions({
  group: { names: ["--group"], kind: "value", metavar: "GROUP", help: "List only nodes in Storage Group GROUP." },
  host: { names: ["--host"], kind: "value", metavar: "HOST", help: "List only nodes on HOST." },
});

/**
 * The storage type the role flags select: A, T, F (for --field), or `fallback` when none is
 * given. Two flags together are a usage error, checked in alpenhorn's order.
 */
export function storageTypeFrom(archive: boolean, field: boolean, transport: boolean, fallback: StorageType | null): StorageType | null {
  const pairs: Array<[boolean, string, boolean, string]> = [
    [archive, "archive", field, "field"],
    [archive, "archive", transport, "transport"],
    [field, "field", transport, "transport"],
  ];
  for (const [x, xn, y, yn] of pairs) if (x && y) throw new UsageError(`cannot use both --${xn} and --${yn}`);
  if (archive) return "A";
  if (transport) return "T";
  if (field) return "F";
  return fallback;
}

/** The usage checks on the sizes and counts both commands share, in alpenhorn's order. */
export function checkLimits(maxTotal: number | undefined, autoVerify: number | undefined, minAvail: number | undefined): void {
  if (maxTotal !== undefined && maxTotal <= 0) throw new UsageError("--max-total must be positive");
  if (autoVerify !== undefined && autoVerify < 0) throw new UsageError("--auto-verify must be non-negative");
  if (minAvail !== undefined && minAvail < 0) throw new UsageError("--min-avail must be non-negative");
}
