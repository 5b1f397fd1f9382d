// Fixtures for the integrity tests: an initialised demo node with real files registered in the
// index, and archive nodes elsewhere holding healthy copies (rows only: another host's daemon
// manages them).

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoNode } from "./_daemon.ts";

export const md5 = (data: string | Buffer) => new Bun.CryptoHasher("md5").update(data).digest("hex");

export interface Registered {
  readonly fileId: number;
  readonly copyId: number;
  readonly rel: string;
}

/** A node with `files` (path under the acquisition → contents) on disk and registered as healthy copies. */
export async function nodeWithFiles(idx: TestIndex, files: Record<string, string>, f: { name?: string; archive?: boolean } = {}) {
  const { node, group, root } = await demoNode(idx, { name: f.name });
  await idx.db.run("UPDATE storagenode SET storage_type = ? WHERE id = ?", [f.archive ? "A" : "F", node.id]);
  writeFileSync(join(root, "ALPENHORN_NODE"), `${node.name}\n`);
  const acq = await seed.acq(idx.db, { name: "2025/02/21" });
  const reg: Record<string, Registered> = {};
  for (const [name, text] of Object.entries(files)) {
    const rel = `${acq.name}/${name}`;
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
    const file = await seed.file(idx.db, { name, acq_id: acq.id, size_b: Buffer.byteLength(text), md5sum: md5(text) });
    const copy = await seed.copy(idx.db, { file_id: file.id, node_id: node.id, has_file: "Y", wants_file: "Y", size_b: 4096 });
    reg[name] = { fileId: file.id, copyId: copy.id, rel };
  }
  return { node, group, root, acq, reg };
}

/** Archive nodes on another host, each holding a healthy copy of every file in `fileIds`. */
export async function archiveCopies(idx: TestIndex, names: readonly string[], fileIds: readonly number[], state: "Y" | "M" | "X" = "Y") {
  const group = await seed.group(idx.db, { name: `archive_${names.join("_")}` });
  const nodes = [];
  for (const name of names) {
    const node = await seed.node(idx.db, { name, group_id: group.id, root: `/elsewhere/${name}`, host: "otherhost", storage_type: "A", active: 1 });
    for (const fileId of fileIds) await seed.copy(idx.db, { file_id: fileId, node_id: node.id, has_file: state, wants_file: "Y" });
    nodes.push(node);
  }
  return nodes;
}

export async function copyState(idx: TestIndex, copyId: number) {
  const row = await idx.db.get<{ has_file: string; wants_file: string; ready: number; size_b: number | null; last_update: string }>(
    "SELECT has_file, wants_file, ready, size_b, last_update FROM archivefilecopy WHERE id = ?",
    [copyId],
  );
  return row!;
}
