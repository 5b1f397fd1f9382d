// Corrupted sources (issue 19, item 4), on the compiled binary, SQLite and MariaDB: a pull's
// source whose bytes are no longer the registered file's is never registered healthy on the
// destination, whatever moves the bytes (hard link, copy, rsync over the test sshd).
//  (a) changed after registration, at the same size and at another size, beside an intact file
//      (which must arrive, so the pull itself works);
//  (b) changed in place while the transfer runs: the copy is slowed by a pause per MiB (the
//      ALPENHORN_TEST_PULL_DELAY_MS seam) and rsync by its bandwidth limit, and the source is
//      rewritten once the transfer's temporary holds bytes and before it can have finished
//      (4 MiB at one MiB per 300 ms; 2 MiB at 500 KiB/s). That ordering is certain; which byte
//      the writer and the transfer each reach first is left to the machine's timing.

import { afterAll, expect, test } from "bun:test";
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites, type Backend } from "../helpers/index.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import { leftoversUnder } from "./trial/disk.ts";
import { checkInvariants, findingsCount, healthyFiles, watch } from "./trial/invariants.ts";
import { serveOnce } from "./trial/kill.ts";
import { Rng, runSeed, trialSeed } from "./trial/plan.ts";
import { matrix, record, recorded } from "./trial/report.ts";
import { makeFiles, relOf, World, type TrialFile, type TrialNode } from "./trial/world.ts";

type Method = "hardlink" | "copy" | "rsync";

const describeSsh = await describeWithSshd();
afterAll(async () => {
  await stopSshd();
  const rows = recorded().filter((r) => r.kind.startsWith("corrupt-source"));
  if (rows.length > 0) console.log(`\nCorrupted-source faults:\n${matrix(rows)}`);
});

/** Nodes for `method`: the source (another host for rsync) and a destination of the kind that makes the method. */
async function nodesFor(world: World, method: Method): Promise<{ n1: TrialNode; n2: TrialNode }> {
  const n1 = await world.node("demo_storage1", { archive: true, host: method === "rsync" ? "alpenhost2" : undefined });
  const n2 = await world.node("demo_storage2", { archive: method !== "copy" });
  return { n1, n2 };
}

/** Rewrite a few bytes of `path` in place: the same size, other bytes, a new mtime. */
function rewriteInPlace(path: string, rng: Rng, size: number): void {
  const fd = openSync(path, "r+");
  try {
    for (let i = 0; i < 4; i++) writeSync(fd, rng.bytes(16), 0, 16, rng.int(0, Math.max(0, size - 16)));
  } finally {
    closeSync(fd);
  }
}

async function copyState(world: World, node: TrialNode, f: TrialFile): Promise<string> {
  const r = await world.idx.db.get<{ has_file: string }>(
    "SELECT c.has_file AS has_file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id WHERE c.node_id = ? AND a.name = ? AND f.name = ?",
    [node.id, f.acq, f.name],
  );
  return r?.has_file ?? "-";
}

function afterRegistration(backend: Backend, method: Method) {
  test(`${method}: sources changed after registration (same size, other size) are never registered on the destination`, async () => {
    const t0 = performance.now();
    const rng = new Rng(trialSeed(runSeed(), `corrupt-after-${method}`, backend, 0));
    await using world = await World.create(backend, rng, method === "rsync" ? await startSshd() : null);
    const { n1, n2 } = await nodesFor(world, method);
    const [intact, sameSize, otherSize] = makeFiles(rng, 3, 8 << 10, 64 << 10) as [TrialFile, TrialFile, TrialFile];
    world.put(n1, [intact, sameSize, otherSize]);
    await world.register(n1, [intact, sameSize, otherSize]);
    rewriteInPlace(join(n1.root, relOf(sameSize)), rng, sameSize.bytes.length);
    writeFileSync(join(n1.root, relOf(otherSize)), Buffer.concat([otherSize.bytes, rng.bytes(100)]));
    const healthyBefore = await healthyFiles(world, [n1]);
    const watched = [watch("sentinel", world.sentinel), watch("source demo_storage1", n1.root)];
    await world.cli(["node", "sync", "demo_storage1", "demo_storage2", "--force"]);
    const conf = world.conf();
    for (let i = 0; i < 2; i++) expect((await serveOnce(world, conf)).code).toBe(0);

    const findings = await checkInvariants(world, [n2], watched, healthyBefore);
    const outcome = {
      intact: await copyState(world, n2, intact),
      sameSize: await copyState(world, n2, sameSize),
      otherSize: await copyState(world, n2, otherSize),
      onDisk: [sameSize, otherSize].filter((f) => existsSync(join(n2.root, relOf(f)))).map(relOf),
      sourceLeftovers: leftoversUnder(n1.root),
      // The changed sources are no longer taken for healthy (suspect, or corrupt once checked here).
      sourcesFlagged: [await copyState(world, n1, sameSize), await copyState(world, n1, otherSize)].every((s) => s === "M" || s === "X"),
    };
    // A request whose source turns out corrupt is cancelled (alpenhorn's rule: the file is not
    // available there), so cancellations are not counted against these tests.
    const passed = findingsCount({ ...findings, dropped: [] }) === 0 && outcome.intact === "Y" && outcome.sameSize !== "Y" && outcome.otherSize !== "Y" && outcome.onDisk.length === 0;
    record({ kind: `corrupt-source:after-registration:${method}`, backend, seed: rng.seed, passed, faults: 2, midWork: 0, lost: findings.lost.length, leftovers: findings.leftovers.length + outcome.sourceLeftovers.length, wrongY: findings.wrongY.length, dropped: 0, touched: findings.touched.length, ms: performance.now() - t0 });
    expect(outcome).toEqual({ intact: "Y", sameSize: "-", otherSize: "-", onDisk: [], sourceLeftovers: [], sourcesFlagged: true });
    expect({ ...findings, dropped: [] }).toEqual({ dropped: [], wrongY: [], touched: [], leftovers: [], lost: [] });
  }, 120_000);
}

function duringTransfer(backend: Backend, method: "copy" | "rsync") {
  test(`${method}: a source rewritten during the transfer is never registered on the destination`, async () => {
    const t0 = performance.now();
    const rng = new Rng(trialSeed(runSeed(), `corrupt-during-${method}`, backend, 0));
    await using world = await World.create(backend, rng, method === "rsync" ? await startSshd() : null);
    const { n1, n2 } = await nodesFor(world, method);
    const size = method === "copy" ? 4 << 20 : 2 << 20;
    const [file] = makeFiles(rng, 1, size, size) as [TrialFile];
    world.put(n1, [file]);
    await world.register(n1, [file]);
    const watched = [watch("sentinel", world.sentinel)];
    await world.cli(["node", "sync", "demo_storage1", "demo_storage2", "--force"]);
    const conf = world.conf(method === "rsync" ? "  rsync_bwlimit: 500\n" : "");
    const d = new DaemonProc(world.exe, ["serve", "--test-isolation", "-c", conf], world.idx.dir.path, method === "copy" ? { ALPENHORN_TEST_PULL_DELAY_MS: "300" } : {});
    let registeredY = false;
    try {
      await d.wait(/Pulling (local|remote) file .* using/, 30_000);
      // rsync's own temporary sits inside our directory; the copy writes our temporary file.
      const writing = method === "rsync" ? /\.alpentemp[^/]*\/\./ : /\.alpentemp[^/]*$/;
      await d.until(() => leftoversUnder(n2.root).some((p) => writing.test(p)), "the transfer's temporary", 30_000);
      rewriteInPlace(join(n1.root, relOf(file)), rng, size);
      await d.wait(/Marking source file .*suspect/, 60_000);
      // Until the failed pull is tidied away, the destination must never hold a healthy copy.
      await d.until(() => leftoversUnder(n2.root).length === 0, "the failed pull's temporaries gone", 30_000);
      registeredY = (await copyState(world, n2, file)) === "Y";
    } finally {
      d.proc.kill("SIGTERM");
      await d.proc.exited;
    }
    const findings = await checkInvariants(world, [n2], watched, new Set());
    const outcome = {
      registeredY,
      dest: await copyState(world, n2, file),
      onDisk: existsSync(join(n2.root, relOf(file))),
      sourceFlagged: ["M", "X"].includes(await copyState(world, n1, file)),
    };
    const passed = findingsCount({ ...findings, dropped: [] }) === 0 && !outcome.registeredY && outcome.dest !== "Y" && !outcome.onDisk;
    record({ kind: `corrupt-source:during-transfer:${method}`, backend, seed: rng.seed, passed, faults: 1, midWork: 1, lost: 0, leftovers: findings.leftovers.length, wrongY: findings.wrongY.length, dropped: 0, touched: findings.touched.length, ms: performance.now() - t0 });
    expect(outcome).toEqual({ registeredY: false, dest: "-", onDisk: false, sourceFlagged: true });
    expect({ ...findings, dropped: [] }).toEqual({ dropped: [], wrongY: [], touched: [], leftovers: [], lost: [] });
  }, 120_000);
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`corrupted sources, local pulls [${backend}]`, () => {
    afterRegistration(backend, "hardlink");
    afterRegistration(backend, "copy");
    duringTransfer(backend, "copy");
  });
  describeSsh("corrupted sources, remote pulls", () => {
    describeOn(`corrupted sources, remote pulls [${backend}]`, () => {
      afterRegistration(backend, "rsync");
      duringTransfer(backend, "rsync");
    });
  });
}
