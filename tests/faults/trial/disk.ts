// What a trial reads from the disk: a snapshot of a tree (to prove nothing outside the node roots,
// and no pull's source, was touched), the leftovers of interrupted work (ours and rsync's), and
// transfer processes still writing under a root after the daemon is gone.

import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { basename, join } from "node:path";

export const md5 = (data: Buffer | string) => new Bun.CryptoHasher("md5").update(data).digest("hex");

/** Every entry under `dir` (not following symlinks): relative path → kind, size and MD5 or link target. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const p = join(dir, r);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out.set(r, `dir ${st.mode & 0o7777}`);
        walk(r);
      } else if (st.isSymbolicLink()) out.set(r, `link -> ${readlinkSync(p)}`);
      else if (st.isFile()) out.set(r, `file ${st.size} ${md5(readFileSync(p))} mtime ${st.mtimeMs}`);
      else out.set(r, "other");
    }
  };
  walk("");
  return out;
}

/** The differences between two snapshots, one line each (empty: unchanged). */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const diff: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) diff.push(`${k}: ${v} -> ${after.get(k) ?? "(gone)"}`);
  for (const [k, v] of after) if (!before.has(k)) diff.push(`${k}: (new) ${v}`);
  return diff;
}

/**
 * Names interrupted work leaves: our pull temporaries (`.alpentemp…` files and directories, see
 * src/engine/fs/threads/pull-ops.ts), pull placeholders (`.name.placeholder`) and rsync's own
 * temporaries (`.name.XXXXXX`, six random characters; they can only appear inside one of our
 * directories, but are looked for everywhere).
 */
const LEFTOVER = [/^\.alpentemp/, /^\..+\.placeholder$/, /^\..+\.[A-Za-z0-9]{6}$/];

export function isLeftover(name: string): boolean {
  return LEFTOVER.some((re) => re.test(name));
}

/** Every leftover under `root` (relative paths). */
export function leftoversUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => isLeftover(basename(p)));
}

/** Pids of rsync or bbcp processes whose command line names something under `root`. */
export function transfersWritingUnder(root: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      if (["rsync", "bbcp"].includes(basename(argv[0] ?? "")) && argv.some((a) => a.startsWith(`${root}/`))) pids.push(Number(pid));
    } catch {
      // Exited meanwhile.
    }
  }
  return pids;
}
