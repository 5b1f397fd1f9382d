// The demo's sections "Syncing files between nodes" through "Transporting the transport node"
// with THREE daemons of the compiled binary (daemon.host alpenhost1..3, one config file each,
// one shared index: SQLite, and MariaDB when it can run) and the CLI run as the demo's
// alpenshell would. Remote pulls go over rsync/ssh to a throw-away sshd on 127.0.0.1: every
// node's username/address lead there, so each host's data is still only written by its own
// daemon. The outcomes the demo shows are
// asserted: node stats, files on disk, copy states and the daemons' log lines. As at 632dd41,
// only the Transport group runs a pre-pull search (the demo's log, from an older alpenhorn,
// shows one for Default groups too).

import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { compile } from "../../scripts/compile.ts";
import { runBinary } from "../helpers/binary.ts";
import { DaemonProc } from "../helpers/daemon-proc.ts";
import { backendSuites, emptyIndex, type Backend } from "../helpers/index.ts";
import { describeWithSshd, startSshd, stopSshd } from "../helpers/sshd.ts";
import { tempDir, type TempDir } from "../helpers/tmp.ts";

const describeSsh = await describeWithSshd();

let build: TempDir;
let exe = "";
beforeAll(async () => {
  build = tempDir("three-build");
  exe = build.join("alpenhorn");
  await compile({ entry: resolve(import.meta.dir, "../../src/main.ts"), outfile: exe });
}, 180_000);
afterAll(async () => {
  build?.[Symbol.dispose]();
  await stopSshd();
});

const W = String.raw`\[Worker#\d\]`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** A worker's log line, exactly. */
const worker = (level: string, text: string) => new RegExp(`^${level} >> ${W} ${esc(text)}$`);
const pulled = (rel: string, bytes: number) => new RegExp(`^INFO >> ${W} Pull of ${esc(rel)} complete\\. Transferred ${bytes} B in \\d+\\.\\ds \\[[\\d.]+ [kMG]?i?B/s\\]$`);

/** Every regular file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** The whole story on one backend. */
async function threeDaemons(backend: Backend): Promise<void> {
  const sshd = await startSshd();
  await using idx = await emptyIndex(backend);
  using work = tempDir("three");
  const data = { 1: work.join("data1"), 2: work.join("data2"), 3: work.join("data3") } as const;
  const transport = work.join("transport");
  for (const d of [...Object.values(data), transport]) mkdirSync(d);
  const confs: Record<number, string> = {};
  for (const h of [1, 2, 3]) {
    confs[h] = work.join(`alpenhost${h}.conf`);
    writeFileSync(
      confs[h]!,
      `database:\n  url: ${JSON.stringify(idx.url)}\nextensions:\n  - pattern_importer\n` +
        `daemon:\n  host: alpenhost${h}\n  update_interval: 1\n  num_workers: 2\n  rsync_rsh: ${JSON.stringify(sshd.rsh)}\nlogging:\n  level: info\n`,
    );
  }
  const login = ["--username", sshd.user, "--address", sshd.host];

  /** The CLI (the demo's alpenshell), answering a prompt with `input`; must succeed. */
  const cli = async (args: string[], input?: string): Promise<string> => {
    const r = await runBinary(exe, ["--test-isolation", "-c", confs[1]!, ...args], { cwd: work.path, input });
    if (r.code !== 0) throw new Error(`alpenhorn ${args.join(" ")} → ${r.code}\n${r.out}\n${r.err}`);
    return r.out;
  };
  const daemons: DaemonProc[] = [];
  const start = (h: number) => {
    const d = new DaemonProc(exe, ["serve", "--test-isolation", "-c", confs[h]!], work.path, { PATH: process.env.PATH ?? "/usr/bin:/bin" });
    daemons.push(d);
    return d;
  };
  /** Poll `alpenhorn {args}` until its output matches every pattern. */
  const waitCli = async (args: string[], ...res: RegExp[]) => {
    const end = Date.now() + 30_000;
    let out = "";
    while (Date.now() < end) {
      out = await cli(args);
      if (res.every((re) => re.test(out))) return out;
      for (const d of daemons) if (d.proc.exitCode !== null) throw new Error(`a daemon exited\n${d.text}`);
      await Bun.sleep(200);
    }
    throw new Error(`timed out waiting for \`alpenhorn ${args.join(" ")}\` to match ${res.join(", ")}; last:\n${out}\n--- logs ---\n${daemons.map((d) => d.text).join("\n=====\n")}`);
  };
  const write = (root: string, rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const state = (rel: string, node: string) => cli(["file", "state", rel, node]);

  try {
    // ---- Where the demo stands at "Syncing files between nodes": demo_storage1 holds five files.
    await cli(["db", "init"]);
    await cli(["group", "create", "demo_storage1"]);
    await cli(["node", "create", "demo_storage1", "--group=demo_storage1", `--root=${data[1]}`, "--host=alpenhost1"]);
    await cli(["node", "activate", "demo_storage1"]);
    await cli(["node", "init", "demo_storage1"]);
    write(data[1], "2025/02/21/meta.txt", "This is the first acquisition in the alpenhorn demo\n");
    write(data[1], "2025/02/21/23/1324.dat", "0 1 2 3 4 5\n");
    write(data[1], "2025/02/21/23/1330.dat", "0 1 2 3 4 5\n");
    write(data[1], "2025/02/21/23/1342.dat", "3 4 5 6 7 8\n");
    write(data[1], "2025/02/21/23/1349.dat", "9 10 11 12 13\n");
    const d1 = start(1);
    await d1.wait(/^INFO >> \[Worker#\d\] Node "demo_storage1" initialised\.$/);
    await cli(["node", "scan", "demo_storage1", "--register-new"]);
    await waitCli(["node", "stats"], /demo_storage1 +5 +102 B +-\n/);

    // ---- Starting up the second and third nodes
    expect(await cli(["node", "create", "demo_storage2", "--create-group", `--root=${data[2]}`, "--host=alpenhost2"])).toBe(
      'Created storage group "demo_storage2".\nCreated storage node "demo_storage2".\n',
    );
    await cli(["node", "init", "demo_storage2"]);
    await waitCli(["node", "stats"], /demo_storage1 +5 +102 B +-\ndemo_storage2 +0 +- +-\n/);
    await cli(["node", "modify", "demo_storage1", ...login]);
    await cli(["node", "activate", "demo_storage2", ...login]);
    const d2 = start(2);
    await d2.wait('INFO >> [MainThread] Node "demo_storage2" now available.');
    await d2.wait(`WARNING >> [MainThread] Node file "${data[2]}/ALPENHORN_NODE" could not be read.`);
    await d2.wait('INFO >> [MainThread] Requesting init of node "demo_storage2".');
    await d2.wait(/^INFO >> \[Worker#\d\] Node "demo_storage2" initialised\.$/);
    await d2.wait('INFO >> [MainThread] Group "demo_storage2" now available.');
    await d2.wait(/^INFO >> \[Worker#\d\] Finished task: Tidy up demo_storage2$/);

    // ---- Transferring a file
    expect(await cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", "2025/02/21/meta.txt"])).toBe("Request submitted.\n");
    await d2.wait(worker("INFO", "Beginning task AFCR#1: demo_storage1 -> demo_storage2"));
    await d2.wait(worker("INFO", `Creating directory "${data[2]}/2025/02/21".`));
    await d2.wait(worker("INFO", "Pulling remote file 2025/02/21/meta.txt using rsync"));
    await d2.wait(pulled("2025/02/21/meta.txt", 52));
    await d2.wait(worker("INFO", "Finished task: AFCR#1: demo_storage1 -> demo_storage2"));
    await waitCli(["node", "stats"], /demo_storage1 +5 +102 B +-\ndemo_storage2 +1 +52 B +-\n/);
    expect(filesUnder(data[2])).toEqual(["2025/02/21/meta.txt", "ALPENHORN_NODE"]);
    // 632dd41: a Default group never searches before pulling.
    expect(d2.has(/Pre-pull search/)).toBe(false);

    // ---- Bulk transfers
    const bulk = await cli(["node", "sync", "demo_storage1", "demo_storage2", "--show-files"], "y\n");
    expect(bulk).toContain('Would sync 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2":\n');
    for (const f of ["1324", "1330", "1342", "1349"]) expect(bulk).toContain(`2025/02/21/23/${f}.dat\n`);
    expect(bulk).toContain('Syncing 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2".\n');
    expect(bulk).toContain("Added 4 new copy requests.\n");
    for (const [f, b] of [["1324", 12], ["1330", 12], ["1342", 12], ["1349", 14]] as const) await d2.wait(pulled(`2025/02/21/23/${f}.dat`, b));
    await waitCli(["node", "stats"], /demo_storage1 +5 +102 B +-\ndemo_storage2 +5 +102 B +-\n/);
    expect(await cli(["node", "sync", "demo_storage1", "demo_storage2", "--force"])).toContain("No files to sync");

    // ---- Dealing with corruption
    write(data[1], "2025/02/21/23/1324.dat", "bad data\n");
    expect(await cli(["node", "stats", "--extra-stats"])).toMatch(/demo_storage1 +5 +102 B +- +- +- +-\n/);
    const verify = await cli(["node", "verify", "--all", "--acq=2025/02/21", "demo_storage1"], "y\n");
    for (const line of ["Would request verification of 5 files (102 B).", "Requesting verification of 5 files (102 B).", "Updated 5 files."]) expect(verify).toContain(`${line}\n`);
    await d1.wait(worker("ERROR", "File 2025/02/21/23/1324.dat on node demo_storage1 is corrupt! Size: 9; expected: 12"));
    for (const f of ["meta.txt", "23/1330.dat", "23/1342.dat", "23/1349.dat"]) await d1.wait(worker("INFO", `File 2025/02/21/${f} on node demo_storage1 is A-OK!`));
    await waitCli(["node", "stats", "--extra-stats"], /demo_storage1 +4 +90 B +- +1 +- +-\n/, /demo_storage2 +5 +102 B +- +- +- +-\n/);
    expect(await state("2025/02/21/23/1324.dat", "demo_storage1")).toBe("Corrupt Ready\n");

    // ---- Recovering corrupt files: a good copy pulled back over the corrupt one
    const back = await cli(["node", "sync", "demo_storage2", "demo_storage1"], "y\n");
    expect(back).toContain('Would sync 1 file (12 B) from Node "demo_storage2" to Group "demo_storage1".\n');
    expect(back).toContain("Added 1 new copy request.\n");
    await d1.wait(worker("INFO", "Beginning task AFCR#6: demo_storage2 -> demo_storage1"));
    await d1.wait(worker("INFO", "Pulling remote file 2025/02/21/23/1324.dat using rsync"));
    await d1.wait(pulled("2025/02/21/23/1324.dat", 12));
    await waitCli(["node", "stats", "--extra-stats"], /demo_storage1 +5 +102 B +- +- +- +-\n/);
    expect(readFileSync(join(data[1], "2025/02/21/23/1324.dat"), "utf8")).toBe("0 1 2 3 4 5\n");
    expect(await state("2025/02/21/23/1324.dat", "demo_storage1")).toBe("Healthy Ready\n");

    // ---- Deleting files: refused until two archive copies exist elsewhere
    expect(await cli(["file", "clean", "--now", "--node=demo_storage1", "2025/02/21/meta.txt"])).toBe(
      'Released "2025/02/21/meta.txt" for immediate removal on Node "demo_storage1".\n',
    );
    await d1.wait(worker("WARNING", "Too few archive copies (0) to delete 2025/02/21/meta.txt on demo_storage1."));
    expect(await cli(["node", "modify", "--archive", "demo_storage2"])).toBe("Node updated.\n");
    await d1.wait(worker("WARNING", "Too few archive copies (1) to delete 2025/02/21/meta.txt on demo_storage1."));
    await cli(["node", "create", "demo_storage3", "--create-group", "--archive", `--root=${data[3]}`, "--host=alpenhost3", ...login, "--init", "--activate"]);
    const d3 = start(3);
    await d3.wait(/^INFO >> \[Worker#\d\] Node "demo_storage3" initialised\.$/);
    await cli(["node", "sync", "--force", "demo_storage2", "demo_storage3"]);
    await d1.wait(worker("INFO", "Removed file copy 2025/02/21/meta.txt on demo_storage1"));
    await waitCli(
      ["node", "stats", "--extra-stats"],
      /demo_storage1 +4 +50 B +- +- +- +-\n/,
      /demo_storage2 +5 +102 B +- +- +- +-\n/,
      /demo_storage3 +5 +102 B +- +- +- +-\n/,
    );
    expect(existsSync(join(data[1], "2025/02/21/meta.txt"))).toBe(false);

    const clean = await cli(["node", "clean", "demo_storage1", "--now", "--target", "demo_storage3"], "y\n");
    expect(clean).toContain("Would release 4 files (50 B).\n");
    expect(clean).toContain("Updated 4 files.\n");
    await d1.wait(/^INFO >> \[Worker#\d\] Beginning task Delete copies \[\d+, \d+, \d+, \d+\] from demo_storage1$/);
    for (const f of ["1324", "1330", "1342", "1349"]) await d1.wait(worker("INFO", `Removed file copy 2025/02/21/23/${f}.dat on demo_storage1`));
    for (const dir of ["2025/02/21/23", "2025/02/21", "2025/02", "2025"]) await d1.wait(worker("INFO", `Removed directory ${data[1]}/${dir} on demo_storage1`));
    await waitCli(["node", "stats", "--extra-stats"], /demo_storage1 +0 +- +- +- +- +-\n/, /demo_storage3 +5 +102 B +- +- +- +-\n/);
    expect(filesUnder(data[1])).toEqual(["ALPENHORN_NODE"]);

    // ---- Auto-actions: the first auto-sync
    expect(await cli(["group", "autosync", "demo_storage2", "demo_storage1"])).toBe('Auto-sync from "demo_storage1" started\n');
    // 52 B, as the demo's transcript counts it (its echo would write 53: the text was changed there).
    write(data[1], "2025/02/26/meta.txt", "This is the second acquisition in the alpenhorn demo");
    await cli(["node", "scan", "demo_storage1", "--register-new"]);
    await d1.wait(worker("INFO", 'Imported file copy "2025/02/26/meta.txt" on node "demo_storage1".'));
    await d2.wait(worker("INFO", `Creating directory "${data[2]}/2025/02/26".`));
    await d2.wait(pulled("2025/02/26/meta.txt", 52));

    // ---- The second auto-sync, and the manual sync it does not replace
    await cli(["group", "autosync", "demo_storage3", "demo_storage2"]);
    write(data[1], "2025/02/26/01/0529.dat", "14 15 16 17 18\n");
    await cli(["node", "scan", "demo_storage1", "--register-new"]);
    await d3.wait(pulled("2025/02/26/01/0529.dat", 15));
    await waitCli(["node", "stats"], /demo_storage1 +2 +67 B +-\ndemo_storage2 +7 +169 B +-\ndemo_storage3 +6 +117 B +-\n/);
    await cli(["node", "sync", "demo_storage2", "demo_storage3"], "y\n");
    await waitCli(["node", "stats"], /demo_storage1 +2 +67 B +-\ndemo_storage2 +7 +169 B +-\ndemo_storage3 +7 +169 B +-\n/);

    // ---- The auto-clean action
    const clean2 = await cli(["node", "clean", "--now", "demo_storage1", "--target=demo_storage3"], "y\n");
    expect(clean2).toContain("Would release 2 files (67 B).\n");
    expect(await cli(["node", "autoclean", "demo_storage1", "demo_storage3"])).toBe('Auto-clean trigger: Group "demo_storage3" added\n');
    await waitCli(["node", "stats"], /demo_storage1 +0 +- +-\n/);
    write(data[1], "2025/02/26/02/0011.dat", "14 15 16 17 18\n");
    await cli(["node", "scan", "demo_storage1", "--register-new"]);
    await d1.wait(worker("INFO", 'Imported file copy "2025/02/26/02/0011.dat" on node "demo_storage1".'));
    await d2.wait(pulled("2025/02/26/02/0011.dat", 15));
    await d3.wait(pulled("2025/02/26/02/0011.dat", 15));
    await d1.wait(worker("INFO", "Removed file copy 2025/02/26/02/0011.dat on demo_storage1"));
    for (const dir of ["2025/02/26/02", "2025/02/26", "2025/02", "2025"]) await d1.wait(worker("INFO", `Removed directory ${data[1]}/${dir} on demo_storage1`));
    await waitCli(["node", "stats"], /demo_storage1 +0 +- +-\ndemo_storage2 +8 +184 B +-\ndemo_storage3 +8 +184 B +-\n/);
    expect(filesUnder(data[1])).toEqual(["ALPENHORN_NODE"]);
    const eight = [
      "2025/02/21/23/1324.dat",
      "2025/02/21/23/1330.dat",
      "2025/02/21/23/1342.dat",
      "2025/02/21/23/1349.dat",
      "2025/02/21/meta.txt",
      "2025/02/26/01/0529.dat",
      "2025/02/26/02/0011.dat",
      "2025/02/26/meta.txt",
    ];
    expect(filesUnder(data[2])).toEqual([...eight, "ALPENHORN_NODE"]);
    expect(filesUnder(data[3])).toEqual([...eight, "ALPENHORN_NODE"]);

    // ---- The Transport Group and Transport Nodes
    await cli(["group", "create", "--class=Transport", "transport_group"]);
    await cli(["node", "create", "transport1", "--transport", "--group", "transport_group", "--host=alpenhost3", `--root=${transport}`, "--init", "--activate"]);
    await d3.wait('INFO >> [MainThread] Node "transport1" now available.');
    await d3.wait(`WARNING >> [MainThread] Node file "${transport}/ALPENHORN_NODE" could not be read.`);
    await d3.wait('INFO >> [MainThread] Requesting init of node "transport1".');
    await d3.wait(/^INFO >> \[Worker#\d\] Node "transport1" initialised\.$/);
    await d3.wait('INFO >> [MainThread] Group "transport_group" now available.');

    // ---- Copying Data to the Transport Group: local pulls, each after a pre-pull search
    const toT = await cli(["node", "sync", "demo_storage3", "transport_group", "--target=demo_storage1"], "y\n");
    expect(toT).toContain('Would sync 8 files (184 B) from Node "demo_storage3" to Group "transport_group".\n');
    expect(toT).toContain('Syncing 8 files (184 B) from Node "demo_storage3" to Group "transport_group".\n');
    expect(toT).toContain("Added 8 new copy requests.\n");
    for (const rel of eight) {
      await d3.wait(worker("INFO", `Beginning task Pre-pull search for ${rel} in transport_group`));
      await d3.wait(worker("INFO", `Finished task: Pre-pull search for ${rel} in transport_group`));
      await d3.wait(new RegExp(`^INFO >> ${W} Pull of ${esc(rel)} complete\\.`));
    }
    await waitCli(["group", "show", "--node-stats", "transport_group"], /transport1 +8 +184 B +-\n/);
    expect(filesUnder(transport)).toEqual([...eight, "ALPENHORN_NODE"]);
    // Eight pull tasks, each begun and finished.
    await d3.until(() => d3.count(/ task:? AFCR#\d+: demo_storage3 -> transport1$/) === 16, "eight pull tasks");
    expect(await state("2025/02/26/meta.txt", "transport1")).toBe("Healthy Ready\n");

    // ---- Transporting the transport node
    await cli(["node", "deactivate", "transport1"]);
    await d3.wait('INFO >> [MainThread] Node "transport1" no longer available.');
    await d3.wait('INFO >> [MainThread] Group "transport_group" no longer available.');
    await cli(["node", "activate", "transport1", "--host=alpenhost1", ...login, `--root=${transport}`]);
    await d1.wait('INFO >> [MainThread] Node "transport1" now available.');
    await d1.wait('INFO >> [MainThread] Group "transport_group" now available.');

    await cli(["node", "sync", "transport1", "demo_storage1", "--force"]);
    for (const rel of eight) await d1.wait(new RegExp(`^INFO >> ${W} Pull of ${esc(rel)} complete\\.`));
    await waitCli(["node", "stats"], /demo_storage1 +8 +184 B +-\ndemo_storage2 +8 +184 B +-\ndemo_storage3 +8 +184 B +-\ntransport1 +8 +184 B +-\n/);
    expect(filesUnder(data[1])).toEqual([...eight, "ALPENHORN_NODE"]);
    // Every request done: none left pending (no auto-sync into demo_storage2, which holds all eight).
    const pending = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0");
    expect(Number(pending!.n)).toBe(0);

    await cli(["node", "clean", "--now", "--force", "transport1", "--target=demo_storage1"]);
    for (const rel of eight) await d1.wait(worker("INFO", `Removed file copy ${rel} on transport1`));
    // The copies are booked removed once the task ends (its lines come first).
    await d1.wait(/^INFO >> \[Worker#\d\] Finished task: Delete copies \[(\d+, ){7}\d+\] from transport1$/);
    await waitCli(["node", "stats"], /demo_storage1 +8 +184 B +-\n/, /transport1 +0 +- +-\n/);
    expect(filesUnder(transport)).toEqual(["ALPENHORN_NODE"]);
    // Removed (has N, wants N): `file state` says Absent, as alpenhorn's does.
    expect(await state("2025/02/26/meta.txt", "transport1")).toBe("Absent\n");
    const copies = async (node: string) =>
      (
        await idx.db.all<{ has_file: string; wants_file: string }>(
          "SELECT c.has_file, c.wants_file FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.name = ?",
          [node],
        )
      ).map((c) => `${c.has_file}${c.wants_file}`);
    expect(await copies("transport1")).toEqual(Array(8).fill("NN"));
    expect(await copies("demo_storage3")).toEqual(Array(8).fill("YY"));
    // demo_storage1 got back the eight files it had released or lost.
    expect(await copies("demo_storage1")).toEqual(Array(8).fill("YY"));
    expect(await state("2025/02/26/meta.txt", "demo_storage1")).toBe("Healthy Ready\n");

    // Only the Transport group searched before pulling (632dd41), never a Default group.
    for (const d of daemons) expect(d.has(/Pre-pull search for .* in demo_storage\d$/)).toBe(false);
    expect(d3.count(/Beginning task Pre-pull search for .* in transport_group$/)).toBe(8);
    // Nothing went wrong on the way.
    for (const d of daemons) expect(d.lines.filter((l) => /^(ERROR|CRITICAL) >> /.test(l) && !l.includes("is corrupt!"))).toEqual([]);
  } catch (err) {
    // The daemons' logs, to tell what went wrong.
    (err as Error).message += `\n${daemons.map((d, i) => `--- alpenhost${i + 1} ---\n${d.text}`).join("\n")}`;
    throw err;
  } finally {
    for (const d of daemons) d.proc.kill("SIGTERM");
    await Promise.all(daemons.map((d) => d.proc.exited));
  }
}

for (const [backend, describeOn] of await backendSuites())
  describeSsh(`three daemons on the compiled binary [${backend}]`, () =>
    describeOn(`on ${backend}`, () =>
      test("sync, corruption, deleting, auto-actions, transport group and node (demo.txt, second half)", () => threeDaemons(backend), 240_000),
    ),
  );
