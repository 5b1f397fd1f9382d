// Exit statuses, the confirmation prompt, -q, `--file-list -`, awkward names and --help, on the
// compiled binary (dist/alpenhorn copied into an empty temp dir), SQLite then MariaDB. The
// command table mapping each group to its e2e cases is at the top of cli.test.ts. Expected texts
// are alpenhorn's at 632dd41: click's exit statuses and usage block (README, "The CLI"), the
// confirmation flow (check_then_update in alpenhorn/cli/cli.py), FILE paths and --file-list
// (file_from_path, check_if_from_stdin, files_from_file in alpenhorn/cli/options.py) and
// alpenhorn/cli/acq/create.py.

import { describe, expect, test } from "bun:test";
import { BACKENDS, useSession } from "./cli-session.ts";

const MD5 = "4f2a66c1ff5eb90a5013522d53ea2e91";
const META = "2025/02/21/meta.txt";
const CHECK_WARNING = "WARNING >> stdin has been redirected without --force.  Automatically enabling --check mode.\n";

/** click's usage-error block on stderr, as click prints it for alpenhorn's commands. */
const usage = (path: string, args: string, error: string) =>
  `Usage: alpenhorn ${path} [OPTIONS]${args}\nTry 'alpenhorn ${path} -h' for help.\n\nError: ${error}\n`;

for (const backend of BACKENDS) {
  describe.if(backend.enabled)(`dist/alpenhorn exit statuses and input handling [${backend.name}]`, () => {
    const s = useSession(backend, `exit-${backend.name}`);
    const ok = async (args: string[], out: string, input?: string) =>
      expect(await s.run(args, input)).toEqual({ code: 0, out, err: "" });

    test("0: a demo index with one healthy file on an active node", async () => {
      await ok(["db", "init"], "Data Index version 2 initialised.\n");
      await ok(["group", "create", "demo_storage1"], 'Created storage group "demo_storage1".\n');
      await ok(
        ["node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", "--root=/data", "--host=alpenhost1", "--activate"],
        'Created storage node "demo_storage1".\n',
      );
      await ok(["acq", "create", "2025/02/21"], 'Created acquisition "2025/02/21".\n');
      await ok(["file", "create", "meta.txt", "2025/02/21", "--size=52", `--md5=${MD5}`], `Registered File ${META}.\n`);
      await ok(["file", "state", META, "demo_storage1", "--set=healthy"], "State updated.\n");
    });

    test("1: an unknown node is an Error: line on stderr", async () => {
      expect(await s.run(["node", "show", "nope"])).toEqual({ code: 1, out: "", err: "Error: no such node: nope\n" });
    });

    test("2: usage errors for an unknown option, a missing argument and mutual exclusions", async () => {
      expect(await s.run(["node", "list", "--bogus"])).toEqual({
        code: 2,
        out: "",
        err: usage("node list", "", "No such option '--bogus'. Did you mean '--host'?"),
      });
      expect(await s.run(["file", "create", "meta.txt"])).toEqual({
        code: 2,
        out: "",
        err: usage("file create", " NAME ACQ", "Missing argument 'ACQ'."),
      });
      expect(await s.run(["node", "create", "x", "--group=demo_storage1", "--create-group"])).toEqual({
        code: 2,
        out: "",
        err: usage("node create", " NAME", "cannot use both --create-group and --group"),
      });
      expect(await s.run(["node", "clean", "demo_storage1", "--check", "--force"])).toEqual({
        code: 2,
        out: "",
        err: usage("node clean", " NODE", "cannot use both --check and --force"),
      });
      expect(await s.run(["-q", "-v", "node", "list"])).toEqual({
        code: 2,
        out: "",
        err: "Usage: alpenhorn [OPTIONS] COMMAND [ARGS]...\nTry 'alpenhorn -h' for help.\n\nError: cannot use both --quiet and --verbose\n",
      });
    });

    const WOULD_RELEASE = "Would release 1 file (52 B).\n\nContinue? [y/N]: ";

    test("1: the prompt reaching end of input is Aborted!", async () => {
      const r = await s.run(["node", "clean", "demo_storage1", "--now"], "");
      expect(r).toEqual({ code: 1, out: WOULD_RELEASE, err: "Aborted!\n" });
      expect(r.out).toEndWith("Continue? [y/N]: ");
    });

    test("0: answering n is Cancelled. and changes nothing; an invalid answer asks again", async () => {
      await ok(["node", "clean", "demo_storage1", "--now"], `${WOULD_RELEASE}\nCancelled.\n`, "n\n");
      await ok(
        ["node", "clean", "demo_storage1", "--now"],
        `${WOULD_RELEASE}Error: invalid input\nContinue? [y/N]: \nCancelled.\n`,
        "maybe\nNO\n",
      );
      await ok(["file", "state", META, "demo_storage1"], "Healthy\n");
    });

    test("--file-list - reads stdin (comments, blank lines, paths under the root) and forces check mode", async () => {
      const list = `# the demo's first file\n\n/data/${META}\n  ${META}  \n`;
      expect(await s.run(["node", "clean", "demo_storage1", "--now", "--file-list", "-"], list)).toEqual({
        code: 0,
        out: "Would release 1 file (52 B).\n",
        err: CHECK_WARNING,
      });
      expect(await s.run(["node", "clean", "demo_storage1", "--now", "-F", "-"], "2025/02/21/nope.txt\n")).toEqual({
        code: 1,
        out: "",
        err: `${CHECK_WARNING}Error: No such file on line 1 of stdin: 2025/02/21/nope.txt\n`,
      });
      s.dir.write({ "list.txt": `${META}\n` }); // a --file-list FILE is relative to the working directory
      await ok(["node", "clean", "demo_storage1", "--now", "--check", "-F", "list.txt"], "Would release 1 file (52 B).\n");
      await ok(["file", "state", META, "demo_storage1"], "Healthy\n");
    });

    test("0: answering y re-runs the command in update mode", async () => {
      await ok(
        ["node", "clean", "demo_storage1", "--now"],
        `${WOULD_RELEASE}\nReleasing 1 file (52 B).\nUpdated 1 file.\n`,
        "y\n",
      );
      await ok(["file", "state", META, "demo_storage1"], "Healthy Released\n");
    });

    test("-q silences command output but not the prompt, db init or Error: lines", async () => {
      expect(await s.run(["-q", "node", "clean", "demo_storage1", "--cancel"], "")).toEqual({
        code: 1,
        out: "Continue? [y/N]: ",
        err: "Aborted!\n",
      });
      await ok(["-q", "acq", "create", "2025/02/26"], "");
      expect(await s.run(["-q", "acq", "create", "2025/02/26"])).toEqual({
        code: 1,
        out: "",
        err: 'Error: Acquisition "2025/02/26" already exists.\n',
      });
      expect(await s.run(["-q", "node", "show", "nope"])).toEqual({ code: 1, out: "", err: "Error: no such node: nope\n" });
      await ok(["-q", "db", "init"], "Data Index already initialised.\n");
    });

    test("names with spaces and quotes work when quoted", async () => {
      await ok(["node", "create", "my node", "--group=demo_storage1"], 'Created storage node "my node".\n');
      await ok(["node", "activate", "my node"], 'Storage node "my node" activated.\n');
      const show = await s.run(["node", "show", "my node"]);
      expect(show.code).toBe(0);
      expect(show.out).toStartWith("   Storage Node: my node\n  Storage Group: demo_storage1\n         Active: Yes\n");
      await ok(["group", "create", `it's "quoted"`], `Created storage group "it's "quoted"".\n`);
      const group = await s.run(["group", "show", `it's "quoted"`]);
      expect(group.code).toBe(0);
      expect(group.out).toStartWith(`Storage Group: it's "quoted"\n`);
      await ok(["acq", "create", "run 1"], 'Created acquisition "run 1".\n');
      await ok(["file", "create", "a b.dat", "run 1", "--size=1", `--md5=${MD5}`], "Registered File run 1/a b.dat.\n");
      await ok(["file", "list", "--acq=run 1"], "run 1/a b.dat\n");
    });

    test("`..` is kept in FILE paths and refused in names; `//` and `.` are normalised", async () => {
      // Collapsing `x/..` would find meta.txt, but file_from_path (alpenhorn/cli/options.py) keeps
      // `..` as pathlib.PurePath does, so this path does not exist.
      expect(await s.run(["file", "show", "2025/02/21/x/../meta.txt"])).toEqual({
        code: 1,
        out: "",
        err: "Error: No such file: 2025/02/21/x/../meta.txt\n",
      });
      const normalised = await s.run(["file", "show", "2025//02/21/./meta.txt/"]);
      expect(normalised.code).toBe(0);
      expect(normalised.out).toStartWith(`       Name: meta.txt\nAcquisition: 2025/02/21\n       Path: ${META}\n`);
      expect(await s.run(["file", "create", "x/../meta.txt", "2025/02/21", "--size=1", `--md5=${MD5}`])).toEqual({
        code: 1,
        out: "",
        err: 'Error: invalid name: invalid path element ".."\n',
      });
      expect(await s.run(["acq", "create", "../2025"])).toEqual({ code: 1, out: "", err: "Error: invalid name: invalid start\n" });
    });

    test("0: --help of a group and of a command", async () => {
      const group = await s.run(["node", "--help"]);
      expect(group).toMatchObject({ code: 0, err: "" });
      expect(group.out).toStartWith("Usage: alpenhorn node [OPTIONS] COMMAND [ARGS]...\n\n  Manage Storage Nodes.\n");
      expect(group.out).toContain("\nCommands:\n");
      const command = await s.run(["node", "create", "-h"]);
      expect(command).toMatchObject({ code: 0, err: "" });
      expect(command.out).toStartWith("Usage: alpenhorn node create [OPTIONS] NAME\n");
      expect(command.out).toContain("--auto-import");
      expect(command.out).toContain("-h, --help");
    });
  });
}
