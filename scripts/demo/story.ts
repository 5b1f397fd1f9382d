// The seed demo's story, told with three running daemons: each step runs the commands the
// demo's alpenshell runs (or writes files as on its alpenhost1), then waits for its outcome:
// the CLI's `--wait` where a command files work for the daemon, a daemon's log line where the
// outcome is only in the log (a deletion refused, a node coming up), or `node stats` reaching
// the seed's numbers where an auto-action finishes the work. Section titles are the seed's.

import { mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { World } from "./world.ts";

const W = String.raw`\[Worker#\d+\]`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
/** A worker's log line saying exactly `text`. */
const worker = (text: string) => new RegExp(`${W} ${esc(text)}$`);
const pulled = (rel: string) => new RegExp(`${W} Pull of ${esc(rel)} complete\\.`);
/** A `node stats` row: name, count, size (`-` for none). */
const row = (node: string, count: number, size: string) => new RegExp(`^${node} +${count} +${esc(size).replace(" ", " +")} +-`, "m");

export async function story(w: World): Promise<void> {
  w.say("Setting up the data index (the pattern_importer extension is built in)");
  await w.cli(["db", "init"]);

  w.say("Create the first StorageNode");
  const h1 = w.hostOf(1);
  await w.cli(["group", "create", "demo_storage1"]);
  await w.cli(["node", "create", "demo_storage1", "--group=demo_storage1", "--auto-import", `--root=${w.data(1)}`, `--host=${h1}`]);

  w.say("Start the daemons: no active nodes yet");
  // Where the other nodes live depends on whether the sshd came up (started alongside the above).
  await w.settleHosts();
  const h2 = w.hostOf(2);
  const h3 = w.hostOf(3);
  const login = w.login();
  w.startDaemons();
  await w.see(h1, /No active nodes on host \(alpenhost1\)!/);
  await w.cli(["node", "activate", "demo_storage1"]);
  await w.see(h1, /Ignoring node "demo_storage1": not initialised\./);
  await w.cli(["node", "init", "demo_storage1", "--wait"]);
  // Files written before the watch exists would only be found by the catch-up scan.
  await w.see(h1, /Watching node "demo_storage1" root .* for auto import\./);

  w.say("Auto-importing files and lock files");
  w.write(1, "2025/02/21/.meta.txt.lock", "");
  w.write(1, "2025/02/21/meta.txt", "This is the first acquisition in the alpenhorn demo\n");
  await w.see(h1, worker('Skipping "2025/02/21/meta.txt": locked.'));
  w.remove(1, "2025/02/21/.meta.txt.lock");
  await w.see(h1, worker('Imported file copy "2025/02/21/meta.txt" on node "demo_storage1".'));
  await w.until(["node", "stats"], row("demo_storage1", 1, "52 B"));
  await w.cli(["file", "list", "--node=demo_storage1", "--details"]);

  w.say("Auto-importing files and temporary names");
  w.write(1, "2025/02/21/23/1324.dat.temp", "0 1 2 3 4 5\n");
  await w.see(h1, worker("Not importing non-acquisition path: 2025/02/21/23/1324.dat.temp"));
  // A leading dot: no import task is even made for it.
  w.write(1, "2025/02/21/23/.1324.dat", "0 1 2 3 4 5\n");
  w.remove(1, "2025/02/21/23/.1324.dat");
  w.rename(1, "2025/02/21/23/1324.dat.temp", "2025/02/21/23/1324.dat");
  await w.see(h1, worker('Imported file copy "2025/02/21/23/1324.dat" on node "demo_storage1".'));
  await w.until(["node", "stats"], row("demo_storage1", 2, "64 B"));

  w.say("Manually importing files");
  const updates = w.daemon(h1).count(/Updating node "demo_storage1"\.$/);
  await w.cli(["node", "modify", "demo_storage1", "--no-auto-import"]);
  await w.cli(["node", "show", "demo_storage1"]);
  // The daemon stops watching when an update reads the change: the second update from now
  // surely started after it.
  await w.daemon(h1).waitFor(/Updating node "demo_storage1"\.$/, updates + 2);
  w.write(1, "2025/02/21/23/1330.dat", "0 1 2 3 4 5\n");
  w.write(1, "2025/02/21/23/1342.dat", "3 4 5 6 7 8\n");
  w.write(1, "2025/02/21/23/1349.dat", "9 10 11 12 13\n");
  await w.cli(["node", "stats"]);
  await w.cli(["file", "import", "--register-new", "2025/02/21/23/1330.dat", "demo_storage1", "--wait"]);
  await w.cli(["node", "scan", "demo_storage1", "--register-new", "2025/02/21", "--wait"]);
  await w.cli(["node", "stats"]);

  w.say("Starting up the second and third nodes");
  await w.cli(["node", "create", "demo_storage2", "--create-group", `--root=${w.data(2)}`, `--host=${h2}`]);
  await w.cli(["node", "init", "demo_storage2"]);
  await w.cli(["node", "show", "demo_storage2", "--all"]);
  await w.cli(["node", "stats"]);
  if (w.ssh) await w.cli(["node", "modify", "demo_storage1", ...login]);
  await w.cli(["node", "activate", "demo_storage2", ...login]);
  await w.see(h2, worker('Node "demo_storage2" initialised.'));

  w.say("Transferring a file");
  await w.cli(["file", "sync", "--from", "demo_storage1", "--to", "demo_storage2", "2025/02/21/meta.txt", "--wait"]);
  await w.cli(["node", "stats"]);
  w.listFiles(h2, w.data(2));

  w.say("Bulk transfers");
  await w.cli(["node", "sync", "demo_storage1", "demo_storage2", "--show-files", "--wait"], { input: "y\n" });
  await w.cli(["node", "stats"]);
  await w.cli(["group", "sync", "demo_storage2", "demo_storage1", "--show-files"]);

  w.say("Dealing with corruption");
  await w.cli(["file", "show", "2025/02/21/23/1324.dat"]);
  // A new file in its place rather than a write into the old one: without ssh, demo_storage2's
  // copy is a hard link of this file and would be damaged too.
  w.remove(1, "2025/02/21/23/1324.dat");
  w.write(1, "2025/02/21/23/1324.dat", "bad data\n");
  await w.cli(["node", "stats", "--extra-stats"]);
  // `--wait` reports the corrupt copy it found, and says so with exit status 1.
  await w.cli(["node", "verify", "--all", "--acq=2025/02/21", "demo_storage1", "--wait"], { input: "y\n", code: 1 });
  await w.cli(["node", "stats", "--extra-stats"]);
  await w.cli(["file", "state", "2025/02/21/23/1324.dat", "demo_storage1"]);

  w.say("Recovering corrupt files");
  await w.cli(["node", "sync", "demo_storage2", "demo_storage1", "--wait"], { input: "y\n" });
  await w.cli(["node", "stats", "--extra-stats"]);
  await w.cli(["file", "state", "2025/02/21/23/1324.dat", "demo_storage1"]);

  w.say("Deleting files");
  await w.cli(["file", "clean", "--now", "--node=demo_storage1", "2025/02/21/meta.txt"]);
  await w.see(h1, worker("Too few archive copies (0) to delete 2025/02/21/meta.txt on demo_storage1."));

  w.say("Archive nodes");
  await w.cli(["node", "modify", "--archive", "demo_storage2"]);
  await w.cli(["node", "show", "demo_storage2"]);
  await w.see(h1, worker("Too few archive copies (1) to delete 2025/02/21/meta.txt on demo_storage1."));
  await w.cli(["node", "create", "demo_storage3", "--create-group", "--archive", `--root=${w.data(3)}`, `--host=${h3}`, ...login, "--init", "--activate"]);
  await w.see(h3, worker('Node "demo_storage3" initialised.'));
  await w.cli(["node", "sync", "--force", "demo_storage2", "demo_storage3", "--wait"]);
  await w.see(h1, worker("Removed file copy 2025/02/21/meta.txt on demo_storage1"));
  await w.until(["node", "stats", "--extra-stats"], row("demo_storage1", 4, "50 B"), row("demo_storage3", 5, "102 B"));
  await w.cli(["node", "clean", "demo_storage1", "--now", "--target", "demo_storage3", "--wait"], { input: "y\n" });
  await w.cli(["node", "stats", "--extra-stats"]);
  w.listFiles(h1, w.data(1));

  w.say("The first auto-sync");
  await w.cli(["group", "autosync", "demo_storage2", "demo_storage1"]);
  await w.cli(["group", "show", "demo_storage2", "--actions"]);
  w.write(1, "2025/02/26/meta.txt", "This is the second acquisition in the alpenhorn demo");
  await w.cli(["node", "scan", "demo_storage1", "--register-new", "--wait"]);
  await w.see(h2, pulled("2025/02/26/meta.txt"));

  w.say("The second auto-sync");
  await w.cli(["group", "autosync", "demo_storage3", "demo_storage2"]);
  w.write(1, "2025/02/26/01/0529.dat", "14 15 16 17 18\n");
  await w.cli(["node", "scan", "demo_storage1", "--register-new", "--wait"]);
  await w.until(["node", "stats"], row("demo_storage1", 2, "67 B"), row("demo_storage2", 7, "169 B"), row("demo_storage3", 6, "117 B"));
  // Auto-actions are not retroactive: the file demo_storage2 had before needs a manual sync.
  await w.cli(["node", "sync", "demo_storage2", "demo_storage3", "--wait"], { input: "y\n" });
  await w.cli(["node", "stats"]);

  w.say("The auto-clean action");
  await w.cli(["node", "clean", "--now", "demo_storage1", "--target=demo_storage3", "--wait"], { input: "y\n" });
  await w.cli(["node", "autoclean", "demo_storage1", "demo_storage3"]);
  await w.cli(["node", "show", "demo_storage1", "--actions"]);
  w.write(1, "2025/02/26/02/0011.dat", "14 15 16 17 18\n");
  await w.cli(["node", "scan", "demo_storage1", "--register-new", "--wait"]);
  await w.see(h1, worker("Removed file copy 2025/02/26/02/0011.dat on demo_storage1"));
  await w.until(["node", "stats"], row("demo_storage1", 0, "-"), row("demo_storage2", 8, "184 B"), row("demo_storage3", 8, "184 B"));

  w.say("The Transport Group and Transport Nodes");
  // Named for the seed's hosts, wherever the nodes live.
  const atH3 = join(w.work, "transport-on-alpenhost3");
  const atH1 = join(w.work, "transport-on-alpenhost1");
  mkdirSync(atH3);
  await w.cli(["group", "create", "--class=Transport", "transport_group"]);
  await w.cli(["node", "create", "transport1", "--transport", "--group", "transport_group", `--host=${h3}`, `--root=${atH3}`, "--init", "--activate"]);
  await w.see(h3, worker('Node "transport1" initialised.'));

  w.say("Copying Data to the Transport Group");
  await w.cli(["node", "sync", "demo_storage3", "transport_group", "--target=demo_storage1", "--wait"], { input: "y\n" });
  await w.cli(["group", "show", "--node-stats", "transport_group"]);

  w.say("Transporting the transport node");
  await w.cli(["node", "deactivate", "transport1"]);
  await w.see(h3, /Node "transport1" no longer available\.$/);
  renameSync(atH3, atH1);
  w.print(`(sneakernet) the transport disk left ${h3} (${atH3}) and was mounted on ${h1} at ${atH1}`);
  // Without ssh both "hosts" are alpenhost1, whose daemon has seen the node come up before.
  const arrived = /Node "transport1" now available\.$/;
  const before = w.daemon(h1).count(arrived);
  await w.cli(["node", "activate", "transport1", `--host=${h1}`, ...login, `--root=${atH1}`]);
  await w.see(h1, arrived, before + 1);
  await w.cli(["node", "sync", "transport1", "demo_storage1", "--wait"], { input: "y\n" });
  await w.cli(["node", "stats"]);
  await w.cli(["node", "clean", "--now", "--force", "transport1", "--target=demo_storage1", "--wait"]);

  w.say("Where the data stands");
  await w.cli(["node", "stats"]);
  // The audit runs on the node's host, with that host's config (its daemon.host).
  await w.cli(["check-site", "demo_storage1", `--report-dir=${join(w.work, "reports")}`], { on: h1 });
  await w.cli(["node", "risk"]);
}
