// `npm run demo` (scripts/demo.ts) as a user runs it, on the compiled binary: three daemons
// (alpenhost1..3) with remote pulls by rsync over a loopback sshd, on SQLite and on MariaDB;
// the same story without ssh (DEMO_NO_SSH=1: every node on alpenhost1, local pulls); and the
// demo stopped by Ctrl-C or by a daemon dying midway. Asserted: the seed demo's node statistics
// at each step and at the end, the files on every root, the copies' states in the index, the
// daemons' log lines, the closing check-site and node risk reports, and that no process the
// demo started outlives it. (This folds in the former three-daemons test, which told the
// story's second half with three daemons by hand: the demo now does that itself.)

import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, type Dirent } from "node:fs";
import { join, resolve } from "node:path";
import { missingSshTool } from "../../scripts/lib/sshd.ts";
import { stripStamp } from "../../scripts/demo/processes.ts";
import { binaryPath } from "../helpers/binary.ts";
import { backendSuites, emptyIndex, type Backend } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";

const DEMO = resolve(import.meta.dir, "../../scripts/demo.ts");
/** Whether this machine has what remote pulls need; then the demo must use them. */
const SSH = missingSshTool() === null;
const EIGHT = [
  "2025/02/21/23/1324.dat",
  "2025/02/21/23/1330.dat",
  "2025/02/21/23/1342.dat",
  "2025/02/21/23/1349.dat",
  "2025/02/21/meta.txt",
  "2025/02/26/01/0529.dat",
  "2025/02/26/02/0011.dat",
  "2025/02/26/meta.txt",
];

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const W = String.raw`\[Worker#\d+\]`;
/** A worker's log line, exactly. */
const worker = (level: string, text: string) => new RegExp(`^${level} >> ${W} ${esc(text)}$`);
const pulled = (rel: string, bytes: number) => new RegExp(`^INFO >> ${W} Pull of ${esc(rel)} complete\\. Transferred ${bytes} B in \\d+\\.\\ds \\[[\\d.]+ [kMG]?i?B/s\\]$`);

/** The transcript from the line `# {title}` to the next section. */
function section(transcript: string, title: string): string {
  const start = transcript.indexOf(`\n# ${title}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = transcript.indexOf("\n# ", start + 3);
  return transcript.slice(start, end < 0 ? undefined : end);
}

/** `node stats` rows (name, count, size) in `text`, each followed by its `%` column. */
function expectStats(text: string, rows: Array<[string, number, string]>): void {
  for (const [node, n, size] of rows) expect(text).toMatch(new RegExp(`\n${node} +${n} +${esc(size).replace(" ", " +")} +-`));
}

/** Every regular file under `dir`, relative, sorted. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** A daemon's log, timestamps removed. */
function logOf(work: string, host: string): string[] {
  return readFileSync(join(work, `${host}.log`), "utf8").split("\n").map(stripStamp);
}

/** Live processes whose command line names `dir`: every daemon, sshd and CLI run of a demo there does. */
function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue; // gone meanwhile
    }
    if (cmd.includes(dir)) found.push(`${pid}: ${cmd}`);
  }
  return found;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

/** `ownGroup`: the demo leads a process group of its own, as a terminal's foreground job does. */
function startDemo(work: string, env: Record<string, string>, ownGroup = false) {
  const proc = Bun.spawn([...(ownGroup ? ["setsid"] : []), process.execPath, DEMO], {
    env: { ...(process.env as Record<string, string>), DEMO_DIR: work, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const outDone = (async () => {
    const dec = new TextDecoder();
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) out += dec.decode(chunk);
  })();
  const result = async (): Promise<Run> => {
    const [err, code] = await Promise.all([new Response(proc.stderr as ReadableStream).text(), proc.exited, outDone]);
    return { code, out, err };
  };
  /** Wait until the transcript shows `text`. */
  const reach = async (text: string) => {
    const end = Date.now() + 90_000;
    while (!out.includes(text)) {
      if (proc.exitCode !== null) throw new Error(`the demo ended before "${text}":\n${out}`);
      if (Date.now() > end) throw new Error(`the demo never reached "${text}":\n${out}`);
      await Bun.sleep(100);
    }
  };
  return { proc, result, reach };
}

/** The whole story on `backend`; `noSsh` forces local pulls. */
async function wholeStory(backend: Backend, noSsh: boolean): Promise<void> {
  await binaryPath();
  using ws = tempDir("demo");
  const work = ws.join("work");
  await using idx = await emptyIndex(backend);
  const env: Record<string, string> = { DEMO_DATABASE_URL: idx.url };
  if (noSsh) env.DEMO_NO_SSH = "1";
  const demo = startDemo(work, env);
  const { code, out, err } = await demo.result();
  expect({ code, err }).toEqual({ code: 0, err: "" });
  expect(out.trimEnd()).toMatch(/\nDemo complete in \d+\.\ds; every process it started has stopped\.$/);
  expect(processesIn(work)).toEqual([]);

  const ssh = SSH && !noSsh;
  if (ssh) expect(out).toMatch(/\n\(demo\) remote pulls: rsync over the sshd on 127\.0\.0\.1:\d+; node log-ins are \S+@127\.0\.0\.1\n/);
  else expect(out).toContain(`\n(demo) no sshd on loopback (${noSsh ? "DEMO_NO_SSH=1" : ""}`);
  // Where each seed host's nodes live.
  const [h1, h2, h3] = ssh ? ["alpenhost1", "alpenhost2", "alpenhost3"] : ["alpenhost1", "alpenhost1", "alpenhost1"];
  const log = { alpenhost1: logOf(work, "alpenhost1"), alpenhost2: logOf(work, "alpenhost2"), alpenhost3: logOf(work, "alpenhost3") };
  const has = (host: string, re: RegExp) => log[host as keyof typeof log].some((l) => re.test(l));
  const count = (host: string, re: RegExp) => log[host as keyof typeof log].filter((l) => re.test(l)).length;
  for (const host of ["alpenhost1", "alpenhost2", "alpenhost3"]) {
    expect(log[host as keyof typeof log]).toContain("INFO >> [MainThread] Exiting due to SIGTERM");
    // Nothing went wrong but the corruption the story makes.
    expect(log[host as keyof typeof log].filter((l) => /^(ERROR|CRITICAL) >> /.test(l) && !l.includes("is corrupt!"))).toEqual([]);
  }
  if (!ssh) for (const host of ["alpenhost2", "alpenhost3"]) expect(has(host, /now available/)).toBe(false);

  // ---- Import: lock files, temporary names, manual import
  const locked = section(out, "Auto-importing files and lock files");
  expect(locked).toMatch(/alpenhost1 \| INFO >> \[Worker#\d\] Skipping "2025\/02\/21\/meta\.txt": locked\.\n/);
  expect(locked).toMatch(/alpenhost1 \| INFO >> \[Worker#\d\] Imported file copy "2025\/02\/21\/meta\.txt" on node "demo_storage1"\.\n/);
  expectStats(locked, [["demo_storage1", 1, "52 B"]]);
  expect(locked).toMatch(/\n2025\/02\/21\/meta\.txt +52 B +4f2a66c1ff5eb90a5013522d53ea2e91 .* Healthy /);
  const temp = section(out, "Auto-importing files and temporary names");
  expect(temp).toMatch(/Not importing non-acquisition path: 2025\/02\/21\/23\/1324\.dat\.temp\n/);
  expect(has("alpenhost1", /\.1324\.dat/)).toBe(false);
  expectStats(temp, [["demo_storage1", 2, "64 B"]]);
  const manual = section(out, "Manually importing files");
  expect(manual).toContain("Auto-Import: Off\n");
  // Written with auto-import off: not imported until asked.
  expectStats(manual.slice(manual.indexOf("wrote 2025/02/21/23/1349.dat"), manual.indexOf("$ alpenhorn file import")), [["demo_storage1", 2, "64 B"]]);
  expect(manual).toContain("Added new import request.\nAll 1 import request completed in ");
  expect(manual).toContain('Added request for scan of "2025/02/21" on Node "demo_storage1".\nAll 1 import request completed in ');
  expectStats(manual.slice(manual.lastIndexOf("$ alpenhorn node stats")), [["demo_storage1", 5, "102 B"]]);

  // ---- Syncing one file, then in bulk
  const second = section(out, "Starting up the second and third nodes");
  expect(second).toContain("[Node Init]");
  expectStats(second, [["demo_storage1", 5, "102 B"], ["demo_storage2", 0, "-"]]);
  // The second node comes up on its own host: init requested while inactive, done on activation.
  expect(has(h2, /^WARNING >> \[MainThread\] Node file ".*\/data2\/ALPENHORN_NODE" could not be read\.$/)).toBe(true);
  expect(has(h2, /^INFO >> \[MainThread\] Requesting init of node "demo_storage2"\.$/)).toBe(true);
  expect(has(h2, worker("INFO", 'Node "demo_storage2" initialised.'))).toBe(true);
  const one = section(out, "Transferring a file");
  expect(one).toContain("2025/02/21/meta.txt --wait\nRequest submitted.\nAll 1 transfer (52 B) completed in ");
  expect(has(h2, worker("INFO", `Creating directory "${work}/data2/2025/02/21".`))).toBe(true);
  expect(has(h2, pulled("2025/02/21/meta.txt", 52))).toBe(true);
  expectStats(one, [["demo_storage2", 1, "52 B"]]);
  expect(one).toContain(`files under ${work}/data2:\n  2025/02/21/meta.txt\n  ALPENHORN_NODE\n`);
  const bulk = section(out, "Bulk transfers");
  expect(bulk).toContain('Would sync 4 files (50 B) from Node "demo_storage1" to Group "demo_storage2":');
  expect(bulk).toContain("Added 4 new copy requests.\nAll 4 transfers (50 B) completed in ");
  for (const [f, b] of [["1324", 12], ["1330", 12], ["1342", 12], ["1349", 14]] as const) expect(has(h2, pulled(`2025/02/21/23/${f}.dat`, b))).toBe(true);
  expectStats(bulk, [["demo_storage1", 5, "102 B"], ["demo_storage2", 5, "102 B"]]);
  expect(bulk).toContain("No files to sync.");
  if (ssh) {
    expect(has("alpenhost2", worker("INFO", "Pulling remote file 2025/02/21/meta.txt using rsync"))).toBe(true);
    expect(count("alpenhost2", /Pulling remote file .* using rsync$/)).toBeGreaterThanOrEqual(5);
  } else expect(has("alpenhost1", /Pulling remote file/)).toBe(false);

  // ---- A corrupt file found and recovered
  const corrupt = section(out, "Dealing with corruption");
  expect(corrupt).toContain("MD5 Hash: 4c79018e00ddef11af0b9cfc14dd3261");
  expect(corrupt).toContain('Corrupt: 2025/02/21/23/1324.dat on Node "demo_storage1"\n  | Error: 1 of 5 checks failed.\n');
  expect(has("alpenhost1", worker("ERROR", "File 2025/02/21/23/1324.dat on node demo_storage1 is corrupt! Size: 9; expected: 12"))).toBe(true);
  for (const f of ["meta.txt", "23/1330.dat", "23/1342.dat", "23/1349.dat"]) expect(has("alpenhost1", worker("INFO", `File 2025/02/21/${f} on node demo_storage1 is A-OK!`))).toBe(true);
  expect(corrupt).toMatch(/\ndemo_storage1 +4 +90 B +- +1 +- +-\n/);
  expect(corrupt).toContain("$ alpenhorn file state 2025/02/21/23/1324.dat demo_storage1\nCorrupt Ready\n");
  const recovered = section(out, "Recovering corrupt files");
  expect(recovered).toContain('Would sync 1 file (12 B) from Node "demo_storage2" to Group "demo_storage1".');
  expect(has("alpenhost1", pulled("2025/02/21/23/1324.dat", 12))).toBe(true);
  expect(recovered).toMatch(/\ndemo_storage1 +5 +102 B +- +- +- +-\n/);
  expect(recovered).toContain("$ alpenhorn file state 2025/02/21/23/1324.dat demo_storage1\nHealthy Ready\n");

  // ---- Deleting under the archive-copy rule
  expect(section(out, "Deleting files")).toContain('Released "2025/02/21/meta.txt" for immediate removal on Node "demo_storage1".');
  const tooFew = (n: number) => worker("WARNING", `Too few archive copies (${n}) to delete 2025/02/21/meta.txt on demo_storage1.`);
  expect(has("alpenhost1", tooFew(0))).toBe(true);
  const archive = section(out, "Archive nodes");
  expect(archive).toContain("Type: Archive");
  expect(has("alpenhost1", tooFew(1))).toBe(true);
  // Refused until the second archive copy landed, then done.
  const removedMeta = worker("INFO", "Removed file copy 2025/02/21/meta.txt on demo_storage1");
  expect(log.alpenhost1.findLastIndex((l) => tooFew(1).test(l))).toBeLessThan(log.alpenhost1.findIndex((l) => removedMeta.test(l)));
  expectStats(archive, [["demo_storage1", 4, "50 B"], ["demo_storage2", 5, "102 B"], ["demo_storage3", 5, "102 B"]]);
  expect(archive).toContain("Would release 4 files (50 B).");
  expect(has("alpenhost1", /^INFO >> \[Worker#\d+\] Beginning task Delete copies \[\d+, \d+, \d+, \d+\] from demo_storage1$/)).toBe(true);
  for (const f of ["1324", "1330", "1342", "1349"]) expect(has("alpenhost1", worker("INFO", `Removed file copy 2025/02/21/23/${f}.dat on demo_storage1`))).toBe(true);
  for (const dir of ["2025/02/21/23", "2025/02/21", "2025/02", "2025"]) expect(has("alpenhost1", worker("INFO", `Removed directory ${work}/data1/${dir} on demo_storage1`))).toBe(true);
  expect(archive).toMatch(/\ndemo_storage1 +0 +- +- +- +- +-\n/);
  expect(archive).toContain(`files under ${work}/data1:\n  ALPENHORN_NODE\n`);

  // ---- Auto-sync and auto-clean
  const first = section(out, "The first auto-sync");
  expect(first).toContain('Auto-sync from "demo_storage1" started');
  expect(first).toMatch(/demo_storage1 +Auto-sync +File added to that node\n/);
  expect(has(h2, pulled("2025/02/26/meta.txt", 52))).toBe(true);
  const chain = section(out, "The second auto-sync");
  expectStats(chain, [["demo_storage1", 2, "67 B"], ["demo_storage2", 7, "169 B"], ["demo_storage3", 6, "117 B"]]);
  expectStats(chain.slice(chain.lastIndexOf("$ alpenhorn node stats")), [["demo_storage2", 7, "169 B"], ["demo_storage3", 7, "169 B"]]);
  expect(has(h3, pulled("2025/02/26/01/0529.dat", 15))).toBe(true);
  const clean = section(out, "The auto-clean action");
  expect(clean).toContain("Would release 2 files (67 B).");
  expect(clean).toContain('Auto-clean trigger: Group "demo_storage3" added');
  expect(clean).toMatch(/demo_storage3 +Auto-clean +File added to that group\n/);
  expect(has(h2, pulled("2025/02/26/02/0011.dat", 15))).toBe(true);
  expect(has(h3, pulled("2025/02/26/02/0011.dat", 15))).toBe(true);
  expect(has("alpenhost1", worker("INFO", "Removed file copy 2025/02/26/02/0011.dat on demo_storage1"))).toBe(true);
  expectStats(clean, [["demo_storage1", 0, "-"], ["demo_storage2", 8, "184 B"], ["demo_storage3", 8, "184 B"]]);

  // ---- The transport node, filled on one host and emptied on another
  expect(has(h3, worker("INFO", 'Node "transport1" initialised.'))).toBe(true);
  const toTransport = section(out, "Copying Data to the Transport Group");
  expect(toTransport).toContain('Would sync 8 files (184 B) from Node "demo_storage3" to Group "transport_group".');
  expect(toTransport).toMatch(/\ntransport1 +8 +184 B +-\n/);
  // Only the Transport group searches before pulling, once per file (632dd41).
  expect(count(h3, /Beginning task Pre-pull search for .* in transport_group$/)).toBe(8);
  for (const host of ["alpenhost1", "alpenhost2", "alpenhost3"]) expect(has(host, /Pre-pull search for .* in demo_storage\d$/)).toBe(false);
  const carried = section(out, "Transporting the transport node");
  expect(carried).toContain('Storage node "transport1" deactivated.');
  for (const what of ['Node "transport1"', 'Group "transport_group"']) {
    expect(has(h3, new RegExp(`^INFO >> \\[MainThread\\] ${what} no longer available\\.$`))).toBe(true);
    expect(has("alpenhost1", new RegExp(`^INFO >> \\[MainThread\\] ${what} now available\\.$`))).toBe(true);
  }
  expect(carried).toContain('Would sync 8 files (184 B) from Node "transport1" to Group "demo_storage1".');
  expectStats(carried, [["demo_storage1", 8, "184 B"], ["demo_storage2", 8, "184 B"], ["demo_storage3", 8, "184 B"], ["transport1", 8, "184 B"]]);
  for (const rel of EIGHT) expect(has("alpenhost1", pulled(rel, rel.endsWith("meta.txt") ? 52 : rel.includes("/23/1349") ? 14 : rel.includes("/23/") ? 12 : 15))).toBe(true);
  expect(count("alpenhost1", / task:? AFCR#\d+: transport1 -> demo_storage1$/)).toBe(16);
  for (const rel of EIGHT) expect(has("alpenhost1", worker("INFO", `Removed file copy ${rel} on transport1`))).toBe(true);
  expect(has("alpenhost1", /^INFO >> \[Worker#\d+\] Finished task: Delete copies \[(\d+, ){7}\d+\] from transport1$/)).toBe(true);

  // ---- The end: node stats, check-site, node risk
  const end = section(out, "Where the data stands");
  expectStats(end, [["demo_storage1", 8, "184 B"], ["demo_storage2", 8, "184 B"], ["demo_storage3", 8, "184 B"], ["transport1", 0, "-"]]);
  expect(end).toContain("$ alpenhorn check-site demo_storage1 ");
  expect(end).toMatch(/\nok +8 +184 B\nmissing +0 +-\norphan +0 +-\nmismatch +0 +-\n/);
  expect(end).toContain("$ alpenhorn node risk\n");
  for (const node of ["demo_storage1", "demo_storage2", "demo_storage3", "transport1"]) expect(end).toMatch(new RegExp(`\n${node} +0 +0 B +0 +0 B +0 +0 B\n`));
  const reports = readdirSync(join(work, "reports"));
  expect(reports).toHaveLength(1);
  expect(JSON.parse(readFileSync(join(work, "reports", reports[0]!, "summary.json"), "utf8")).node).toBe("demo_storage1");

  // Files on disk, root by root.
  for (const n of [1, 2, 3]) expect(filesUnder(join(work, `data${n}`))).toEqual([...EIGHT, "ALPENHORN_NODE"]);
  expect(filesUnder(join(work, "transport-on-alpenhost1"))).toEqual(["ALPENHORN_NODE"]);
  expect(existsSync(join(work, "transport-on-alpenhost3"))).toBe(false);
  expect(readFileSync(join(work, "data1/2025/02/21/23/1324.dat"), "utf8")).toBe("0 1 2 3 4 5\n");

  // Copy states in the index: healthy and wanted on the three nodes, removed from transport1.
  const copies = async (node: string) =>
    (
      await idx.db.all<{ has_file: string; wants_file: string }>(
        "SELECT c.has_file, c.wants_file FROM archivefilecopy c JOIN storagenode n ON n.id = c.node_id WHERE n.name = ? ORDER BY c.id",
        [node],
      )
    ).map((c) => `${c.has_file}${c.wants_file}`);
  for (const node of ["demo_storage1", "demo_storage2", "demo_storage3"]) expect(await copies(node)).toEqual(Array(8).fill("YY"));
  expect(await copies("transport1")).toEqual(Array(8).fill("NN"));
  const pending = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0");
  expect(Number(pending!.n)).toBe(0);
  const hosts = await idx.db.all<{ name: string; host: string }>("SELECT name, host FROM storagenode ORDER BY name");
  expect(hosts.map((r) => `${r.name}@${r.host}`)).toEqual([`demo_storage1@${h1}`, `demo_storage2@${h2}`, `demo_storage3@${h3}`, "transport1@alpenhost1"]);
}

for (const [backend, describeOn] of await backendSuites())
  describeOn(`the demo story [${backend}]`, () => {
    test(`three daemons${SSH ? ", remote pulls over a loopback sshd" : " (no sshd here: local pulls)"}: the seed demo's outcomes, every process stopped`, () => wholeStory(backend, false), 240_000);
  });

test("DEMO_NO_SSH=1: one line says so, every node is on alpenhost1, pulls are local, same outcomes", () => wholeStory("sqlite", true), 240_000);

// SIGINT to the demo alone (its handler stops the rest), and Ctrl-C on a terminal, where every
// process of the foreground job gets it at once (a `--wait` and the daemons included).
for (const [what, group] of [["SIGINT to the demo", false], ["Ctrl-C on a terminal (SIGINT to its process group)", true]] as const)
  test(`${what} midway: exit 130, every daemon and the sshd stopped`, async () => {
    await binaryPath();
    using ws = tempDir("demo-int");
    const work = ws.join("work");
    const demo = startDemo(work, {}, group);
    await demo.reach("\n# Bulk transfers");
    expect(processesIn(work).filter((p) => / serve --test-isolation -c /.test(p))).toHaveLength(3);
    process.kill(group ? -demo.proc.pid : demo.proc.pid, "SIGINT");
    const { code, out } = await demo.result();
    expect(code).toBe(130);
    expect(out).toContain("\nSIGINT: stopping the demo's daemons and sshd...\n");
    expect(out).not.toContain("Demo complete");
    expect(processesIn(work)).toEqual([]);
    // The daemons, in sessions of their own, got only the demo's SIGTERM, and stopped in order.
    for (const host of ["alpenhost1", "alpenhost2", "alpenhost3"]) expect(logOf(work, host)).toContain("INFO >> [MainThread] Exiting due to SIGTERM");
  }, 120_000);

test("a daemon dying midway fails the demo (exit 1, the reason on stderr), and the rest is stopped", async () => {
  await binaryPath();
  using ws = tempDir("demo-fail");
  const work = ws.join("work");
  const demo = startDemo(work, { DEMO_NO_SSH: "1" });
  await demo.reach("\n# Transferring a file");
  const victim = processesIn(work).find((p) => p.includes(`serve --test-isolation -c ${work}/alpenhost1.conf`));
  expect(victim).toBeDefined();
  process.kill(Number(victim!.split(":")[0]), "SIGKILL");
  const { code, err } = await demo.result();
  expect(code).toBe(1);
  expect(err).toMatch(new RegExp(`demo failed after \\d+\\.\\ds: .*the alpenhost1 daemon exited \\(see ${esc(work)}/alpenhost1\\.log\\)`));
  expect(processesIn(work)).toEqual([]);
}, 120_000);
