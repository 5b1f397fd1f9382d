// End-to-end checks of what is hard inside a `bun build --compile` binary: the embedded
// @parcel/watcher addon, run-time loading of on-disk .ts extensions, and ignoring a hostile
// bunfig.toml / .env in the start directory. Binaries run from a bare /tmp dir (no node_modules).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";

const PROBES = resolve(import.meta.dir, "../fixtures/probe");
const PROBE_NAMES = ["watch-probe", "extension-probe", "env-probe", "read-ahead-probe"] as const;
type Probe = (typeof PROBE_NAMES)[number];

const tempDirs: string[] = [];
const tempDir = (tag: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `alpenhorn-${tag}-`));
  tempDirs.push(dir);
  return dir;
};
let buildDir = "";

beforeAll(async () => {
  buildDir = tempDir("build");
  for (const name of PROBE_NAMES) {
    await compile({ entry: join(PROBES, `${name}.ts`), outfile: join(buildDir, name) });
  }
}, 180_000);

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Copies a built binary into a fresh, empty temp dir (so nothing from the repo is reachable) and returns that dir. */
function isolate(binary: string, tag: string): { dir: string; exe: string } {
  const dir = tempDir(tag);
  const exe = join(dir, basename(binary));
  copyFileSync(binary, exe);
  return { dir, exe };
}

function run(exe: string, args: string[], cwd: string) {
  // Empty-ish env: no BUN_* or NODE_PATH from the test runner leaks into the probe.
  const proc = Bun.spawnSync([exe, ...args], { cwd, env: { PATH: "/usr/bin:/bin" }, stdout: "pipe", stderr: "pipe" });
  return { code: proc.exitCode, out: proc.stdout.toString(), err: proc.stderr.toString() };
}

function runProbe(name: Probe, args: (dir: string) => string[], prepare?: (dir: string) => void) {
  const { dir, exe } = isolate(join(buildDir, name), name);
  prepare?.(dir);
  return run(exe, args(dir), dir);
}

describe("compiled probes", () => {
  test("embedded @parcel/watcher delivers a create event", () => {
    const r = runProbe(
      "watch-probe",
      (dir) => [join(dir, "watched")],
      (dir) => mkdirSync(join(dir, "watched")),
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^watch-ok probe-\d+\.txt\n$/);
  });

  test("loads an on-disk TypeScript extension with a relative import", () => {
    const expected = [{ name: "sample", version: "1.0", type: "import-detect" }];
    // From the repo, and from a copy outside it (nothing of the repo above it).
    const inRepo = runProbe("extension-probe", () => [join(PROBES, "sample-extension.ts")]);
    expect(inRepo.err).toBe("");
    expect(inRepo.code).toBe(0);
    expect(JSON.parse(inRepo.out)).toEqual(expected);

    const copied = runProbe(
      "extension-probe",
      (dir) => [join(dir, "ext", "sample-extension.ts")],
      (dir) => {
        mkdirSync(join(dir, "ext"));
        for (const f of ["sample-extension.ts", "sample-helper.ts"]) copyFileSync(join(PROBES, f), join(dir, "ext", f));
      },
    );
    expect(copied.err).toBe("");
    expect(copied.code).toBe(0);
    expect(JSON.parse(copied.out)).toEqual(expected);
  });

  test("an fs thread's read-ahead thread starts from the embedded entry", () => {
    const data = Buffer.alloc(5 << 20 | 123, 7);
    for (let i = 0; i < data.length; i += 4093) data[i] = i & 0xff;
    const r = runProbe(
      "read-ahead-probe",
      (dir) => [join(dir, "data.bin")],
      (dir) => writeFileSync(join(dir, "data.bin"), data),
    );
    expect(r.err).toBe("");
    const md5 = new Bun.CryptoHasher("md5").update(data).digest("hex");
    expect(r.out.trim()).toBe(`read-ahead-probe ahead ${data.length} ${md5}`);
    expect(r.code).toBe(0);
  });

  test("ignores a hostile bunfig.toml and .env in the start directory", () => {
    const hostile = (dir: string): void => {
      writeFileSync(join(dir, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
      writeFileSync(join(dir, "evil.ts"), 'console.log("EVIL");\n');
      writeFileSync(join(dir, ".env"), "FOO=bar\n");
    };
    const r = runProbe("env-probe", () => [], hostile);
    expect(r.code).toBe(0);
    expect(r.out + r.err).not.toContain("EVIL");
    expect(r.out).toBe("env-probe FOO=unset\n");

    // Control: with Bun's default autoload settings the same directory IS honoured,
    // so the assertions above really test compile()'s autoload switches.
    const control = join(buildDir, "env-probe-default-autoload");
    const built = Bun.spawnSync([process.execPath, "build", "--compile", "--outfile", control, join(PROBES, "env-probe.ts")]);
    expect(built.exitCode).toBe(0);
    const { dir, exe } = isolate(control, "control");
    hostile(dir);
    expect(run(exe, [], dir).out).toBe("EVIL\nenv-probe FOO=bar\n");
  });
});
