// Fixtures for the Lustre I/O class tests. No Lustre here: tests/fixtures/lfs/lfs stands in for
// lfs(1), keeping each file's HSM state and the quota in a state directory (its header says
// how). These helpers set that state, read what lfs was asked, and build I/O instances on a
// context with real fs threads, real child processes and (for LustreHSM) a real index.

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { DaemonContext } from "../../src/engine/context.ts";
import { commandService } from "../../src/engine/io/commands.ts";
import type { Db } from "../../src/index/driver/types.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";
import { bareContext } from "./_ctx.ts";

/** The stand-in lfs program. */
export const LFS = resolve(import.meta.dir, "../fixtures/lfs/lfs");

export type HsmStateName = "unarchived" | "restored" | "restoring" | "released";

export interface Standin extends Disposable {
  readonly dir: TempDir;
  set(path: string, state: HsmStateName): void;
  get(path: string): HsmStateName | undefined;
  quota(usedKib: number, limitKib: number): void;
  /** Create (or with `on` false remove) a flag file such as `fail-hsm_restore`, `sleep-quota`. */
  flag(name: string, content?: string, on?: boolean): void;
  /** Every lfs invocation since the last clearCalls(), as argv arrays (without the program). */
  calls(): string[][];
  clearCalls(): void;
}

/** A fresh stand-in state directory, made the current one (LFS_STANDIN_STATE). */
export function standin(): Standin {
  const dir = tempDir("lfs");
  process.env.LFS_STANDIN_STATE = dir.path;
  const states = dir.join("states");
  const read = (): Array<[string, string]> =>
    existsSync(states)
      ? readFileSync(states, "utf8")
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => {
            const [s, ...p] = l.split("\t");
            return [s!, p.join("\t")];
          })
      : [];
  return {
    dir,
    set(path, state) {
      const lines = read().filter(([, p]) => p !== path);
      lines.push([state, path]);
      // Renamed into place, as the stand-in does, so it never reads a half-written file.
      writeFileSync(`${states}.t`, lines.map(([s, p]) => `${s}\t${p}\n`).join(""));
      renameSync(`${states}.t`, states);
    },
    get(path) {
      return read().findLast(([, p]) => p === path)?.[0] as HsmStateName | undefined;
    },
    quota(used, limit) {
      writeFileSync(dir.join("quota"), `${used} ${limit}\n`);
    },
    flag(name, content = "", on = true) {
      if (on) writeFileSync(dir.join(name), content);
      else rmSync(dir.join(name), { force: true });
    },
    calls() {
      const f = dir.join("calls");
      return existsSync(f)
        ? readFileSync(f, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => l.split("\t"))
        : [];
    },
    clearCalls() {
      rmSync(dir.join("calls"), { force: true });
    },
    [Symbol.dispose]() {
      dir[Symbol.dispose]();
    },
  };
}

/** A bare context that runs child processes (and has `db`, when given). */
export function lustreContext(db?: Db): DaemonContext & { messages: string[] } {
  const ctx = bareContext();
  Object.assign(ctx, { commands: commandService(ctx.log, ctx.stop.any.signal), db, remotePull: { rsh: "ssh -q", bwlimit: null } });
  return ctx;
}

/** Run every task ready in the queue now (deferred ones stay deferred); the names of those run. */
export async function runReady(ctx: DaemonContext): Promise<string[]> {
  const names: string[] = [];
  for (;;) {
    const got = ctx.queue.tryGet();
    if (!got.item) return names;
    names.push(got.item.name);
    try {
      await got.item.run();
    } finally {
      ctx.queue.taskDone(got.key);
    }
  }
}
