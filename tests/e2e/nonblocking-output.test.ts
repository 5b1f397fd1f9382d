// Output into a non-blocking pipe whose reader falls behind (a parent's Bun.spawn pipe can be
// one): the binary must wait for the reader and write everything, not die on EAGAIN with
// `Fatal error!` (seen with the daemon's log lines under a loaded benchmark).

import { expect, test } from "bun:test";
import { closeSync, constants, openSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { binaryPath } from "../helpers/binary.ts";
import { tempDir } from "../helpers/tmp.ts";

test("a long listing into a non-blocking pipe nobody reads for a while arrives whole", async () => {
  using dir = tempDir("nonblocking");
  const bin = await binaryPath();
  const conf = dir.join("alpenhorn.conf");
  writeFileSync(conf, `database:\n  url: sqlite:///${dir.join("index.db")}\n`);
  const run = (args: string[]) => Bun.spawnSync([bin, "--test-isolation", "-c", conf, ...args], { cwd: dir.path });
  expect(run(["db", "init"]).exitCode).toBe(0);
  // 20,000 acquisitions: `acq list` prints far more than a pipe's 64 KiB buffer.
  const { Database } = await import("bun:sqlite");
  const db = new Database(dir.join("index.db"));
  db.transaction(() => {
    const q = db.query("INSERT INTO archiveacq (name) VALUES (?)");
    for (let i = 0; i < 20_000; i++) q.run(`acquisition-with-a-long-name-${String(i).padStart(6, "0")}`);
  })();
  db.close();

  const fifo = join(dir.path, "out.fifo");
  expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
  const rd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const wr = openSync(fifo, constants.O_WRONLY);
  // Bun.spawn hands the child a blocking descriptor, so perl (Debian's essential perl-base)
  // sets O_NONBLOCK on the child's stdout and then execs the binary.
  const nonblocking = "use Fcntl; my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f | O_NONBLOCK) or die; exec @ARGV or die";
  const child = Bun.spawn(["perl", "-e", nonblocking, bin, "--test-isolation", "-c", conf, "acq", "list"], { cwd: dir.path, stdout: wr, stderr: "pipe" });
  closeSync(wr);
  await Bun.sleep(1500); // the pipe fills; the child meets EAGAIN
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n = 0;
    try {
      n = readSync(rd, buf, 0, buf.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      if (child.exitCode !== null) break;
      await Bun.sleep(5);
      continue;
    }
    if (n === 0) break; // the child closed its end
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  closeSync(rd);
  expect(await child.exited).toBe(0);
  expect(await new Response(child.stderr).text()).toBe("");
  const lines = Buffer.concat(chunks).toString("utf8").split("\n");
  expect(lines.filter((l) => l.startsWith("acquisition-with-a-long-name-")).length).toBe(20_000);
}, 60_000);
