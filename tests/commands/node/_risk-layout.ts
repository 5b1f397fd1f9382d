// A seeded index whose risks are known, shared by the node risk, node drain and file explain
// tests. Archive nodes arch1, arch2, arch3 (groups of the same names), a transport node
// `transit` (group transit), and an inactive archive node `old` (group old). Files in acq `acq`:
//
//   only_t      100 B  Y on transit only
//   two_arch    200 B  Y on arch1, arch2 and transit
//   one_arch    300 B  Y on arch1 only
//   arch_and_t  400 B  Y on arch1 and transit
//   suspect     500 B  M on arch2, X on transit (no healthy copy anywhere)
//   nocopy      600 B  no copy at all
//   inactive    700 B  Y on old (inactive) and arch2
//   released    800 B  Y on arch1 (released, wants N) and arch2
//   gone        900 B  N on arch3 (a removed copy)

import type { Db } from "../../../src/index/driver/types.ts";
import type { ArchiveFileRow, HasFile, StorageGroupRow, StorageNodeRow, WantsFile } from "../../../src/index/rows.ts";
import { seed } from "../../helpers/seed.ts";

export interface RiskLayout {
  groups: Record<"arch1" | "arch2" | "arch3" | "transit" | "old", StorageGroupRow>;
  nodes: Record<"arch1" | "arch2" | "arch3" | "transit" | "old", StorageNodeRow>;
  files: Record<string, ArchiveFileRow>;
}

export async function riskLayout(db: Db): Promise<RiskLayout> {
  const groups = {} as RiskLayout["groups"];
  const nodes = {} as RiskLayout["nodes"];
  for (const [name, type, active] of [
    ["arch1", "A", 1],
    ["arch2", "A", 1],
    ["arch3", "A", 1],
    ["transit", "T", 1],
    ["old", "A", 0],
  ] as const) {
    groups[name] = await seed.group(db, { name });
    nodes[name] = await seed.node(db, { name, group_id: groups[name].id, storage_type: type, active, host: "h", root: `/data/${name}` });
  }
  const acq = await seed.acq(db, { name: "acq" });
  const files: Record<string, ArchiveFileRow> = {};
  const file = async (name: string, size: number, copies: Array<[keyof RiskLayout["nodes"], HasFile, WantsFile?]>) => {
    files[name] = await seed.file(db, { name, acq_id: acq.id, size_b: size, md5sum: "0123456789abcdef0123456789abcdef" });
    for (const [node, has, wants] of copies)
      await seed.copy(db, { file_id: files[name].id, node_id: nodes[node].id, has_file: has, wants_file: wants ?? "Y", ready: 1, size_b: size });
  };
  await file("only_t", 100, [["transit", "Y"]]);
  await file("two_arch", 200, [["arch1", "Y"], ["arch2", "Y"], ["transit", "Y"]]);
  await file("one_arch", 300, [["arch1", "Y"]]);
  await file("arch_and_t", 400, [["arch1", "Y"], ["transit", "Y"]]);
  await file("suspect", 500, [["arch2", "M"], ["transit", "X"]]);
  await file("nocopy", 600, []);
  await file("inactive", 700, [["old", "Y"], ["arch2", "Y"]]);
  await file("released", 800, [["arch1", "Y", "N"], ["arch2", "Y"]]);
  await file("gone", 900, [["arch3", "N", "N"]]);
  return { groups, nodes, files };
}
