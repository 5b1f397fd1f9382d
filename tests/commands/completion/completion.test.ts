// `alpenhorn completion bash|zsh` and the hidden `_names`: the generated scripts sourced in a
// real bash (and a real zsh, with compadd caught), asked for candidates the way the shells
// ask (COMP_WORDS/COMP_CWORD; words/CURRENT), names coming from a test index on SQLite and
// MariaDB through the CLI run from source.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, type CliRunner } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { ROOT_COMMANDS, ROOT_SUMMARIES } from "../../../src/commands/index.ts";

const MAIN = resolve(import.meta.dir, "../../../src/main.ts");
const zsh = Bun.which("zsh");

interface Shells {
  /** Candidates for the command line `words` (the last one being completed). */
  bash(words: string[]): Promise<string[]>;
  zsh(words: string[]): Promise<string[]>;
}

async function shells(idx: TestIndex, cli: CliRunner): Promise<Shells> {
  // The command as the user types it: a wrapper running the CLI from source.
  const exe = idx.dir.join("alpenhorn");
  writeFileSync(exe, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} "$@"\n`);
  chmodSync(exe, 0o755);
  const bashFile = idx.dir.join("completion.bash");
  const zshFile = idx.dir.join("_alpenhorn");
  writeFileSync(bashFile, (await cli(["completion", "bash"])).out);
  writeFileSync(zshFile, (await cli(["completion", "zsh"])).out);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const run = async (argv: string[]) => {
    const p = Bun.spawn(argv, { cwd: idx.dir.path, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: idx.dir.path }, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    return out.split("\n").filter((l) => l !== "");
  };
  return {
    bash: (words) =>
      run([
        "bash",
        "-c",
        `source ${q(bashFile)}; COMP_WORDS=(${[exe, ...words].map(q).join(" ")}); COMP_CWORD=${words.length}; _alpenhorn; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ]),
    zsh: (words) =>
      run([
        zsh!,
        "-f",
        "-c",
        `compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@"; }; _files() { print -r -- '<files>'; }; ` +
          `source ${q(zshFile)}; words=(${[exe, ...words].map(q).join(" ")}); CURRENT=${words.length + 1}; _alpenhorn`,
      ]),
  };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`completion [${backend}]`, () => {
    let idx: TestIndex;
    let cli: CliRunner;
    let sh: Shells;
    let conf: string[];
    beforeAll(async () => {
      idx = await initialisedIndex(backend);
      const gx = await seed.group(idx.db, { name: "gx" });
      const gy = await seed.group(idx.db, { name: "gy" });
      await seed.node(idx.db, { name: "alpha", group_id: gx.id });
      await seed.node(idx.db, { name: "beta", group_id: gy.id });
      await seed.acq(idx.db, { name: "2025/01/01" });
      cli = cliFor(idx);
      sh = await shells(idx, cli);
      conf = ["--test-isolation", "-c", cli.confPath];
    }, 60_000);
    afterAll(async () => {
      await idx?.[Symbol.asyncDispose]();
    });

    test("_names prints the index's names, one a line; a bad KIND is a usage error", async () => {
      expect((await cli(["_names", "node"])).out).toBe("alpha\nbeta\n");
      expect((await cli(["_names", "group"])).out).toBe("gx\ngy\n");
      expect((await cli(["_names", "acq"])).out).toBe("2025/01/01\n");
      const bad = await cli(["_names", "file"]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("Error: Invalid value for 'KIND': 'file' is not one of 'node', 'group', 'acq'.\n");
      // Hidden: not in the root help, nor offered by completion.
      expect((await cli(["--help"])).out).not.toContain("_names");
    });

    test("bash: commands, sub-commands and options from the definitions", async () => {
      const roots = await sh.bash([""]);
      expect(roots).toEqual(["acq", "check-site", "completion", "db", "file", "group", "host", "node", "serve", "status"]);
      expect(await sh.bash(["no"])).toEqual(["node"]);
      expect(await sh.bash(["node", "s"])).toEqual(["scan", "show", "stats", "sync"]);
      expect(await sh.bash(["node", "sync", "--w"])).toEqual(["--wait"]);
      expect(await sh.bash(["file", "import", "--t"])).toEqual(["--timeout"]);
      expect(await sh.bash(["status", "-"])).toEqual(["--json", "-h", "--help"]);
      expect(await sh.bash(["--ver"])).toEqual(["--version", "--verbose"]);
    });

    test("bash: every group's sub-commands are its listed ones, read from the definitions", async () => {
      for (const [name, load] of Object.entries(ROOT_COMMANDS)) {
        if (!(name in ROOT_SUMMARIES)) continue;
        const def = await load();
        if (def.kind !== "group") continue;
        expect(await sh.bash([name, ""])).toEqual(Object.keys(def.summaries).sort());
      }
    });

    test("bash: node, group and acquisition names from the index named on the line", async () => {
      expect(await sh.bash([...conf, "node", "sync", ""])).toEqual(["alpha", "beta"]);
      expect(await sh.bash([...conf, "node", "sync", "alpha", "g"])).toEqual(["gx", "gy"]);
      expect(await sh.bash([...conf, "node", "sync", "alpha", "gx", "--target", ""])).toEqual(["gx", "gy"]);
      expect(await sh.bash([...conf, "file", "sync", "a/b", "--from", "b"])).toEqual(["beta"]);
      expect(await sh.bash([...conf, "node", "clean", "--acq", ""])).toEqual(["2025/01/01"]);
      expect(await sh.bash([...conf, "acq", "files", ""])).toEqual(["2025/01/01"]);
      // --conf=FILE arrives split at "=" (COMP_WORDBREAKS); the value is no positional.
      expect(await sh.bash(["--test-isolation", "--conf", "=", cli.confPath, "node", "show", "a"])).toEqual(["alpha"]);
      // A value option that takes no names offers nothing; an option before NODE is skipped.
      expect(await sh.bash([...conf, "node", "sync", "--timeout", ""])).toEqual([]);
      expect(await sh.bash([...conf, "node", "clean", "--now", ""])).toEqual(["alpha", "beta"]);
      // Without a reachable index, no names and no error on the terminal.
      expect(await sh.bash(["-c", "/nonexistent.conf", "node", "show", ""])).toEqual([]);
    });

    test("bash: files for file options", async () => {
      writeFileSync(idx.dir.join("list-of-files.txt"), "");
      expect(await sh.bash(["node", "sync", "-F", "list-of"])).toEqual(["list-of-files.txt"]);
    });

    (zsh ? test : test.skip)(`zsh: syntax and the same candidates${zsh ? "" : " (skipped: no zsh)"}`, async () => {
      const check = Bun.spawnSync([zsh!, "-n", idx.dir.join("_alpenhorn")], { stderr: "pipe" });
      expect({ code: check.exitCode, err: check.stderr.toString() }).toEqual({ code: 0, err: "" });
      expect(await sh.zsh(["no"])).toEqual(["acq", "check-site", "completion", "db", "file", "group", "host", "node", "serve", "status"]);
      expect(await sh.zsh(["node", "sync", "--w"])).toContain("--wait");
      expect(await sh.zsh([...conf, "node", "sync", ""])).toEqual(["alpha", "beta"]);
      expect(await sh.zsh([...conf, "node", "sync", "alpha", ""])).toEqual(["gx", "gy"]);
      expect(await sh.zsh(["node", "sync", "-F", ""])).toEqual(["<files>"]);
    });
  });
}

describe("completion usage", () => {
  test("an unknown shell is a usage error; no index is needed to print a script", async () => {
    await using idx = await initialisedIndex("sqlite");
    const cli = cliFor(idx);
    const bad = await cli(["completion", "fish"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("Error: Invalid value for 'SHELL': 'fish' is not one of 'bash', 'zsh'.\n");
    const broken = idx.dir.join("broken.conf");
    writeFileSync(broken, "database:\n  url: sqlite:////nonexistent/dir/x.db\n");
    const r = await cli(["-c", broken, "completion", "bash"]);
    expect(r.code).toBe(0);
    expect(r.out).toStartWith("# bash completion for alpenhorn");
  });
});
