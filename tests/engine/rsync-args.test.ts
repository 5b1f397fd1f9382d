// rsync's argv and the reading of its outcome (alpenhorn/io/default/pull.py: rsync at 632dd41),
// and the command line as logged: pure functions, no process run.

import { expect, test } from "bun:test";
import { commandLine } from "../../src/engine/io/commands.ts";
import { remoteLiteral, rsyncArgv, rsyncVerdict } from "../../src/engine/io/default/rsync.ts";

const settings = { rsh: "ssh -q", bwlimit: null };

test("alpenhorn's remote arguments, one argv element each; a hostile name stays one argument", () => {
  const src = "u@h:/n/a/-rf $(x);|\n.dat";
  expect(rsyncArgv(src, "/d/.alpentemp.1.2/-rf $(x);|\n.dat", settings)).toEqual([
    "rsync", "--compress", "--rsync-path=ionice -c2 -n4 rsync", "--rsh=ssh -q", "--quiet", "--times", "--protect-args",
    "--perms", "--group", "--owner", "--copy-links", "--sparse", src, "/d/.alpentemp.1.2/-rf $(x);|\n.dat",
  ]);
  expect(rsyncArgv("s", "t", { rsh: "ssh -p 2", bwlimit: 64 }).slice(3, 5)).toEqual(["--rsh=ssh -p 2", "--bwlimit=64"]);
});

test("stderr decides whose fault: mkstemp and `write failed on` are the destination's", () => {
  const r = (rc: number | null, stderr: string, overrun = false) => rsyncVerdict({ rc, stdout: "", stderr, overrun });
  expect(r(0, "")).toEqual({ ok: true });
  expect(r(23, 'rsync: mkstemp "/d/.x.ab" failed: Permission denied (13)')).toMatchObject({ ok: false, checkSrc: false, warning: "rsync file creation failed" });
  expect(r(11, "rsync: write failed on \"/d/x\": No space left on device (28)")).toMatchObject({
    ok: false,
    checkSrc: false,
    warning: "rsync failed to write to destination: No space left on device (28)",
  });
  expect(r(23, "rsync: link_stat \"/n/x\" failed: No such file or directory (2)")).toMatchObject({ ok: false, checkSrc: true, warning: null });
  expect(r(null, "", true)).toMatchObject({ ok: false, checkSrc: true, message: "rsync timed out" });
});

test("the logged command line is one line", () => {
  expect(commandLine(["rsync", "a\nb", "c\td"])).toBe("rsync a\\nb c\\td");
});

test("the remote rsync globs the source path: wildcards are escaped, a path without any is left alone", () => {
  expect(remoteLiteral("u@h:/n/a/*?[x].dat")).toBe("u@h:/n/a/\\*\\?\\[x].dat");
  expect(remoteLiteral("u@h:/n/a/b\\s[1].dat")).toBe("u@h:/n/a/b\\s[1].dat"); // with a backslash: as before
  expect(remoteLiteral("u@h:/n/a/back\\slash $(x).dat")).toBe("u@h:/n/a/back\\slash $(x).dat");
  expect(remoteLiteral("u@[::1]:/n/a/*.dat")).toBe("u@[::1]:/n/a/\\*.dat");
  expect(rsyncArgv("u@h:/n/*", "t", settings).at(-2)).toBe("u@h:/n/\\*");
  // rsync's receiver refusing a name it cannot match back is not the source's fault.
  expect(rsyncVerdict({ rc: 4, stdout: "", stderr: "ERROR: rejecting unrequested file-list name: a\\b*.dat", overrun: false })).toMatchObject({ ok: false, checkSrc: false });
});
