// The kinds of work the daemon is killed in: each sets up its nodes and files, files the work
// through the CLI and says when the work is finished and what the index and disk must hold then.

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { md5 } from "./disk.ts";
import { healthyFiles, watch, type Watched } from "./invariants.ts";
import type { Rng } from "./plan.ts";
import { makeFiles, relOf, type TrialFile, type TrialNode, type World } from "./world.ts";

export interface Work {
  /** The CLI command that filed the work (for the report). */
  readonly filed: string;
  /** The nodes of this machine: their roots are searched for leftovers and their `Y` copies read back. */
  readonly nodes: readonly TrialNode[];
  /** Trees that must come out unchanged: the sentinel, and the sources of pulls. */
  readonly watched: readonly Watched[];
  /** Files with a healthy copy before the faults (none may lose it). */
  readonly healthyBefore: ReadonlySet<string>;
  /** About how many tasks the work takes (kills land after a drawn number of them). */
  readonly tasks: number;
  /** The latest a kill by delay lands after the daemon is spawned. */
  readonly maxDelayMs: number;
  /** Environment and `daemon:` config lines of the killed runs (what slows them down). */
  readonly killEnv: Record<string, string>;
  readonly killConf: string;
  /** The work is all done (so further `serve --once` runs are not needed). */
  finished(): Promise<boolean>;
  /** What the end state must be, as problems found (empty: as expected). */
  expect(): Promise<string[]>;
}

export interface Kind {
  readonly name: string;
  /** Needs the test sshd (a source on another host). */
  readonly remote: boolean;
  prepare(world: World, rng: Rng): Promise<Work>;
}

const count = async (world: World, sql: string, params: (string | number)[] = []) => Number((await world.idx.db.get<{ n: number }>(sql, params))!.n);

async function allRequestsDone(world: World): Promise<boolean> {
  return (await count(world, "SELECT COUNT(*) AS n FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0")) === 0;
}

/** has_file of the copy of `f` on `node` ("-" without a copy row). */
async function stateOn(world: World, node: TrialNode, f: TrialFile): Promise<{ has: string; wants: string }> {
  const r = await world.idx.db.get<{ has_file: string; wants_file: string }>(
    "SELECT c.has_file AS has_file, c.wants_file AS wants_file FROM archivefilecopy c JOIN archivefile f ON c.file_id = f.id JOIN archiveacq a ON f.acq_id = a.id " +
      "WHERE c.node_id = ? AND a.name = ? AND f.name = ?",
    [node.id, f.acq, f.name],
  );
  return r ? { has: r.has_file, wants: r.wants_file } : { has: "-", wants: "-" };
}

const sentinelOf = (world: World) => watch("sentinel", world.sentinel);

/** `node scan --register-new` over a node holding new files (and a few registered ones). */
const importKind: Kind = {
  name: "import",
  remote: false,
  async prepare(world, rng) {
    const n1 = await world.node("demo_storage1", { archive: true });
    const files = makeFiles(rng, rng.int(15, 40), 0, 64 << 10);
    world.put(n1, files);
    const known = rng.subset(files, 0.2);
    await world.register(n1, known);
    const healthyBefore = await healthyFiles(world, [n1]);
    const filed = "node scan demo_storage1 . --register-new";
    await world.cli(filed.split(" "));
    const watched = [sentinelOf(world), watch("demo_storage1", n1.root)];
    return {
      filed,
      nodes: [n1],
      watched,
      healthyBefore,
      tasks: files.length - known.length + 1,
      maxDelayMs: 1500,
      killEnv: {},
      killConf: "",
      async finished() {
        return (await count(world, "SELECT COUNT(*) AS n FROM archivefileimportrequest WHERE completed = 0")) === 0;
      },
      async expect() {
        const problems: string[] = [];
        const rows = await world.idx.db.all<{ acq: string; name: string; size_b: number; md5sum: string }>(
          "SELECT a.name AS acq, f.name AS name, f.size_b AS size_b, f.md5sum AS md5sum FROM archivefile f JOIN archiveacq a ON f.acq_id = a.id",
        );
        if (rows.length !== files.length) problems.push(`${rows.length} files registered, ${files.length} on disk`);
        const byRel = new Map(rows.map((r) => [`${r.acq}/${r.name}`, r]));
        for (const f of files) {
          const r = byRel.get(relOf(f));
          if (!r) problems.push(`${relOf(f)} not registered`);
          else if (Number(r.size_b) !== f.bytes.length || r.md5sum !== f.md5) problems.push(`${relOf(f)} registered with size ${r.size_b} MD5 ${r.md5sum}`);
          else if ((await stateOn(world, n1, f)).has !== "Y") problems.push(`${relOf(f)} has no healthy copy`);
        }
        if ((await count(world, "SELECT COUNT(*) AS n FROM archivefileimportrequest WHERE completed = 0")) !== 0) problems.push("scan request not completed");
        return problems;
      },
    };
  },
};

/**
 * A pull trial's common part: `files` put on and registered to `source`, `node sync` filed to
 * `dest` (demo_storage2); it ends when every copy request is done, every file healthy on `dest`.
 */
async function syncTrial(world: World, source: TrialNode, dest: TrialNode, files: readonly TrialFile[]) {
  world.put(source, files);
  await world.register(source, files);
  const healthyBefore = await healthyFiles(world, [source]);
  const filed = "node sync demo_storage1 demo_storage2 --force";
  await world.cli(filed.split(" "));
  return {
    filed,
    nodes: [source, dest],
    watched: [sentinelOf(world), watch("source demo_storage1", source.root)],
    healthyBefore,
    tasks: files.length,
    finished: () => allRequestsDone(world),
    async expect() {
      const problems: string[] = [];
      if (!(await allRequestsDone(world))) problems.push("copy requests left pending");
      for (const f of files) if ((await stateOn(world, dest, f)).has !== "Y") problems.push(`${relOf(f)} not healthy on demo_storage2`);
      return problems;
    },
  };
}

/** `node sync` to a second node on this host: hard links (both archive) or copies (kinds differ). */
const localPullKind: Kind = {
  name: "local-pull",
  remote: false,
  async prepare(world, rng) {
    const link = rng.chance(0.5);
    const n1 = await world.node("demo_storage1", { archive: true });
    const n2 = await world.node("demo_storage2", { archive: link });
    // Copies are slowed to a pause per MiB in the killed runs: some files span several MiB.
    const files = link ? makeFiles(rng, rng.int(10, 40), 0, 16 << 10) : makeFiles(rng, rng.int(3, 8), 0, 5 << 19);
    return {
      ...(await syncTrial(world, n1, n2, files)),
      maxDelayMs: 1500,
      killEnv: link ? ({} as Record<string, string>) : { ALPENHORN_TEST_PULL_DELAY_MS: String(rng.int(20, 150)) },
      killConf: "",
    };
  },
};

/** `node sync` from a node of another host (the test sshd on 127.0.0.1): rsync over ssh. */
const remotePullKind: Kind = {
  name: "remote-pull",
  remote: true,
  async prepare(world, rng) {
    const n1 = await world.node("demo_storage1", { archive: true, host: "alpenhost2" });
    const n2 = await world.node("demo_storage2", { archive: true });
    // Few and small: each file is an rsync and an ssh session of its own.
    const files = makeFiles(rng, rng.int(1, 3), 16 << 10, 160 << 10);
    return {
      ...(await syncTrial(world, n1, n2, files)),
      maxDelayMs: 2500,
      killEnv: {},
      // rsync slowed (KiB/s) in the killed runs, so kills land while it writes.
      killConf: `  rsync_bwlimit: ${rng.int(100, 400)}\n`,
    };
  },
};

/** `node verify --all` over healthy, corrupted (same size and other sizes) and missing copies. */
const checkKind: Kind = {
  name: "check",
  remote: false,
  async prepare(world, rng) {
    const n1 = await world.node("demo_storage1", { archive: true });
    const files = makeFiles(rng, rng.int(10, 40), 0, 64 << 10);
    world.put(n1, files);
    await world.register(n1, files);
    const want = new Map<string, string>();
    for (const f of files) {
      const p = join(n1.root, relOf(f));
      const roll = rng.next();
      if (roll < 0.15 && f.bytes.length > 0) {
        const bad = Buffer.from(f.bytes);
        const at = rng.int(0, bad.length - 1);
        bad[at] = bad[at]! ^ 0xff;
        writeFileSync(p, bad);
        want.set(relOf(f), "X");
      } else if (roll < 0.25) {
        writeFileSync(p, Buffer.concat([f.bytes, rng.bytes(rng.int(1, 100))]));
        want.set(relOf(f), "X");
      } else if (roll < 0.35) {
        rmSync(p);
        want.set(relOf(f), "N");
      } else want.set(relOf(f), "Y");
    }
    const healthyBefore = await healthyFiles(world, [n1]);
    const filed = "node verify demo_storage1 --all --force";
    await world.cli(filed.split(" "));
    return {
      filed,
      nodes: [n1],
      // A check reads and never writes: the node's tree too must come out unchanged.
      watched: [sentinelOf(world), watch("checked demo_storage1", n1.root)],
      healthyBefore,
      tasks: files.length,
      maxDelayMs: 1500,
      killEnv: {},
      killConf: "",
      async finished() {
        return (await count(world, "SELECT COUNT(*) AS n FROM archivefilecopy WHERE has_file = 'M'")) === 0;
      },
      async expect() {
        const problems: string[] = [];
        for (const f of files) {
          const got = (await stateOn(world, n1, f)).has;
          if (got !== want.get(relOf(f))) problems.push(`${relOf(f)}: has_file ${got}, expected ${want.get(relOf(f))}`);
        }
        return problems;
      },
    };
  },
};

/**
 * `node clean --now` of a node whose files are also on a second local archive node; some also
 * have a copy on an archive node elsewhere: those may be deleted (two other archive copies), the
 * others must be refused by the archive-copy rule and stay.
 */
const deleteKind: Kind = {
  name: "delete",
  remote: false,
  async prepare(world, rng) {
    const n1 = await world.node("demo_storage1", { archive: rng.chance(0.5) });
    const n2 = await world.node("demo_storage2", { archive: true });
    const far = await world.elsewhere("far_archive");
    const files = makeFiles(rng, rng.int(10, 40), 0, 16 << 10);
    world.put(n1, files);
    world.put(n2, files);
    await world.register(n1, files);
    await world.register(n2, files);
    const deletable = new Set(rng.subset(files, 0.6).map(relOf));
    await world.register(far, files.filter((f) => deletable.has(relOf(f))));
    const healthyBefore = await healthyFiles(world, [n1, n2]);
    const filed = "node clean demo_storage1 --now --force --archive-ok";
    await world.cli(filed.split(" "));
    const gone = async (f: TrialFile) => (await stateOn(world, n1, f)).has === "N";
    return {
      filed,
      nodes: [n1, n2],
      watched: [sentinelOf(world), watch("demo_storage2", n2.root)],
      healthyBefore,
      tasks: Math.ceil(deletable.size / 10),
      maxDelayMs: 1000,
      killEnv: {},
      killConf: "",
      async finished() {
        for (const f of files) if (deletable.has(relOf(f)) && !(await gone(f))) return false;
        return true;
      },
      async expect() {
        const problems: string[] = [];
        for (const f of files) {
          const s = await stateOn(world, n1, f);
          const onDisk = existsSync(join(n1.root, relOf(f)));
          if (deletable.has(relOf(f))) {
            if (s.has !== "N" || onDisk) problems.push(`${relOf(f)}: has_file ${s.has}, on disk ${onDisk}; expected deleted`);
          } else if (s.has !== "Y" || s.wants !== "N" || !onDisk || md5(readFileSync(join(n1.root, relOf(f)))) !== f.md5) {
            problems.push(`${relOf(f)}: has_file ${s.has} wants ${s.wants}, on disk ${onDisk}; expected kept (too few archive copies)`);
          }
        }
        return problems;
      },
    };
  },
};

export const KINDS: readonly Kind[] = [importKind, localPullKind, remotePullKind, checkKind, deleteKind];
