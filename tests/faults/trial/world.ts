// One trial's world: a fresh Data Index (a SQLite file in a temp dir, or a fresh MariaDB
// database), node roots beside each other in that temp dir, a sentinel directory next to them
// (nothing the daemon does may touch it), a config file, and runners for the compiled binary's
// CLI and daemon. Nodes and the files they already hold are set up as rows (tests/helpers/seed);
// the work under test is always filed through the CLI.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { compile } from "../../../scripts/compile.ts";
import { runBinary, type RunResult } from "../../helpers/binary.ts";
import type { Backend, TestIndex } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import { tempDir } from "../../helpers/tmp.ts";
import type { Sshd } from "../../helpers/sshd.ts";
import { demoIndex, HOST } from "../../engine/_daemon.ts";
import { md5 } from "./disk.ts";
import type { Rng } from "./plan.ts";

let built: Promise<string> | undefined;

/** The binary under test, compiled from this tree once per test process (dist/ may be stale). */
export function faultBinary(): Promise<string> {
  built ??= (async () => {
    const dir = tempDir("faults-build");
    process.on("exit", () => dir[Symbol.dispose]());
    const exe = dir.join("alpenhorn");
    await compile({ entry: resolve(import.meta.dir, "../../../src/main.ts"), outfile: exe });
    return exe;
  })();
  return built;
}

/** A file of the trial: where it lives in an acquisition and its bytes. */
export interface TrialFile {
  readonly acq: string;
  readonly name: string;
  readonly bytes: Buffer;
  readonly md5: string;
}

export const relOf = (f: TrialFile) => `${f.acq}/${f.name}`;

export interface TrialNode {
  readonly id: number;
  readonly name: string;
  readonly groupId: number;
  readonly root: string;
}

const HOURS = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "20", "21", "22", "23"];

/**
 * `count` files with names the demo's pattern_importer accepts (`2025/03/DD/hh/mmss.dat`),
 * spread over a few acquisitions, sizes drawn between `minB` and `maxB` bytes.
 */
export function makeFiles(rng: Rng, count: number, minB: number, maxB: number): TrialFile[] {
  const seen = new Set<string>();
  const out: TrialFile[] = [];
  while (out.length < count) {
    const acq = `2025/03/${String(rng.int(1, 4)).padStart(2, "0")}`;
    // The demo's data pattern takes hours 00-09 and 20-23 only.
    const name = `${rng.pick(HOURS)}/${String(rng.int(0, 59)).padStart(2, "0")}${String(rng.int(0, 59)).padStart(2, "0")}.dat`;
    if (seen.has(`${acq}/${name}`)) continue;
    seen.add(`${acq}/${name}`);
    const bytes = rng.bytes(rng.int(minB, maxB));
    out.push({ acq, name, bytes, md5: md5(bytes) });
  }
  return out;
}

export class World implements AsyncDisposable {
  readonly sentinel: string;
  private readonly acqIds = new Map<string, number>();
  private readonly fileIds = new Map<string, number>();
  /** Lines under `daemon:` in every config written (e.g. the test sshd's rsync_rsh). */
  daemonConf = "";

  private constructor(
    readonly backend: Backend,
    readonly idx: TestIndex,
    readonly exe: string,
    readonly sshd: Sshd | null,
  ) {
    this.sentinel = idx.dir.join("sentinel");
  }

  static async create(backend: Backend, rng: Rng, sshd: Sshd | null = null): Promise<World> {
    const w = new World(backend, await demoIndex(backend), await faultBinary(), sshd);
    if (sshd) w.daemonConf = `  rsync_rsh: ${JSON.stringify(sshd.rsh)}\n`;
    // Files outside every node root, beside them: they must come out of the trial unchanged.
    for (const [i, f] of makeFiles(rng, 3, 0, 4096).entries()) {
      const p = join(w.sentinel, `s${i}`, f.name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.bytes);
    }
    return w;
  }

  /** An active node on this host (or `host`), alone in its own group, with ALPENHORN_NODE written; its root beside the index unless `root`. */
  async node(name: string, f: { archive: boolean; host?: string; root?: string }): Promise<TrialNode> {
    const root = f.root ?? this.idx.dir.join(name);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "ALPENHORN_NODE"), `${name}\n`);
    const group = await seed.group(this.idx.db, { name });
    const remote = f.host !== undefined && f.host !== HOST && this.sshd ? { username: this.sshd.user, address: this.sshd.host } : {};
    const node = await seed.node(this.idx.db, {
      name,
      group_id: group.id,
      root,
      host: f.host ?? HOST,
      active: 1,
      storage_type: f.archive ? "A" : "F",
      ...remote,
    });
    return { id: node.id, name, groupId: group.id, root };
  }

  /** A node row of another host whose files this machine never sees (copies counted, never read). */
  async elsewhere(name: string): Promise<TrialNode> {
    const group = await seed.group(this.idx.db, { name });
    const node = await seed.node(this.idx.db, { name, group_id: group.id, root: `/elsewhere/${name}`, host: "otherhost", storage_type: "A", active: 1 });
    return { id: node.id, name, groupId: group.id, root: node.root! };
  }

  /** Write `files` under `node`'s root (without registering them). */
  put(node: TrialNode, files: readonly TrialFile[]): void {
    for (const f of files) {
      const p = join(node.root, relOf(f));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.bytes);
    }
  }

  /** Register `files` (rows made as an import would) with a copy in state `has` on `node`. */
  async register(node: TrialNode, files: readonly TrialFile[], has: "Y" | "M" = "Y"): Promise<void> {
    for (const f of files) {
      let acqId = this.acqIds.get(f.acq);
      if (acqId === undefined) {
        acqId = (await seed.acq(this.idx.db, { name: f.acq })).id;
        this.acqIds.set(f.acq, acqId);
      }
      let fileId = this.fileIds.get(relOf(f));
      if (fileId === undefined) {
        fileId = (await seed.file(this.idx.db, { name: f.name, acq_id: acqId, size_b: f.bytes.length, md5sum: f.md5 })).id;
        this.fileIds.set(relOf(f), fileId);
      }
      await seed.copy(this.idx.db, { file_id: fileId, node_id: node.id, has_file: has, wants_file: "Y", ready: 1, size_b: f.bytes.length });
    }
  }

  /** Write the config for a daemon or CLI run; `daemonExtra`: more lines under `daemon:`. */
  conf(daemonExtra = ""): string {
    const path = this.idx.dir.join("alpenhorn.conf");
    writeFileSync(
      path,
      `database:\n  url: ${JSON.stringify(this.idx.url)}\nbase:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\n` +
        `logging:\n  level: info\ndaemon:\n  update_interval: 1\n  num_workers: 2\n${this.daemonConf}${daemonExtra}`,
    );
    return path;
  }

  /** Run a CLI command of the binary; a non-zero exit fails the trial. */
  async cli(args: string[]): Promise<RunResult> {
    const r = await runBinary(this.exe, ["--test-isolation", "-c", this.conf(), ...args], { cwd: this.idx.dir.path, env: { HOME: this.idx.dir.path } });
    if (r.code !== 0) throw new Error(`alpenhorn ${args.join(" ")} exited ${r.code}:\n${r.out}${r.err}`);
    return r;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.idx[Symbol.asyncDispose]();
  }
}
