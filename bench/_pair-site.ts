// A fresh test site made by one implementation's own CLI (bench/_impl.ts), so that the original
// and our binary each start from an identical site they built themselves: a temp dir, the same
// config (alpenhorn's own keys: `base.hostname`, `daemon.num_workers`/`update_interval`, the
// pattern_importer extension), a SQLite Data Index from `db init`, and an active node "bench"
// on host HOST. Bulk copies are written directly (one transaction), as bench/_site.ts does.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { daemonOnce, type DaemonRun, type Impl, runCli } from "./_impl.ts";
import { HOST, Site } from "./_site.ts";

export class PairSite {
  readonly dir: string;
  readonly conf: string;
  readonly db: string;
  readonly root: string;

  constructor(
    top: string,
    label: string,
    readonly impl: Impl,
  ) {
    this.dir = mkdtempSync(join(top, `${label}-${impl.name}-`));
    this.conf = join(this.dir, "alpenhorn.conf");
    this.db = join(this.dir, "index.db");
    this.root = join(this.dir, "node");
    writeFileSync(
      this.conf,
      `base:\n  hostname: ${HOST}\ndatabase:\n  url: sqlite:///${this.db}\ndaemon:\n  num_workers: 2\n  update_interval: 1\nextensions:\n  - pattern_importer\nlogging:\n  level: info\n`,
    );
    this.cli(["db", "init"]);
    this.addNode("bench", this.root);
  }

  cli(args: string[]): string {
    return runCli(this.impl, this.dir, this.conf, args);
  }

  /** A node in a group of its own on this host, activated, with its ALPENHORN_NODE file. */
  addNode(name: string, root = join(this.dir, name)): string {
    mkdirSync(root, { recursive: true });
    this.cli(["node", "create", name, "--create-group", "--root", root, "--host", HOST]);
    this.cli(["node", "activate", name]);
    writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
    return root;
  }

  daemon(tag: string, timeoutS: number): Promise<DaemonRun> {
    return daemonOnce(this.impl, this.dir, this.conf, join(this.dir, `daemon-${tag}.log`), timeoutS);
  }

  // The index helpers of bench/_site.ts's Site only use dir/db/root and each other, which this
  // class has under the same names: borrowed rather than written twice.
  private get asSite(): Site {
    return this as unknown as Site;
  }
  open = () => Site.prototype.open.call(this.asSite);
  nodeId = (name: string) => Site.prototype.nodeId.call(this.asSite, name);
  wal = () => Site.prototype.wal.call(this.asSite);
  registerSmall = (n: number) => Site.prototype.registerSmall.call(this.asSite, n, []);
  states = (node = "bench") => Site.prototype.states.call(this.asSite, node);

  close(): void {
    if (!process.env.BENCH_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}
