// The lfs(1) wrapper and the Lustre classes' io_config (alpenhorn's tests/io/test_lfs.py and
// test_lustrequota.py at 632dd41 as the checklist): output parsing as pure functions, and the
// wrapper running the stand-in lfs (tests/fixtures/lfs/lfs) as a real child process.

import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import type { IOLog } from "../../src/engine/extension-api.ts";
import { hsmSettings, hsmThreshold, lfsOptions } from "../../src/engine/io/lustre/config.ts";
import { HSMState, Lfs, parseHsmState, parseQuota, type LfsOptions } from "../../src/engine/io/lustre/lfs.ts";
import { LustreQuotaNodeIO } from "../../src/engine/io/lustre/quota.ts";
import { nodeInfo } from "../../src/engine/io/node-info.ts";
import { ioServices } from "../../src/engine/io/services.ts";
import type { StorageNodeRow } from "../../src/index/rows.ts";
import { LFS, lustreContext, standin } from "./_lustre.ts";

function collect(): IOLog & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warning: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

describe("parseQuota", () => {
  const KIB = 1024;
  test("normal, over-quota `*`, wrapped long path, fixed quota", () => {
    const log = collect();
    expect(parseQuota("/path           1234 2000 3000 - 100 200 300 -", "/path", null, log)).toBe((2000 - 1234) * KIB);
    expect(parseQuota("/path           1234* 1000 3000 - 100 200 300 -", "/path", null, log)).toBe((1000 - 1234) * KIB);
    expect(parseQuota("/path-so-long-it-wraps\n                1234 2000 3000 - 100 200 300 -", "/path-so-long-it-wraps", null, log)).toBe((2000 - 1234) * KIB);
    expect(parseQuota("/path           1234 2000 3000 - 100 200 300 -", "/path", 2500, log)).toBe((2500 - 1234) * KIB);
    expect(log.lines).toEqual([]);
  });

  test("default block quota: the fixed quota, else an ERROR and null", () => {
    const out = "/path           1234 0 0 - 100 0 0 -\ngid 345678 is using default block quota setting\ngid 345678 is using default file quota setting";
    const log = collect();
    expect(parseQuota(out, "/path", 2500, log)).toBe((2500 - 1234) * KIB);
    expect(parseQuota(out, "/path", null, log)).toBeNull();
    expect(log.lines).toEqual(["ERROR ERROR: Unable to fetch default block quota for /path"]);
  });

  test("malformed output: WARNING and null", () => {
    for (const [out, path] of [
      ["/path", "/path"],
      ["", "/path"],
      ["/path           1234", "/path"],
      ["/other          1234 2000 3000 - 100 200 300 -", "/path"],
      ["/path           abc 2000 3000 - 100 200 300 -", "/path"],
    ] as const) {
      const log = collect();
      expect(parseQuota(out, path, null, log)).toBeNull();
      expect(log.lines).toEqual([`WARNING Error parsing "lfs quota" output: ${out}`]);
    }
  });
});

describe("parseHsmState", () => {
  test("unarchived, restored, released; another path is a parse error", () => {
    const log = collect();
    expect(parseHsmState("/path: (0x00000000)", "/path", log)).toBe(HSMState.Unarchived);
    expect(parseHsmState("/path: (0x00000009) exists archived, archive_id:2", "/path", log)).toBe(HSMState.Restored);
    expect(parseHsmState("/path: (0x0000000d) released exists archived, archive_id:2", "/path", log)).toBe(HSMState.Released);
    // Words in the file name do not count.
    expect(parseHsmState("/released/archived: (0x00000000)", "/released/archived", log)).toBe(HSMState.Unarchived);
    expect(log.lines).toEqual([]);
    expect(parseHsmState("/poth: (0x00000000)", "/path", log)).toBeNull();
    expect(log.lines).toEqual(["WARNING Error parsing hsm_state output: /poth: (0x00000000)"]);
  });
});

function wrapper(opts: Partial<LfsOptions> = {}) {
  const ctx = lustreContext();
  const lfs = new Lfs({ lfs: LFS, quotaId: "qid", quotaType: "group", fixedQuota: null, timeout: 60, ...opts }, ctx.commands, ctx.log);
  return { lfs, ctx };
}

describe("Lfs wrapper on the stand-in lfs", () => {
  test("run: output; failure; missing file; timeout (the process killed)", async () => {
    using s = standin();
    const { lfs, ctx } = wrapper({ timeout: 1 });
    const file = s.dir.join("f");
    writeFileSync(file, "x");
    expect(await lfs.run("hsm_state", file)).toEqual({ output: `${file}: (0x00000000)\n` });
    expect(s.calls()).toEqual([["hsm_state", file]]);
    // Arguments are stringified.
    expect(await lfs.run("bogus", 2)).toEqual({ output: null, why: "failed" });
    expect(s.calls().at(-1)).toEqual(["bogus", "2"]);
    expect(ctx.messages).toContain("WARNING [MainThread] LFS command failed: bogus 2");
    expect(await lfs.run("hsm_state", s.dir.join("nope"))).toEqual({ output: null, why: "missing" });
    expect(ctx.messages).toContain(`DEBUG [MainThread] LFS missing file: hsm_state ${s.dir.join("nope")}`);
    s.flag("sleep-hsm_state", "5");
    const t0 = Date.now();
    expect(await lfs.run("hsm_state", file)).toEqual({ output: null, why: "timeout" });
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(ctx.messages).toContain(`WARNING [MainThread] LFS command timed out: hsm_state ${file}`);
  });

  test("quotaRemaining: -u/-g/-p and the id in the argv; stand-in output parsed, wrapped or not", async () => {
    using s = standin();
    s.quota(1234, 2000);
    for (const [type, flag] of [
      ["user", "-u"],
      ["group", "-g"],
      ["project", "-p"],
    ] as const) {
      s.clearCalls();
      const { lfs } = wrapper({ quotaType: type });
      expect(await lfs.quotaRemaining("/p")).toBe((2000 - 1234) * 1024);
      expect(s.calls()).toEqual([["quota", "-q", flag, "qid", "/p"]]);
    }
    const { lfs } = wrapper();
    expect(await lfs.quotaRemaining("/a/path/longer/than/fifteen")).toBe((2000 - 1234) * 1024);
    s.quota(3000, 2000);
    expect(await lfs.quotaRemaining("/p")).toBe(-1000 * 1024);
    s.flag("quota-default");
    expect(await lfs.quotaRemaining("/p")).toBeNull();
    expect(await wrapper({ fixedQuota: 5000 }).lfs.quotaRemaining("/p")).toBe(2000 * 1024);
    s.flag("fail-quota");
    expect(await lfs.quotaRemaining("/p")).toBeNull();
  });

  test("hsmState: missing, unarchived, restored, released, restoring (hsm_action asked only when released)", async () => {
    using s = standin();
    const { lfs } = wrapper();
    const f = (n: string) => {
      const p = s.dir.join(n);
      writeFileSync(p, n);
      return p;
    };
    const [un, rd, rl, rg] = [f("un"), f("rd"), f("rl"), f("rg")];
    s.set(rd, "restored");
    s.set(rl, "released");
    s.set(rg, "restoring");
    expect(await lfs.hsmState(s.dir.join("missing"))).toBe(HSMState.Missing);
    expect(await lfs.hsmState(un)).toBe(HSMState.Unarchived);
    expect(await lfs.hsmState(rd)).toBe(HSMState.Restored);
    expect(s.calls().filter((c) => c[0] === "hsm_action")).toEqual([]);
    expect(await lfs.hsmState(rl)).toBe(HSMState.Released);
    expect(await lfs.hsmState(rg)).toBe(HSMState.Restoring);
    expect(s.calls().filter((c) => c[0] === "hsm_action")).toEqual([
      ["hsm_action", rl],
      ["hsm_action", rg],
    ]);
    // A failing hsm_action counts as "no restore running".
    s.flag("fail-hsm_action");
    expect(await lfs.hsmState(rg)).toBe(HSMState.Released);
    s.flag("fail-hsm_state");
    expect(await lfs.hsmState(rd)).toBeNull();
  });

  test("hsmArchived / hsmReleased truth tables", async () => {
    using s = standin();
    const { lfs } = wrapper();
    const paths: Record<string, string> = {};
    for (const st of ["unarchived", "restored", "restoring", "released"] as const) {
      paths[st] = s.dir.join(st);
      writeFileSync(paths[st]!, st);
      s.set(paths[st]!, st);
    }
    const missing = s.dir.join("missing");
    expect(await lfs.hsmArchived(missing)).toBe(false);
    expect(await lfs.hsmArchived(paths.unarchived!)).toBe(false);
    expect(await lfs.hsmArchived(paths.restored!)).toBe(true);
    expect(await lfs.hsmArchived(paths.restoring!)).toBe(true);
    expect(await lfs.hsmArchived(paths.released!)).toBe(true);
    expect(await lfs.hsmReleased(missing)).toBe(false);
    expect(await lfs.hsmReleased(paths.unarchived!)).toBe(false);
    expect(await lfs.hsmReleased(paths.restored!)).toBe(false);
    expect(await lfs.hsmReleased(paths.restoring!)).toBe(true);
    expect(await lfs.hsmReleased(paths.released!)).toBe(true);
  });

  test("hsmRestore: missing false; unarchived/restored true without a request; released requests it; timeout null", async () => {
    using s = standin();
    const { lfs } = wrapper({ timeout: 1 });
    const mk = (n: string, st?: "restored" | "released") => {
      const p = s.dir.join(n);
      writeFileSync(p, n);
      if (st) s.set(p, st);
      return p;
    };
    const [un, rd, rl] = [mk("un"), mk("rd", "restored"), mk("rl", "released")];
    expect(await lfs.hsmRestore(s.dir.join("missing"))).toBe(false);
    expect(await lfs.hsmRestore(un)).toBe(true);
    expect(await lfs.hsmRestore(rd)).toBe(true);
    expect(s.calls().filter((c) => c[0] === "hsm_restore")).toEqual([]);
    expect(await lfs.hsmRestore(rl)).toBe(true);
    expect(s.calls().filter((c) => c[0] === "hsm_restore")).toEqual([["hsm_restore", rl]]);
    expect(s.get(rl)).toBe("restoring");
    // The request itself timing out: unknown.
    const rl2 = mk("rl2", "released");
    s.flag("sleep-hsm_restore", "5");
    expect(await lfs.hsmRestore(rl2)).toBeNull();
    s.flag("sleep-hsm_restore", "", false);
    // The request failing for want of the file: false; failing otherwise: unknown.
    s.flag("enoent-hsm_restore");
    expect(await lfs.hsmRestore(rl2)).toBe(false);
    s.flag("enoent-hsm_restore", "", false);
    s.flag("fail-hsm_restore");
    expect(await lfs.hsmRestore(rl2)).toBeNull();
    // State unknown: unknown (alpenhorn said true), nothing run.
    s.flag("fail-hsm_state");
    s.clearCalls();
    expect(await lfs.hsmRestore(rl2)).toBeNull();
    expect(s.calls().map((c) => c[0])).toEqual(["hsm_state"]);
  });

  test("hsmRelease: missing/unarchived false; released true without a request; restored requests it; a failed request is false", async () => {
    using s = standin();
    const { lfs, ctx } = wrapper();
    const mk = (n: string, st?: "restored" | "released") => {
      const p = s.dir.join(n);
      writeFileSync(p, n);
      if (st) s.set(p, st);
      return p;
    };
    const [un, rd, rl, rd2] = [mk("un"), mk("rd", "restored"), mk("rl", "released"), mk("rd2", "restored")];
    expect(await lfs.hsmRelease(s.dir.join("missing"))).toBe(false);
    expect(await lfs.hsmRelease(un)).toBe(false);
    expect(ctx.messages).toContain(`DEBUG [MainThread] Unable to release "${un}" [state=HSMState.UNARCHIVED]`);
    expect(await lfs.hsmRelease(rl)).toBe(true);
    expect(s.calls().filter((c) => c[0] === "hsm_release")).toEqual([]);
    expect(await lfs.hsmRelease(rd)).toBe(true);
    expect(s.calls().filter((c) => c[0] === "hsm_release")).toEqual([["hsm_release", rd]]);
    expect(s.get(rd)).toBe("released");
    // alpenhorn reported success whatever lfs said; we don't.
    s.flag("fail-hsm_release");
    expect(await lfs.hsmRelease(rd2)).toBe(false);
    expect(s.get(rd2)).toBe("restored");
  });
});

describe("io_config of the Lustre classes", () => {
  const ctx = lustreContext();
  const opts = (config: Record<string, unknown>) => lfsOptions({ lfs: LFS, ...config }, "nodeA", ctx.commands, ctx.log);
  const fails = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };

  test("quota_id and quota_type required; legacy quota_group with a WARNING; bad type; lfs not found; bad timeout", () => {
    expect(opts({ quota_id: "q", quota_type: "project" })).toEqual({ lfs: LFS, quotaId: "q", quotaType: "project", fixedQuota: null, timeout: 60 });
    expect(fails(() => opts({ quota_type: "group" }))).toBe('"quota_id" missing from StorageNode nodeA io_config');
    expect(fails(() => opts({ quota_id: "q" }))).toBe('"quota_type" missing from StorageNode nodeA io_config');
    expect(opts({ quota_group: "grp", fixed_quota: 12, lfs_timeout: 5 })).toEqual({ lfs: LFS, quotaId: "grp", quotaType: "group", fixedQuota: 12, timeout: 5 });
    expect(ctx.messages).toContain("WARNING [MainThread] Using deprecated 'quota_group' in StorageNode nodeA io_config");
    expect(fails(() => opts({ quota_id: "q", quota_type: "pool" }))).toBe("invalid quota_type: pool");
    expect(fails(() => opts({ quota_id: "q", quota_type: "user", lfs: "/no/such/lfs" }))).toBe("lfs command not found.");
    expect(fails(() => opts({ quota_id: "q", quota_type: "user", lfs_timeout: 0 }))).toBe("timeout must be positive.");
  });

  test("LustreHSM: headroom required; restore_wait and release_check_count at least 1; group threshold", () => {
    expect(hsmSettings({ headroom: 10 }, "n")).toEqual({ headroom: 10240, restoreWait: 600, releaseCheckCount: 100 });
    expect(fails(() => hsmSettings({}, "n"))).toBe('"headroom" missing from StorageNode n io_config');
    expect(fails(() => hsmSettings({ headroom: 1, restore_wait: -1 }, "n"))).toBe("io_config key 'restore_wait' non-positive (=-1)");
    expect(fails(() => hsmSettings({ headroom: 1, release_check_count: -1 }, "n"))).toBe("io_config key 'release_check_count' non-positive (=-1)");
    expect(hsmThreshold({})).toBe(1_000_000_000);
    expect(hsmThreshold({ threshold: 5 })).toBe(5);
  });
});

describe("LustreQuotaNodeIO", () => {
  test("bytesAvail: the quota left (slow), null (fast); the node's quota id and type in the argv", async () => {
    using s = standin();
    s.quota(1000, 5000);
    const ctx = lustreContext();
    const row = { id: 1, name: "nq", root: s.dir.path, group_id: 1, io_class: "LustreQuota", storage_type: "F" } as unknown as StorageNodeRow;
    const io = new LustreQuotaNodeIO({ node: nodeInfo(row), config: { quota_id: "qid", quota_type: "project", lfs: LFS }, services: ioServices(ctx, "Node:nq:1") });
    expect(await io.bytesAvail(false)).toBe(4000 * 1024);
    expect(await io.bytesAvail(true)).toBeNull();
    expect(s.calls()).toEqual([["quota", "-q", "-p", "qid", s.dir.path]]);
  });
});
