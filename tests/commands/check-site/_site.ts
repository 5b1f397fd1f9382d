// A seeded site for the check-site tests: a node on this host ("testhost" in the config) whose
// root is a real temp tree with ALPENHORN_NODE, files on disk and copies in the index.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TestIndex } from "../../helpers/index.ts";
import { cliFor, type CliRunner } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { HasFile } from "../../../src/index/rows.ts";

export const HOST_YAML = "daemon:\n  host: testhost\n";

export interface Site {
  readonly root: string;
  readonly nodeId: number;
  readonly groupId: number;
  readonly cli: CliRunner;
  /** Register `acq/name` on the node (file row + copy) with the given size and state. */
  register(path: string, size: number, has?: HasFile): Promise<{ fileId: number; copyId: number }>;
  /** Write a file of `size` bytes under the root (parents created). */
  write(path: string, size: number): void;
  /** Register and write. */
  both(path: string, size: number): Promise<{ fileId: number; copyId: number }>;
}

const acqs = new Map<string, number>();

export async function seedSite(idx: TestIndex, opts: { name?: string; active?: boolean; host?: string } = {}): Promise<Site> {
  const name = opts.name ?? "n1";
  const root = idx.dir.join(`root-${name}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "ALPENHORN_NODE"), name + "\n");
  const g = await seed.group(idx.db, { name: `g-${name}` });
  const node = await seed.node(idx.db, { name, group_id: g.id, root, host: opts.host ?? "testhost", active: opts.active === false ? 0 : 1 });
  const cli = cliFor(idx, HOST_YAML);
  const acqId = async (acq: string) => {
    const key = `${idx.url}\0${acq}`;
    let id = acqs.get(key);
    if (id === undefined) {
      const existing = await idx.db.get<{ id: number }>("SELECT id FROM archiveacq WHERE name = ?", [acq]);
      id = existing ? Number(existing.id) : (await seed.acq(idx.db, { name: acq })).id;
      acqs.set(key, id);
    }
    return id;
  };
  const site: Site = {
    root,
    nodeId: node.id,
    groupId: g.id,
    cli,
    async register(path, size, has = "Y") {
      const cut = path.lastIndexOf("/");
      const f = await seed.file(idx.db, { name: path.slice(cut + 1), acq_id: await acqId(path.slice(0, cut)), size_b: size, md5sum: null });
      const c = await seed.copy(idx.db, { file_id: f.id, node_id: node.id, has_file: has, wants_file: "Y", size_b: size });
      return { fileId: f.id, copyId: c.id };
    },
    write(path, size) {
      const p = join(root, path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, "x".repeat(size));
    },
    async both(path, size) {
      site.write(path, size);
      return site.register(path, size);
    },
  };
  return site;
}

/** Run check-site with the report directory under the index's scratch dir; returns the report's files. */
export function reportDirOf(out: string): string {
  const m = /^Report: (.*)$/m.exec(out);
  if (!m) throw new Error(`no report line in:\n${out}`);
  return m[1]!;
}
