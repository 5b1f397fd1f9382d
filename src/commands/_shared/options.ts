// Option declarations used by several commands, each declared once (as alpenhorn's
// cli_option in alpenhorn/cli/options.py does). A command that words one differently spreads
// it and replaces `help` (`{ ...COMMON.target, help: "…" }`), as cli_option's extra kwargs do.
// Keys here name the declaration; a command files it under its own (camelCase) key.

import { defineOptions, option } from "./define.ts";

export const COMMON = defineOptions({
  acq: {
    names: ["--acq"],
    kind: "value",
    multiple: true,
    metavar: "ACQ",
    help: "May be specified multiple times.  Limits operation to files in acquisition(s) named ACQ.",
  },
  /** `--actions` of group show and node show (node show keeps upstream's "this group"). */
  actions: { names: ["--actions"], kind: "flag", help: "Show post-transfer auto-actions affecting this group." },
  archiveOk: { names: ["--archive-ok"], kind: "flag", help: "Run the clean, even if NODE is an archive node." },
  /** `-x/--cancel` of the clean and sync commands; the sync commands reword it. */
  cancel: { names: ["--cancel", "-x"], kind: "flag", help: "Cancel existing cleaning requests." },
  /** `-F/--file-list PATH` of node clean/verify/sync and group sync. */
  fileList: {
    names: ["-F", "--file-list"],
    kind: "value",
    type: "file",
    metavar: "PATH",
    help: "Limit operation to files listed in text file at PATH.  If PATH is -, stdin will be read.  In that case, --check will be assumed if --force isn't used.",
  },
  /** `--size` of file create and file modify (node clean's `--size` is GiB, a float). */
  fileSize: { names: ["--size"], kind: "value", type: "int", metavar: "SIZE", help: "The size of the file in bytes." },
  ioClass: { names: ["-i", "--class"], kind: "value", metavar: "IO_CLASS", help: "Set I/O class to IO_CLASS." },
  md5: { names: ["--md5"], kind: "value", metavar: "HASH", help: "The MD5 hash of the file." },
  notes: { names: ["--notes"], kind: "value", metavar: "COMMENT", help: "Set notes to COMMENT." },
  now: { names: ["--now", "-n"], kind: "flag", help: "Force immediate removal." },
  /** `-a/--all` of file show and group show (node show spells it `-a/--all`, its own declaration). */
  showAll: { names: ["--all", "-a"], kind: "flag", help: "Show all additional data." },
  /** `--target GROUP` of node clean; the sync commands reword it (skip instead of restrict). */
  target: {
    names: ["--target"],
    kind: "value",
    multiple: true,
    metavar: "GROUP",
    help: "May be specified multiple times.  Restrict operation to files which exist in all specified target groups GROUP.",
  },
});

/** `-c/--check` of node clean and the sync commands; `what` is "cleaned" or "synced". */
export function checkOption(what: string) {
  return option({
    names: ["--check", "-c"],
    kind: "flag",
    help: `Only check (and print) what would be ${what}, don't actually do anything.  Incompatible with --force`,
  });
}

/** `--force` of the confirming bulk commands; `what` is "cleaning" or "update". */
export function forceOption(what: string) {
  return option({ names: ["--force"], kind: "flag", help: `Force ${what} (skips confirmation).  Incompatible with --check` });
}
