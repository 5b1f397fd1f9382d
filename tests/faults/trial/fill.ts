// Filling a destination's disk for the disk-full faults: a small tmpfs mounted where the node's
// root goes (root can mount here), filled by a file beside the root while a pull writes; where
// mounting is not possible, the daemon runs under RLIMIT_FSIZE instead (`prlimit --fsize`), so
// its writes past the limit fail with EFBIG (Bun ignores SIGXFSZ).

import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type FillMode = "tmpfs" | "rlimit";

/** Mount a tmpfs of `bytes` at `dir`; false when this machine does not let us. */
export function mountTmpfs(dir: string, bytes: number): boolean {
  mkdirSync(dir, { recursive: true });
  const r = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", `size=${bytes}`, "tmpfs", dir], { stdout: "ignore", stderr: "pipe" });
  return r.exitCode === 0;
}

export function unmount(dir: string): void {
  Bun.spawnSync(["umount", "-l", dir], { stdout: "ignore", stderr: "ignore" });
}

/** Write `dir/filler` until the filesystem is full; returns the bytes written. */
export function fillUp(dir: string): number {
  const fd = openSync(join(dir, "filler"), "w");
  const chunk = Buffer.alloc(64 << 10, 0x5a);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOSPC") throw err;
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Give the space back. */
export function unfill(dir: string): void {
  rmSync(join(dir, "filler"), { force: true });
}

/** The argv prefix that runs a program with its file size limited to `bytes`. */
export const fsizeLimited = (bytes: number) => ["prlimit", `--fsize=${bytes}`, "--"];

/** Whether a tmpfs can be mounted here (tried once on a throw-away directory). */
export function canMountTmpfs(): boolean {
  const dir = mkdtempSync(join(tmpdir(), "alpenhorn-mount-probe-"));
  try {
    if (!mountTmpfs(dir, 1 << 20)) return false;
    unmount(dir);
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The ways to fill a disk this run tries: env FAULTS_DISK_FULL `tmpfs` (the default) or
 * `rlimit`, or `both` (npm run faults); a tmpfs where none can be mounted becomes RLIMIT_FSIZE.
 */
export function fillModes(): FillMode[] {
  const asked = process.env.FAULTS_DISK_FULL ?? "tmpfs";
  if (!["tmpfs", "rlimit", "both"].includes(asked)) throw new Error(`FAULTS_DISK_FULL must be tmpfs, rlimit or both, not ${JSON.stringify(asked)}`);
  const tmpfs = asked !== "rlimit" && canMountTmpfs();
  if (asked === "both") return tmpfs ? ["tmpfs", "rlimit"] : ["rlimit"];
  return [tmpfs ? "tmpfs" : "rlimit"];
}
