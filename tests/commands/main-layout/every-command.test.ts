// Every CLI command run once on an index in upstream main's table layout, on a small site
// (two hosts, three nodes with files, a Transport group): each must succeed, touch its rows,
// and never trip over 632dd41's columns (`no such column`). The commands whose output
// differs between layouts have their own tests beside this one.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites, mainLayoutIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor, type CliResult } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

async function site(idx: TestIndex) {
  const h1 = await seed.host(idx.db, { name: "h1", username: "u", address: "a" });
  await seed.host(idx.db, { name: "h2" });
  const g1 = await seed.group(idx.db, { name: "G1" });
  const g2 = await seed.group(idx.db, { name: "G2" });
  const root = idx.dir.join("n1");
  mkdirSync(join(root, "acq1"), { recursive: true });
  writeFileSync(join(root, "acq1", "new.dat"), "new");
  const n1 = await seed.mainNode(idx.db, { name: "n1", group_id: g1.id, host_id: h1.id, archive: 1, active: 1, root });
  const n2 = await seed.mainNode(idx.db, { name: "n2", group_id: g2.id, host_id: h1.id, active: 1, root: idx.dir.join("n2") });
  await seed.mainNode(idx.db, { name: "n3", group_id: g2.id });
  const acq = await seed.acq(idx.db, { name: "acq1" });
  const f = await seed.file(idx.db, { name: "f.dat", acq_id: acq.id, size_b: 3, md5sum: "0".repeat(32) });
  await seed.copy(idx.db, { file_id: f.id, node_id: Number(n1.id), has_file: "Y", wants_file: "Y" });
  await seed.copy(idx.db, { file_id: f.id, node_id: Number(n2.id), has_file: "Y", wants_file: "Y" });
}

const RUNS: ReadonlyArray<readonly string[]> = [
  ["group", "create", "G3"],
  ["file", "sync", "acq1/f.dat", "--from=n1", "--to=G3"],
  ["acq", "create", "acq2"],
  ["acq", "list"],
  ["acq", "files", "acq1"],
  ["acq", "show", "acq1"],
  ["file", "create", "g.dat", "acq1", "--size=1", "--md5=" + "1".repeat(32)],
  ["file", "find", "--node=n1"],
  ["file", "import", "acq1/new.dat", "n1"],
  ["file", "list", "--node=n1", "--details"],
  ["file", "modify", "acq1/f.dat", "--size=3"],
  ["file", "show", "acq1/f.dat", "--all"],
  ["file", "state", "acq1/f.dat", "n1"],
  ["file", "sync", "acq1/f.dat", "--from=n1", "--to=G2"],
  ["file", "verify", "acq1/f.dat", "n1"],
  ["file", "clean", "acq1/f.dat", "--node=n2"],
  ["group", "list"],
  ["group", "modify", "G3", "--notes=x"],
  ["group", "rename", "G3", "G4"],
  ["group", "show", "G1", "--all"],
  ["group", "autosync", "G2", "n1"],
  ["group", "sync", "G2", "n1", "--force"],
  ["node", "autoclean", "n2", "G1"],
  ["node", "clean", "n2", "--force"],
  ["node", "deactivate", "n2"],
  ["node", "activate", "n2", "--host=h2"],
  ["node", "init", "n3"],
  ["node", "rename", "n3", "n4"],
  ["node", "scan", "n1"],
  ["node", "show", "n1", "--all"],
  ["node", "stats", "--extra-stats"],
  ["node", "list"],
  ["node", "sync", "n1", "G2", "--force"],
  ["node", "verify", "n1", "--force"],
  ["node", "create", "n5", "--create-group", "--host=h2", "--archive"],
  ["node", "modify", "n5", "--no-archive", "--host="],
  ["host", "list"],
  ["host", "show", "h1", "--node-details", "--node-stats"],
  // Ours, built after the layouts: each reads nodes through the layout's node columns.
  ["status"],
  ["status", "--json"],
  ["node", "risk"],
  ["node", "risk", "n1", "--list", "only_here"],
  ["file", "explain", "acq1/f.dat"],
  ["node", "drain", "n2", "--check"],
  ["db", "node-totals", "--enable"],
  ["node", "stats"],
  ["db", "node-totals", "--check"],
  ["file", "list", "--node=n1"],
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`every command on upstream main's layout [${backend}]`, () => {
    test("each command succeeds", async () => {
      await using idx = await mainLayoutIndex(backend);
      await site(idx);
      const cli = cliFor(idx);
      const failed: Array<[string, CliResult]> = [];
      for (const argv of RUNS) {
        const r = await cli(argv);
        if (r.code !== 0 || /no such column|Unknown column/i.test(r.out + r.err)) failed.push([argv.join(" "), r]);
      }
      expect(failed).toEqual([]);
      // A few of their effects, read back from main's columns.
      expect(await idx.db.all("SELECT name, host_id, archive, active FROM storagenode ORDER BY id")).toEqual([
        { name: "n1", host_id: 1, archive: 1, active: 1 },
        { name: "n2", host_id: 2, archive: 0, active: 1 },
        { name: "n4", host_id: null, archive: 0, active: 0 },
        { name: "n5", host_id: null, archive: 0, active: 0 },
      ]);
      const count = async (sql: string) => Number((await idx.db.get<{ n: number }>(sql))!.n);
      // file sync asked for a copy into G3 (before file verify made n1's copy suspect); import and scan requests were made for n1.
      expect(await count("SELECT COUNT(*) AS n FROM archivefilecopyrequest")).toBeGreaterThan(0);
      expect(await count("SELECT COUNT(*) AS n FROM archivefileimportrequest WHERE node_id = 1")).toBeGreaterThanOrEqual(2);
      expect(await count("SELECT COUNT(*) AS n FROM storagetransferaction")).toBe(2);
    });
  });
}
