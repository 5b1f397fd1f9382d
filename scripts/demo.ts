// `npm run demo`: alpenhorn's demo walkthrough on one machine, with the compiled binary and an
// embedded SQLite index: set up the Data Index and nodes, run the daemon, import files, find a
// corrupt file and recover it, see a deletion refused under the archive-copy rule, sync files
// to a second node (one file, then in bulk), make archive nodes so deletions go ahead, chain
// auto-sync and auto-clean actions, and carry files on a transport node between nodes. Every
// node is on this one host (alpenhost1), so pulls are local; tests/e2e/three-daemons.test.ts
// runs the same sections with three daemons and rsync over ssh. It prints a transcript and
// stops with an error at the first command that fails.

import { mkdirSync, rmSync, unlinkSync, writeFileSync, renameSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile, DEFAULT_OUTFILE } from "./compile.ts";

const ROOT = resolve(import.meta.dir, "..");
const WORK = resolve(process.env.DEMO_DIR ?? join(ROOT, ".tmp/demo"));
const DATA1 = join(WORK, "data1");
const DATA2 = join(WORK, "data2");
const DATA3 = join(WORK, "data3");
/** The transport disk, mounted at one place, then (after its trip) at another. */
const TRANSPORT_AT_3 = join(WORK, "transport-on-host3");
const TRANSPORT_AT_1 = join(WORK, "transport-on-host1");
const CONF = join(WORK, "alpenhorn.conf");
/** The Data Index: an embedded SQLite file unless DEMO_DATABASE_URL names another (the e2e test runs MariaDB too). */
const DATABASE_URL = process.env.DEMO_DATABASE_URL ?? `sqlite:///${join(WORK, "alpenhorn.db")}`;

function say(text: string): void {
  console.log(`\n# ${text}`);
}

function alpenhorn(...args: string[]): string {
  return alpenhornWith(undefined, ...args);
}

/** Run a command answering its prompt with `input` (e.g. "y\n"), shown after the prompt. */
function alpenhornWith(input: string | undefined, ...args: string[]): string {
  console.log(`$ alpenhorn ${args.join(" ")}${input === undefined ? "" : `   (answering ${JSON.stringify(input.trim())})`}`);
  const stdin = input === undefined ? "ignore" : new TextEncoder().encode(input);
  const r = Bun.spawnSync([DEFAULT_OUTFILE, "--test-isolation", "-c", CONF, ...args], { cwd: WORK, stdin });
  const out = r.stdout.toString();
  const err = r.stderr.toString();
  if (out) process.stdout.write(out);
  if (err) process.stdout.write(err.replace(/^(?=.)/gm, "  | "));
  if (r.exitCode !== 0) throw new Error(`alpenhorn ${args.join(" ")} exited with status ${r.exitCode}`);
  return out;
}

function write(rel: string, text: string, root = DATA1): void {
  const p = join(root, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, text);
  console.log(`(node) wrote ${rel}`);
}

async function main(): Promise<void> {
  if (!existsSync(DEFAULT_OUTFILE)) await compile();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(DATA1, { recursive: true });
  mkdirSync(DATA2, { recursive: true });
  mkdirSync(DATA3, { recursive: true });
  mkdirSync(TRANSPORT_AT_3, { recursive: true });
  writeFileSync(
    CONF,
    `database:\n  url: ${JSON.stringify(DATABASE_URL)}\nextensions:\n  - pattern_importer\n` +
      `daemon:\n  host: alpenhost1\n  update_interval: 1\n  auto_import_interval: 1\n  num_workers: 2\nlogging:\n  level: INFO\n`,
  );
  console.log(`Demo workspace: ${WORK}`);

  say("Set up the Data Index (the pattern_importer extension is built in)");
  alpenhorn("db", "init");

  say("Create the first StorageNode");
  alpenhorn("group", "create", "demo_storage1");
  alpenhorn("node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", `--root=${DATA1}`, "--host=alpenhost1");

  say("Start the first daemon: no active nodes yet");
  alpenhorn("serve", "--once");
  alpenhorn("node", "activate", "demo_storage1");
  alpenhorn("node", "init", "demo_storage1");
  say("The daemon initialises the node");
  alpenhorn("serve", "--once");

  say("Auto-import: a locked file is skipped, a temporary name is not imported, a dot file is ignored");
  write("2025/02/21/.meta.txt.lock", "");
  write("2025/02/21/meta.txt", "This is the first acquisition in the alpenhorn demo\n");
  write("2025/02/21/23/1324.dat.temp", "0 1 2 3 4 5\n");
  write("2025/02/21/23/.1325.dat", "hidden\n");
  alpenhorn("serve", "--once");
  unlinkSync(join(DATA1, "2025/02/21/.meta.txt.lock"));
  renameSync(join(DATA1, "2025/02/21/23/1324.dat.temp"), join(DATA1, "2025/02/21/23/1324.dat"));
  console.log("(node) removed the lock file; renamed 1324.dat.temp to 1324.dat");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");
  alpenhorn("file", "list", "--node=demo_storage1", "--details");

  say("Manual import, with auto-import turned off");
  alpenhorn("node", "modify", "demo_storage1", "--no-auto-import");
  alpenhorn("node", "show", "demo_storage1");
  write("2025/02/21/23/1330.dat", "0 1 2 3 4 5\n");
  write("2025/02/21/23/1342.dat", "3 4 5 6 7 8\n");
  write("2025/02/21/23/1349.dat", "9 10 11 12 13\n");
  alpenhorn("node", "stats");
  alpenhorn("file", "import", "--register-new", "2025/02/21/23/1330.dat", "demo_storage1");
  alpenhorn("node", "scan", "demo_storage1", "--register-new", "2025/02/21");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");

  say("A second node");
  alpenhorn("node", "create", "demo_storage2", "--create-group", `--root=${DATA2}`, "--host=alpenhost1");
  alpenhorn("node", "init", "demo_storage2");
  alpenhorn("node", "activate", "demo_storage2");
  alpenhorn("serve", "--once");
  alpenhorn("node", "show", "demo_storage2", "--all");
  alpenhorn("node", "stats");

  say("Syncing files between nodes: transferring a file");
  alpenhorn("file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", "2025/02/21/meta.txt");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");

  say("Bulk transfers: every file of demo_storage1 not yet in demo_storage2");
  alpenhornWith("y\n", "node", "sync", "demo_storage1", "demo_storage2", "--show-files");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");
  say("Nothing left to sync");
  alpenhornWith("y\n", "group", "sync", "demo_storage2", "demo_storage1", "--show-files");

  say("Dealing with corruption: alpenhorn knows each file's MD5");
  alpenhorn("file", "show", "2025/02/21/23/1324.dat");
  // A new file in its place: demo_storage2's copy is a hard link of this one (both nodes are on
  // this machine's filesystem), and writing into the shared inode would corrupt both copies.
  unlinkSync(join(DATA1, "2025/02/21/23/1324.dat"));
  write("2025/02/21/23/1324.dat", "bad data\n");
  say("Nothing has noticed yet");
  alpenhorn("node", "stats", "--extra-stats");
  alpenhornWith("y\n", "node", "verify", "--all", "--acq=2025/02/21", "demo_storage1");
  say("The daemon checks every file of the acquisition: size first, then MD5");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats", "--extra-stats");
  alpenhorn("file", "state", "2025/02/21/23/1324.dat", "demo_storage1");

  say("Recovering the file: a good copy synced back from demo_storage2 over the corrupt one");
  alpenhornWith("y\n", "node", "sync", "demo_storage2", "demo_storage1");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats", "--extra-stats");
  alpenhorn("file", "state", "2025/02/21/23/1324.dat", "demo_storage1");

  say("Deleting files: refused while fewer than two archive copies exist elsewhere");
  alpenhorn("file", "clean", "--now", "--node=demo_storage1", "2025/02/21/meta.txt");
  alpenhorn("serve", "--once");
  alpenhorn("file", "state", "2025/02/21/meta.txt", "demo_storage1");

  say("Archive nodes: one archive copy elsewhere is not enough");
  alpenhorn("node", "modify", "--archive", "demo_storage2");
  alpenhorn("node", "show", "demo_storage2");
  alpenhorn("serve", "--once");

  say("A third node, an archive too: the deletion goes ahead");
  alpenhorn("node", "create", "demo_storage3", "--create-group", "--archive", `--root=${DATA3}`, "--host=alpenhost1", "--init", "--activate");
  alpenhorn("serve", "--once");
  alpenhorn("node", "sync", "--force", "demo_storage2", "demo_storage3");
  alpenhorn("serve", "--once");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats", "--extra-stats");

  say("Bulk deletion: everything on demo_storage1 that demo_storage3 holds");
  alpenhornWith("y\n", "node", "clean", "demo_storage1", "--now", "--target", "demo_storage3");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats", "--extra-stats");

  say("The first auto-sync: new files on demo_storage1 go to demo_storage2");
  alpenhorn("group", "autosync", "demo_storage2", "demo_storage1");
  alpenhorn("group", "show", "demo_storage2", "--actions");
  write("2025/02/26/meta.txt", "This is the second acquisition in the alpenhorn demo");
  alpenhorn("node", "scan", "demo_storage1", "--register-new");
  alpenhorn("serve", "--once");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");

  say("The second auto-sync: on from demo_storage2 to demo_storage3");
  alpenhorn("group", "autosync", "demo_storage3", "demo_storage2");
  write("2025/02/26/01/0529.dat", "14 15 16 17 18\n");
  alpenhorn("node", "scan", "demo_storage1", "--register-new");
  for (let i = 0; i < 3; i++) alpenhorn("serve", "--once");
  alpenhorn("node", "stats");
  say("Auto-actions are not retroactive: a manual sync for the file that came before");
  alpenhornWith("y\n", "node", "sync", "demo_storage2", "demo_storage3");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");

  say("The auto-clean action: files that reach demo_storage3 leave demo_storage1");
  alpenhornWith("y\n", "node", "clean", "--now", "demo_storage1", "--target=demo_storage3");
  alpenhorn("node", "autoclean", "demo_storage1", "demo_storage3");
  alpenhorn("node", "show", "demo_storage1", "--actions");
  alpenhorn("serve", "--once");
  write("2025/02/26/02/0011.dat", "14 15 16 17 18\n");
  alpenhorn("node", "scan", "demo_storage1", "--register-new");
  for (let i = 0; i < 4; i++) alpenhorn("serve", "--once");
  alpenhorn("node", "stats");

  say("Transport disks: a Transport group and a transport node");
  alpenhorn("group", "create", "--class=Transport", "transport_group");
  alpenhorn("node", "create", "transport1", "--transport", "--group", "transport_group", "--host=alpenhost1", `--root=${TRANSPORT_AT_3}`, "--init", "--activate");
  alpenhorn("serve", "--once");
  say("Copying data to the Transport group");
  alpenhornWith("y\n", "node", "sync", "demo_storage3", "transport_group", "--target=demo_storage1");
  alpenhorn("serve", "--once");
  alpenhorn("group", "show", "--node-stats", "transport_group");

  say("Transporting the transport node: deactivate, carry, activate where it arrived");
  alpenhorn("node", "deactivate", "transport1");
  alpenhorn("serve", "--once");
  renameSync(TRANSPORT_AT_3, TRANSPORT_AT_1);
  console.log(`(host) moved the transport disk: ${TRANSPORT_AT_3} -> ${TRANSPORT_AT_1}`);
  alpenhorn("node", "activate", "transport1", "--host=alpenhost1", "--username=root", "--address=alpenhost1", `--root=${TRANSPORT_AT_1}`);
  alpenhornWith("y\n", "node", "sync", "transport1", "demo_storage1");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");
  say("Clearing the transport disk of what demo_storage1 now holds");
  alpenhorn("node", "clean", "--now", "--force", "transport1", "--target=demo_storage1");
  alpenhorn("serve", "--once");
  alpenhorn("node", "stats");
  console.log("\nDemo complete.");
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exit(1);
});
