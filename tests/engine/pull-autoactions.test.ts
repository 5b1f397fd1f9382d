// Auto-actions through real pulls (alpenhorn/db/archive.py: ArchiveFileCopy.trigger_autoactions
// at 632dd41; the demo's "The first auto-sync" and "The auto-clean action"): a file imported on
// a node whose group edge autosyncs is requested into the other group, pulled by the daemon,
// and the pulled copy's arrival releases the source copy when that edge also autocleans.

import { expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";
import { copyOn } from "./_pull.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`auto-actions through pulls [${backend}]`, () => {
    test("import → autosync request → pull → autoclean of the source copy", async () => {
      await using idx = await demoIndex(backend);
      const one = await demoNode(idx, { name: "demo_storage1" });
      const two = await demoNode(idx, { name: "demo_storage2" });
      for (const n of [one, two]) writeFileSync(join(n.root, "ALPENHORN_NODE"), `${n.node.name}\n`);
      // Same archive kind on one filesystem: the pull is a hard link.
      await idx.db.run("UPDATE storagenode SET storage_type = 'F'");
      await seed.transferAction(idx.db, { node_from_id: one.node.id, group_to_id: two.group.id, autosync: 1, autoclean: 1 });

      mkdirSync(join(one.root, "2025/02/21/23"), { recursive: true });
      writeFileSync(join(one.root, "2025/02/21/23/1324.dat"), "0 1 2 3 4 5\n");
      await seed.importRequest(idx.db, { node_id: one.node.id, path: "2025/02/21", recurse: 1, register: 1 });

      // First run: the import registers the file and files the autosync request.
      let r = await runServe(idx, { daemon: "  num_workers: 2\n" });
      expect(r.code).toBe(0);
      expect(r.messages).toContain('INFO Imported file copy "2025/02/21/23/1324.dat" on node "demo_storage1".');
      const file = await idx.db.get<{ id: number }>("SELECT id FROM archivefile WHERE name = '23/1324.dat'");
      const reqs = await idx.db.all<{ id: number; node_from_id: number; group_to_id: number; completed: number }>(
        "SELECT id, node_from_id, group_to_id, completed FROM archivefilecopyrequest WHERE file_id = ?",
        [file!.id],
      );
      expect(reqs.map((q) => [Number(q.node_from_id), Number(q.group_to_id)])).toEqual([[one.node.id, two.group.id]]);

      // Second run: the pull lands on demo_storage2, the request completes, and its arrival
      // releases the copy on demo_storage1 (autoclean), which stays on disk until deletion.
      // (With two workers the import may finish before the first run's group update, which
      // then pulls already: the pull happens in one of the two runs.)
      const first = r.messages;
      r = await runServe(idx, { daemon: "  num_workers: 2\n" });
      expect(r.code).toBe(0);
      const pulls = [...first, ...r.messages].filter((m) => m === `INFO Beginning task AFCR#${reqs[0]!.id}: demo_storage1 -> demo_storage2`);
      expect(pulls).toHaveLength(1);
      expect(existsSync(join(two.root, "2025/02/21/23/1324.dat"))).toBe(true);
      expect(await copyOn(idx, file!.id, two.node.id)).toMatchObject({ has_file: "Y", wants_file: "Y" });
      const done = await idx.db.get<{ completed: number }>("SELECT completed FROM archivefilecopyrequest WHERE id = ?", [reqs[0]!.id]);
      expect(Number(done!.completed)).toBe(1);
      expect(await copyOn(idx, file!.id, one.node.id)).toMatchObject({ has_file: "Y", wants_file: "N" });
      // No second autosync request: the group now holds a healthy copy.
      const count = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopyrequest WHERE file_id = ?", [file!.id]);
      expect(Number(count!.n)).toBe(1);
    }, 60_000);
  });
}
