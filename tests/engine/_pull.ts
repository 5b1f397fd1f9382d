// Fixtures for the pull tests: a source node holding registered files (nodeWithFiles) and an
// initialised, empty destination node in its own group, both on this host and on the same
// filesystem (temp dirs), plus readers of what a pull leaves behind.

import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestIndex } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoNode } from "./_daemon.ts";
import { nodeWithFiles } from "./_integrity.ts";

/** storage_type: A (archive) or F; a hard link needs both alike, a copy happens otherwise. */
export async function twoNodes(idx: TestIndex, files: Record<string, string>, kinds: { source: "A" | "F"; dest: "A" | "F" }) {
  const src = await nodeWithFiles(idx, files, { archive: kinds.source === "A" });
  const dst = await demoNode(idx, { name: "demo_storage2" });
  await idx.db.run("UPDATE storagenode SET storage_type = ? WHERE id = ?", [kinds.dest, dst.node.id]);
  writeFileSync(join(dst.root, "ALPENHORN_NODE"), "demo_storage2\n");
  return { src, dst };
}

/** A pending request to pull `fileId` from the source node into the destination group. */
export async function request(idx: TestIndex, fileId: number, nodeFromId: number, groupToId: number): Promise<number> {
  const r = await seed.copyRequest(idx.db, { file_id: fileId, node_from_id: nodeFromId, group_to_id: groupToId });
  return r.id;
}

export async function requestRow(idx: TestIndex, id: number) {
  return (await idx.db.get<{ completed: number; cancelled: number; transfer_started: string | null; transfer_completed: string | null }>(
    "SELECT completed, cancelled, transfer_started, transfer_completed FROM archivefilecopyrequest WHERE id = ?",
    [id],
  ))!;
}

export async function copyOn(idx: TestIndex, fileId: number, nodeId: number) {
  return idx.db.get<{ has_file: string; wants_file: string; ready: number; size_b: number | null }>(
    "SELECT has_file, wants_file, ready, size_b FROM archivefilecopy WHERE file_id = ? AND node_id = ?",
    [fileId, nodeId],
  );
}

/** Every name under `dir` (recursively) that a pull must not leave behind. */
export function leftovers(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((p) => /(^|\/)\.alpentemp|\.placeholder$/.test(p));
}
