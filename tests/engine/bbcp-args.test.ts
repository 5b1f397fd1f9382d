// bbcp's argv, its port per worker and the reading of its outcome (alpenhorn/io/default/pull.py:
// bbcp at 632dd41, as tests/io/default/test_pull_funcs.py there pins them): pure functions, no
// process run. The daemon running the stand-in bbcp is tests/engine/bbcp-pull.test.ts.

import { expect, test } from "bun:test";
import { bbcpArgv, bbcpPort, bbcpVerdict } from "../../src/engine/io/default/bbcp.ts";
import { currentWorkerId, runOnWorker } from "../../src/engine/scheduler/worker-id.ts";

test("alpenhorn's arguments, one argv element each; a hostile name stays one argument", () => {
  const src = "u@h:/n/a/-rf $(x);|\n.dat";
  expect(bbcpArgv(src, "/d/.alpentemp.1.2/-rf $(x);|\n.dat", 4210)).toEqual([
    "bbcp", "-V", "-f", "-z", "--port", "4210", "-W", "4M", "-s", "16", "-e", "-E", "%md5=", src, "/d/.alpentemp.1.2/-rf $(x);|\n.dat",
  ]);
});

test("port 4200 on the main flow and for worker 1, then ten more per worker", () => {
  expect([0, 1, 2, 3, 10].map(bbcpPort)).toEqual([4200, 4200, 4210, 4220, 4290]);
});

test("the worker id follows the worker's async flow, 0 outside any", async () => {
  expect(currentWorkerId()).toBe(0);
  const seen = await Promise.all(
    [1, 2, 3].map((n) =>
      runOnWorker(n, async () => {
        await Bun.sleep(5 * (4 - n));
        await Promise.resolve();
        return currentWorkerId();
      }),
    ),
  );
  expect(seen).toEqual([1, 2, 3]);
  expect(currentWorkerId()).toBe(0);
});

test("exit 0: the source's MD5 from stderr; none there: alpenhorn's error, not the source's fault", () => {
  const r = (rc: number | null, stderr: string, stdout = "", overrun = false) => bbcpVerdict({ rc, stdout, stderr, overrun });
  const md5 = "0123456789abcdef0123456789abcdef";
  expect(r(0, `bbcp: Creating /d/x\nmd5 ${md5} /n/x\n`)).toEqual({ ok: true, sourceMd5: md5 });
  // Upper-case hex is not bbcp's and is not taken (alpenhorn's pattern).
  expect(r(0, `md5 ${md5.toUpperCase()}`)).toMatchObject({ ok: false });
  expect(r(0, "bbcp: done", "out")).toEqual({
    ok: false,
    checkSrc: false,
    message: "Unable to read m5sum from bbcp output",
    error: "BBCP transfer has gone awry. STDOUT: out\n STDERR: bbcp: done",
  });
});

test("a failure, a timeout or a kill may be the source's fault", () => {
  const r = (rc: number | null, stderr: string, overrun = false) => bbcpVerdict({ rc, stdout: "", stderr, overrun });
  expect(r(1, "bbcp: Unable to open /n/x\n")).toEqual({ ok: false, checkSrc: true, message: "bbcp: Unable to open /n/x", error: null });
  expect(r(2, "")).toMatchObject({ checkSrc: true, message: "bbcp exited with status 2" });
  expect(r(null, "", true)).toMatchObject({ checkSrc: true, message: "bbcp timed out" });
  expect(r(null, "")).toMatchObject({ checkSrc: true, message: "bbcp was killed" });
  // A failed run's MD5 is never taken.
  expect(r(1, "md5 0123456789abcdef0123456789abcdef")).toMatchObject({ ok: false, checkSrc: true });
});
