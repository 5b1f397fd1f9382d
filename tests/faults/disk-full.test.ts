// Disk full during a pull (issue 19, item 3), on the compiled binary, SQLite and MariaDB, for a
// local copy and a remote pull (rsync over the test sshd): the destination node's root is on a
// small tmpfs that a file beside the root fills while the pull writes (or, where mounting is not
// possible, the daemon runs under RLIMIT_FSIZE smaller than the file). The pull must fail
// cleanly: the request still pending, the source copy not blamed (still healthy, not suspect),
// no partial file, temporary or placeholder left; and once the space is back the pull succeeds.

import { afterAll, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites, type Backend } from "../helpers/index.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import { leftoversUnder } from "./trial/disk.ts";
import { fillModes, fillUp, fsizeLimited, mountTmpfs, unfill, unmount, type FillMode } from "./trial/fill.ts";
import { checkInvariants, findingsCount, healthyFiles, watch } from "./trial/invariants.ts";
import { serveOnce } from "./trial/kill.ts";
import { Rng, runSeed, trialSeed } from "./trial/plan.ts";
import { matrix, record, recorded } from "./trial/report.ts";
import { makeFiles, relOf, World } from "./trial/world.ts";

const FILE_BYTES = 3 << 20;
/** Room for the pull's reservation (twice the file) at the start, filled once it writes. */
const TMPFS_BYTES = 8 << 20;
/** The RLIMIT_FSIZE fallback: below the file's size, above the index's. */
const FSIZE_LIMIT = 2 << 20;

const describeSsh = await describeWithSshd();
afterAll(async () => {
  await stopSshd();
  const rows = recorded().filter((r) => r.kind.startsWith("disk-full"));
  if (rows.length > 0) console.log(`\nDisk-full faults:\n${matrix(rows)}`);
});

async function copyRow(world: World, nodeId: number) {
  return world.idx.db.get<{ has_file: string; wants_file: string }>("SELECT has_file, wants_file FROM archivefilecopy WHERE node_id = ?", [nodeId]);
}
async function requestRow(world: World) {
  return (await world.idx.db.get<{ completed: number; cancelled: number }>("SELECT completed, cancelled FROM archivefilecopyrequest"))!;
}

function diskFullTest(backend: Backend, method: "local" | "remote", mode: FillMode) {
  const how = mode === "tmpfs" ? "a tmpfs filled during the pull" : "RLIMIT_FSIZE below the file's size";
  test(`${method} pull onto a full disk (${how}): fails cleanly, source not blamed, succeeds once space returns`, async () => {
    const t0 = performance.now();
    const rng = new Rng(trialSeed(runSeed(), `disk-full-${method}-${mode}`, backend, 0));
    const remote = method === "remote";
    await using world = await World.create(backend, rng, remote ? await startSshd() : null);
    const mnt = world.idx.dir.join("dest-fs");
    const mounted = mode === "tmpfs" && mountTmpfs(mnt, TMPFS_BYTES);
    if (mode === "tmpfs") expect(mounted).toBe(true);
    try {
      const n1 = await world.node("demo_storage1", { archive: true, host: remote ? "alpenhost2" : undefined });
      // Mounted: another filesystem than the source's, so the hard link fails and the file is
      // copied; otherwise another archive kind than the source's, so it is copied, not linked.
      const n2 = await world.node("demo_storage2", { archive: mounted, root: mounted ? join(mnt, "demo_storage2") : undefined });
      const files = makeFiles(rng, 1, FILE_BYTES, FILE_BYTES);
      world.put(n1, files);
      await world.register(n1, files);
      const healthyBefore = await healthyFiles(world, [n1]);
      const watched = [watch("sentinel", world.sentinel), watch("source demo_storage1", n1.root)];
      await world.cli(["node", "sync", "demo_storage1", "demo_storage2", "--force"]);

      // The first daemon: its pull slowed (a pause per MiB copied, or rsync's bandwidth limit) so
      // the disk fills while it writes.
      const conf = world.conf(remote ? "  rsync_bwlimit: 1500\n" : "");
      const serve = [world.exe, "serve", "--test-isolation", "-c", conf];
      const argv = mounted ? serve : [...fsizeLimited(FSIZE_LIMIT), ...serve];
      const d = new DaemonProc(argv[0]!, argv.slice(1), world.idx.dir.path, remote ? {} : { ALPENHORN_TEST_PULL_DELAY_MS: "300" });
      try {
        await d.wait(/Pulling (local|remote) file .* using/, 30_000);
        if (mounted) {
          await d.until(() => leftoversUnder(n2.root).some((p) => p.includes(".alpentemp")), "the pull's temporary", 30_000);
          fillUp(mnt);
        }
        await d.wait(/^ERROR >> \[[^\]]+\] Copy failed/, 60_000);
        // The next update looks at the request again (and the failure's aftermath is in the index).
        const loops = d.count(/Main loop execution was/);
        await d.until(() => d.count(/Main loop execution was/) > loops + 1, "two more updates", 30_000);
      } finally {
        d.proc.kill("SIGTERM");
        await d.proc.exited;
      }
      const failedPhase = {
        sourceBlamed: d.has(/Marking source file .*suspect/),
        request: await requestRow(world),
        source: await copyRow(world, n1.id),
        dest: (await copyRow(world, n2.id))?.has_file ?? "-",
        target: existsSync(join(n2.root, relOf(files[0]!))),
        leftovers: leftoversUnder(n2.root),
      };
      expect(failedPhase).toEqual({
        sourceBlamed: false,
        request: { completed: 0, cancelled: 0 },
        source: { has_file: "Y", wants_file: "Y" },
        dest: "-",
        target: false,
        leftovers: [],
      });

      // Space returns (the filler removed, or no limit on the next daemon): the pull succeeds.
      if (mounted) unfill(mnt);
      const once = world.conf();
      for (let i = 0; i < 3 && Number((await requestRow(world)).completed) === 0; i++) expect((await serveOnce(world, once)).code).toBe(0);
      const findings = await checkInvariants(world, [n1, n2], watched, healthyBefore);
      const done = { request: await requestRow(world), dest: (await copyRow(world, n2.id))?.has_file };
      record({
        kind: `disk-full:${method} (${mounted ? "tmpfs" : "RLIMIT_FSIZE"})`,
        backend,
        seed: rng.seed,
        passed: findingsCount(findings) === 0 && Number(done.request.completed) === 1 && done.dest === "Y",
        faults: 1,
        midWork: 1,
        lost: findings.lost.length,
        leftovers: findings.leftovers.length,
        wrongY: findings.wrongY.length,
        dropped: findings.dropped.length,
        touched: findings.touched.length,
        ms: performance.now() - t0,
      });
      expect(done).toEqual({ request: { completed: 1, cancelled: 0 }, dest: "Y" });
      expect(findings).toEqual({ dropped: [], wrongY: [], touched: [], leftovers: [], lost: [] });
    } finally {
      if (mounted) unmount(mnt);
    }
  }, 180_000);
}

const modes = fillModes();
for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`disk full during a pull [${backend}]`, () => {
    for (const mode of modes) diskFullTest(backend, "local", mode);
  });
  describeSsh(`disk full during a remote pull`, () => {
    describeOn(`disk full during a remote pull [${backend}]`, () => {
      for (const mode of modes) diskFullTest(backend, "remote", mode);
    });
  });
}
