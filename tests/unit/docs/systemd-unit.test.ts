// examples/alpenhorn.service: the directives the README promises, and systemd's own verdict
// (`systemd-analyze verify`, where installed) on the unit with ExecStart pointed at a stand-in
// executable, since the binary is not installed here.

import { describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { tempDir } from "../../helpers/tmp.ts";
import { ROOT_COMMANDS } from "../../../src/commands/index.ts";

const UNIT = readFileSync(resolve(import.meta.dir, "../../../examples/alpenhorn.service"), "utf8");
const analyze = Bun.which("systemd-analyze");

/** key → values of the unit's assignments (comments and section headers dropped). */
function directives(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

describe("examples/alpenhorn.service", () => {
  test("runs `alpenhorn serve` as a dedicated user, stops it with SIGTERM, restarts it on failure", () => {
    const d = directives(UNIT);
    expect(d.get("Type")).toEqual(["simple"]);
    expect(d.get("ExecStart")).toEqual(["/usr/local/bin/alpenhorn serve"]);
    expect("serve" in ROOT_COMMANDS).toBe(true);
    expect(d.get("KillSignal")).toEqual(["SIGTERM"]);
    expect(d.get("Restart")).toEqual(["on-failure"]);
    expect(d.get("User")).toEqual(["alpenhorn"]);
    // Longer than the daemon's 3 s shutdown grace.
    expect(Number(d.get("TimeoutStopSec")![0])).toBeGreaterThan(3);
  });

  test.skipIf(!analyze)("systemd-analyze verify finds nothing to say (and does complain about a broken copy)", () => {
    using dir = tempDir("unit");
    const exe = dir.join("alpenhorn");
    writeFileSync(exe, "#!/bin/sh\n");
    chmodSync(exe, 0o755);
    const verify = (text: string) => {
      const path = dir.join("alpenhorn.service");
      writeFileSync(path, text.replace("/usr/local/bin/alpenhorn", exe));
      const r = Bun.spawnSync([analyze!, "verify", path]);
      return { code: r.exitCode, text: r.stdout.toString() + r.stderr.toString() };
    };
    expect(verify(UNIT)).toEqual({ code: 0, text: "" });
    expect(verify(UNIT.replace("KillMode=mixed", "KillMode=bogus")).text).toContain("Failed to parse kill mode");
  });
});
