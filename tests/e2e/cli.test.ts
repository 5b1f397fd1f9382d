// The CLI as a user runs it: dist/alpenhorn, copied alone into an empty temp dir, driven through
// the first steps of the alpenhorn demo (doc/demo.rst at 632dd41) on a new SQLite file and, in a
// second pass, on a fresh MariaDB database. Expected outputs are the demo's transcripts where it
// shows one (their lost column alignment restored as tabulate's "simple" format lays it out; see
// tests/unit/common/table.test.ts), else the output of the command's module under
// alpenhorn/cli/ at 632dd41. The in-process tests under
// tests/commands cover each command in depth; these pin the compiled binary end to end.
//
// | group | e2e case (this file: cli.test.ts)                         | e2e case (cli-exit.test.ts)                                     |
// |-------|-----------------------------------------------------------|-----------------------------------------------------------------|
// | (top) |                                                           | `-q -v` usage error (2)                                         |
// | db    | `db init` on the new index                                | `-q db init` is not silenced                                    |
// | group | `group create` → `group list` → `group show`              | a name with `"` and `'`                                         |
// | node  | `node create` (demo flags), `node activate`, `node list`, | `no such node` (1); `node clean` prompt: EOF → `Aborted!` (1),  |
// |       | `node show`, `node create --create-group`, `node stats`,  | `n` → `Cancelled.` (0), invalid answer re-prompts, `y` → update |
// |       | `node sync --show-files` answered `y`, then re-run        | run; `--file-list -` (forced check) and `-F FILE`; `--check`    |
// |       |                                                           | +`--force`, `--create-group`+`--group`, unknown option (2);     |
// |       |                                                           | `-q` keeps the prompt and `Error:`; a name with a space;        |
// |       |                                                           | `node --help` (group) and `node create -h` (command) exit 0     |
// | acq   | `acq create` → `acq list` (before and after a file)       | `-q acq create`; `../2025` refused; a name with a space         |
// | file  | `file create --size --md5`, `file list`, `file show`,     | missing argument (2); `x/../meta.txt` kept (not found) and      |
// |       | `file state --set`, `file list --node --details`          | refused as a name; `//`, `.` normalised; `file state` checks    |

import { describe, expect, test } from "bun:test";
import { BACKENDS, ctimesBetween, useSession } from "./cli-session.ts";

const MD5 = "4f2a66c1ff5eb90a5013522d53ea2e91"; // the demo's meta.txt: 52 bytes

for (const backend of BACKENDS) {
  describe.if(backend.enabled)(`dist/alpenhorn demo walk-through [${backend.name}]`, () => {
    const s = useSession(backend, `walk-${backend.name}`);
    const ok = async (args: string[], out: string, input?: string) =>
      expect(await s.run(args, input)).toEqual({ code: 0, out, err: "" });
    let registered: string[] = [];

    test("db init", async () => {
      await ok(["db", "init"], "Data Index version 2 initialised.\n");
    });

    test("group create, group list", async () => {
      await ok(["group", "create", "demo_storage1"], 'Created storage group "demo_storage1".\n');
      await ok(["group", "list"], [
        "Name           I/O Class    Notes",
        "-------------  -----------  -------",
        "demo_storage1  Default",
        "",
      ].join("\n"));
    });

    test("node create (demo style), node activate, node list", async () => {
      await ok(
        ["node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", "--root=/data", "--host=alpenhost1"],
        'Created storage node "demo_storage1".\n',
      );
      await ok(["node", "activate", "demo_storage1"], 'Storage node "demo_storage1" activated.\n');
      await ok(["node", "list"], [
        "Name           Group          Role    I/O Class    Host        Active    Root    Notes",
        "-------------  -------------  ------  -----------  ----------  --------  ------  -------",
        "demo_storage1  demo_storage1  -                    alpenhost1  Yes       /data",
        "",
      ].join("\n"));
    });

    test("group show lists the node", async () => {
      await ok(["group", "show", "demo_storage1"], [
        "Storage Group: demo_storage1",
        "        Notes: ",
        "    I/O Class: Default",
        "",
        "I/O Config:",
        "",
        "  none",
        "",
        "Nodes:",
        "",
        "  demo_storage1",
        "",
      ].join("\n"));
    });

    test("node show", async () => {
      await ok(["node", "show", "demo_storage1"], [
        "   Storage Node: demo_storage1",
        "  Storage Group: demo_storage1",
        "         Active: Yes",
        "           Type: -",
        "          Notes: ",
        "      I/O Class: Default",
        "",
        "    Daemon Host: alpenhost1",
        " Log-in Address: ",
        "Log-in Username: ",
        "Filesystem Root: /data",
        "",
        "    Auto-Import: On",
        "    Auto-Verify: Off",
        "      Max Total: -",
        "      Available: -",
        "  Min Available: -",
        "   Last Checked: -",
        "",
        "I/O Config:",
        "",
        "  none",
        "",
      ].join("\n"));
    });

    test("acq create, acq list", async () => {
      await ok(["acq", "create", "2025/02/21"], 'Created acquisition "2025/02/21".\n');
      await ok(["acq", "list"], "Name          Files\n----------  -------\n2025/02/21        0\n");
    });

    test("file create --size --md5, file list, file show", async () => {
      const before = Date.now();
      await ok(["file", "create", "meta.txt", "2025/02/21", "--size", "52", "--md5", MD5], "Registered File 2025/02/21/meta.txt.\n");
      registered = ctimesBetween(before, Date.now());
      await ok(["file", "list"], "2025/02/21/meta.txt\n");
      const show = await s.run(["file", "show", "2025/02/21/meta.txt"]);
      expect(show.code).toBe(0);
      const when = /^ Registered: (.*)$/m.exec(show.out)?.[1] ?? "";
      expect(registered).toContain(when);
      expect(show.out).toBe([
        "       Name: meta.txt",
        "Acquisition: 2025/02/21",
        "       Path: 2025/02/21/meta.txt",
        "",
        "       Size: 52 B",
        `   MD5 Hash: ${MD5}`,
        ` Registered: ${when}`,
        "",
      ].join("\n"));
    });

    test("a copy on the node: node create --create-group, node stats, file list --details, acq list", async () => {
      // The demo's daemon imports meta.txt; here `file state --set` records the healthy copy.
      await ok(["file", "state", "2025/02/21/meta.txt", "demo_storage1", "--set", "healthy"], "State updated.\n");
      await ok(
        ["node", "create", "demo_storage2", "--create-group", "--root=/data", "--host=alpenhost2"],
        'Created storage group "demo_storage2".\nCreated storage node "demo_storage2".\n',
      );
      await ok(["node", "stats"], [
        "Name             File Count    Total Size    % Full",
        "-------------  ------------  ------------  --------",
        "demo_storage1             1          52 B         -",
        "demo_storage2             0             -         -",
        "",
      ].join("\n"));
      const details = await s.run(["file", "list", "--node=demo_storage1", "--details"]);
      const when = /^2025\/02\/21\/meta\.txt {2}52 B {4}\S+ {2}(.{28}) {2}/m.exec(details.out)?.[1] ?? "";
      expect(registered).toContain(when);
      expect(details).toEqual({
        code: 0,
        out: [
          "File                 Size    MD5 Hash                          Registration Time             State    Size on Node",
          "-------------------  ------  --------------------------------  ----------------------------  -------  --------------",
          `2025/02/21/meta.txt  52 B    ${MD5}  ${when}  Healthy  -`,
          "",
        ].join("\n"),
        err: "",
      });
      await ok(["acq", "list"], "Name          Files\n----------  -------\n2025/02/21        1\n");
    });

    test("node sync --show-files, answered y (the demo's bulk transfer), then already scheduled", async () => {
      const to = 'from Node "demo_storage1" to Group "demo_storage2"';
      await ok(
        ["node", "sync", "demo_storage1", "demo_storage2", "--show-files"],
        `Would sync 1 file (52 B) ${to}:\n\n2025/02/21/meta.txt\n\nContinue? [y/N]: \n` +
          `Syncing 1 file (52 B) ${to}.\n\nAdded 1 new copy request.\n`,
        "y\n",
      );
      await ok(
        ["node", "sync", "demo_storage1", "demo_storage2"],
        `1 file (52 B) already scheduled for sync ${to}\nNo additional files to sync.\n`,
      );
    });
  });
}
