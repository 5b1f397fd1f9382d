// Two daemons deleting two copies of one file at the same moment must never leave fewer healthy
// archive copies than the rule requires: the claim re-counts on locked rows in the transaction
// that records it. On MariaDB two connections are interleaved at the worst moment (both have
// counted before either writes): that test fails when the row locks are dropped. On both
// databases two compiled daemons on two hosts then race over many files, end to end (their
// timing rarely hits the window, so it checks the whole path rather than the lock itself).

import { expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectIndex } from "../../src/index/connect.ts";
import { claimForDelete, type Claim } from "../../src/index/queries/integrity.ts";
import { binaryPath, runBinary } from "../helpers/binary.ts";
import { backendSuites, describeFor } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex } from "./_daemon.ts";
import { archiveCopies, nodeWithFiles } from "./_integrity.ts";

const describeMysql = await describeFor("mysql");

describeMysql("deletion claims [mysql]", () => {
  test("two claims that have both counted before either writes: exactly one wins", async () => {
    await using idx = await demoIndex("mysql");
    const file = await seed.file(idx.db, { name: "f", acq_id: (await seed.acq(idx.db, { name: "a" })).id, size_b: 1 });
    const [n1, n2] = await archiveCopies(idx, ["arch1", "arch2", "arch3"], [file.id]);
    const copies = await idx.db.all<{ id: number; node_id: number }>("SELECT id, node_id FROM archivefilecopy WHERE file_id = ? ORDER BY id", [file.id]);
    await idx.db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE node_id IN (?, ?)", [n1!.id, n2!.id]);
    const mine = copies.filter((c) => c.node_id === n1!.id || c.node_id === n2!.id).map((c) => Number(c.id));

    const other = await connectIndex({ url: idx.url });
    try {
      // Each claim waits after its count until the other has counted too (or 500 ms have
      // passed: with row locks the second count waits for the first transaction to end).
      let counted = 0;
      const barrier = async () => {
        counted++;
        const end = Date.now() + 500;
        while (counted < 2 && Date.now() < end) await Bun.sleep(10);
      };
      const rules = { archiveCopies: 2, discretionary: false };
      const claims: Claim[] = await Promise.all([
        idx.db.transaction((tx) => claimForDelete(tx, mine[0]!, rules, barrier)),
        other.transaction((tx) => claimForDelete(tx, mine[1]!, rules, barrier)),
      ]);
      expect(claims.filter((c) => c.claimed).length).toBe(1);
      const refused = claims.find((c) => !c.claimed);
      expect(refused).toEqual({ claimed: false, reason: "too-few", archiveCopies: 1 });
      const healthy = await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopy WHERE file_id = ? AND has_file = 'Y'", [file.id]);
      expect(Number(healthy!.n)).toBe(2);
    } finally {
      await other.close();
    }
  });
});

const FILES = 40;

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`two daemons deleting copies of the same files [${backend}]`, () => {
    test("every file keeps two healthy archive copies; each file is deleted from exactly one node", async () => {
      const exe = await binaryPath();
      await using idx = await demoIndex(backend);
      const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`f${String(i).padStart(3, "0")}.dat`, `data ${i}`]));
      // Node 1 on alpenhost1 (the demo host), node 2 on alpenhost2: both archive nodes with the
      // same files on disk; a third archive copy of each is held elsewhere.
      const one = await nodeWithFiles(idx, files, { name: "node1", archive: true });
      const group2 = await seed.group(idx.db, { name: "node2" });
      const root2 = idx.dir.join("node2");
      const node2 = await seed.node(idx.db, { name: "node2", group_id: group2.id, root: root2, host: "alpenhost2", storage_type: "A", active: 1 });
      const { mkdirSync } = await import("node:fs");
      mkdirSync(join(root2, "2025/02/21"), { recursive: true });
      writeFileSync(join(root2, "ALPENHORN_NODE"), "node2\n");
      for (const [name, text] of Object.entries(files)) {
        writeFileSync(join(root2, "2025/02/21", name), text);
        await seed.copy(idx.db, { file_id: one.reg[name]!.fileId, node_id: node2.id, has_file: "Y", wants_file: "N" });
      }
      await archiveCopies(idx, ["arch3"], Object.values(one.reg).map((r) => r.fileId));
      await idx.db.run("UPDATE archivefilecopy SET wants_file = 'N' WHERE node_id = ?", [one.node.id]);

      const conf = (host: string) => {
        const path = idx.dir.join(`${host}.conf`);
        writeFileSync(path, `database:\n  url: ${JSON.stringify(idx.url)}\ndaemon:\n  host: ${host}\n  num_workers: 2\n  update_interval: 1\n`);
        return path;
      };
      const runs = await Promise.all(
        ["alpenhost1", "alpenhost2"].map((h) => runBinary(exe, ["--test-isolation", "-c", conf(h), "serve", "--once"], { cwd: idx.dir.path, timeoutMs: 60_000 })),
      );
      for (const r of runs) expect({ code: r.code, tail: r.err.split("\n").filter((l) => /ERROR|Traceback|Error|at /.test(l)).slice(0, 20) }).toMatchObject({ code: 0 });

      const healthy = await idx.db.all<{ file_id: number; n: number }>(
        "SELECT c.file_id, COUNT(*) AS n FROM archivefilecopy c JOIN storagenode s ON s.id = c.node_id WHERE c.has_file = 'Y' AND s.storage_type = 'A' GROUP BY c.file_id",
      );
      expect(healthy.length).toBe(FILES);
      for (const h of healthy) expect(Number(h.n)).toBe(2);
      let onDisk = 0;
      for (const name of Object.keys(files)) {
        const in1 = existsSync(join(one.root, "2025/02/21", name));
        const in2 = existsSync(join(root2, "2025/02/21", name));
        expect(in1 !== in2).toBe(true);
        onDisk++;
      }
      expect(onDisk).toBe(FILES);
      // Both daemons did some of the deleting, and refused the rest.
      const text = runs.map((r) => r.err).join("\n");
      expect(text).toContain("Too few archive copies (1) to delete 2025/02/21/");
    }, 120_000);
  });
}
