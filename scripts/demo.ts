// `npm run demo` (scripts/demo.sh builds the binary first): alpenhorn's demo story on this
// machine, with the compiled binary, three `alpenhorn serve` daemons (daemon.host alpenhost1..3)
// and an embedded SQLite Data Index, in a fresh workspace (.tmp/demo, or $DEMO_DIR). Remote
// pulls between the hosts go through rsync over a throw-away sshd on 127.0.0.1; when none can
// start (no openssh-server or rsync here, or DEMO_NO_SSH=1) the demo says so in one line and
// puts every node on alpenhost1, where pulls are local. DEMO_DATABASE_URL names another index
// (the e2e test runs MariaDB too). It prints each command with its output and the daemons'
// noteworthy log lines (the whole logs are alpenhostN.log in the workspace), and stops every
// process it started when the story ends, at the first command that fails (exit 1), or on
// Ctrl-C / SIGTERM (exit 130 / 143).

import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { compile, DEFAULT_OUTFILE } from "./compile.ts";
import { startLoopbackSshd, type Sshd } from "./lib/sshd.ts";
import { story } from "./demo/story.ts";
import { HOSTS, World } from "./demo/world.ts";

const ROOT = resolve(import.meta.dir, "..");
const WORK = resolve(process.env.DEMO_DIR ?? join(ROOT, ".tmp/demo"));
const DATABASE_URL = process.env.DEMO_DATABASE_URL ?? `sqlite:///${join(WORK, "alpenhorn.db")}`;
const NO_SSH = process.env.DEMO_NO_SSH === "1";

/** Start the sshd; never throws: no sshd is a way the demo runs, not a failure. */
async function loopbackSshd(world: () => World): Promise<{ sshd: Sshd | null; why: string }> {
  if (NO_SSH) return { sshd: null, why: "DEMO_NO_SSH=1" };
  try {
    const s = await startLoopbackSshd({ dir: join(WORK, "sshd") });
    world().procs.onStop(() => s.stop());
    return { sshd: s.sshd, why: "" };
  } catch (e) {
    return { sshd: null, why: (e as Error).message.split("\n")[0]! };
  }
}

async function main(): Promise<number> {
  if (!existsSync(DEFAULT_OUTFILE)) await compile();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  for (const n of [1, 2, 3]) mkdirSync(join(WORK, `data${n}`));

  // The sshd (about two seconds of key generation and start-up) comes up while the index is made.
  const world: World = new World({ exe: DEFAULT_OUTFILE, work: WORK, databaseUrl: DATABASE_URL, sshd: loopbackSshd(() => world) });
  let signalled = false;
  const onSignal = (sig: "SIGINT" | "SIGTERM") => {
    const status = sig === "SIGINT" ? 130 : 143;
    if (signalled) {
      // A second Ctrl-C: no more patience.
      world.procs.killNow();
      process.exit(status);
    }
    signalled = true;
    console.log(`\n${sig}: stopping the demo's daemons and sshd...`);
    void world.procs.stopAll().finally(() => process.exit(status));
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("exit", () => world.procs.killNow());

  world.writeShellConfig();
  world.print(`Demo workspace: ${WORK}`);
  world.print(`The CLI runs as \`${DEFAULT_OUTFILE} --test-isolation -c ${world.shellConf} ...\`, shown as \`alpenhorn ...\`.`);
  try {
    await story(world);
  } catch (err) {
    // After a signal the story fails as its processes go away: that is not the news. On a
    // terminal, Ctrl-C reaches the CLI run too, which may end before the handler has run.
    await Bun.sleep(200);
    if (signalled) return new Promise(() => undefined);
    world.showLogs();
    console.error(`\ndemo failed after ${world.elapsed()}: ${(err as Error).message}`);
    for (const host of HOSTS) {
      if (!existsSync(world.logOf(host))) continue;
      const tail = readFileSync(world.logOf(host), "utf8").trimEnd().split("\n").slice(-15);
      console.error(`--- last lines of ${world.logOf(host)} ---\n${tail.join("\n")}`);
    }
    await world.procs.stopAll();
    return 1;
  }
  await world.procs.stopAll();
  world.showLogs();
  world.print(`\nDemo complete in ${world.elapsed()}; every process it started has stopped.`);
  return 0;
}

process.exitCode = await main();
