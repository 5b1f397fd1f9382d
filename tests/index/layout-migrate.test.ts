// `alpenhorn db migrate --to main|632dd41 [--check]` on both databases: each lossy and each
// undecidable case listed by node name, nothing written by --check or a refusal, round trips
// of clean indexes restored row for row, the MySQL confirmation and an interrupted MySQL run
// finished by running it again.

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, mainLayoutIndex, type TestIndex } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";
import { readLayout } from "../../src/index/layout/detect.ts";
import { LAYOUT_632DD41, LAYOUT_MAIN } from "../../src/index/layout/types.ts";
import { IN_PLACE_TO_632, IN_PLACE_TO_MAIN, schemaState } from "../../src/index/migrate/run.ts";

const nodeRows = (idx: TestIndex) => idx.db.all("SELECT * FROM storagenode ORDER BY id");
const hostRows = (idx: TestIndex) => idx.db.all("SELECT * FROM storagehost ORDER BY id");
const columns = async (idx: TestIndex, table: string) => (await idx.db.all<{ name: string }>(idx.db.dialect.listColumnsSql, [table])).map((r) => r.name);

/** A 632dd41 index nothing is lost from: hosts agree on log-in details, T only in Transport groups. */
async function clean632(idx: TestIndex) {
  const g = await seed.group(idx.db, { name: "G" });
  const t = await seed.group(idx.db, { name: "T", io_class: "Transport" });
  const a = await seed.node(idx.db, { name: "arch", group_id: g.id, host: "h1", username: "u", address: "a.example", storage_type: "A", active: 1, root: "/a", notes: "n" });
  await seed.node(idx.db, { name: "disk", group_id: t.id, host: "h1", username: "u", address: "a.example", storage_type: "T", max_total_gb: 5 });
  await seed.node(idx.db, { name: "field", group_id: g.id, storage_type: "F" });
  await seed.node(idx.db, { name: "lonely", group_id: g.id, host: "h2", storage_type: "F", io_config: '{"x": 1}' });
  const acq = await seed.acq(idx.db, { name: "acq" });
  const f = await seed.file(idx.db, { name: "f", acq_id: acq.id });
  await seed.copy(idx.db, { file_id: f.id, node_id: a.id, has_file: "Y" });
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`db migrate [${backend}]`, () => {
    const yes = backend === "mysql" ? "y\n" : "";

    test("632dd41 → main → 632dd41 on a clean index restores every row; copies keep their nodes", async () => {
      await using idx = await initialisedIndex(backend);
      await clean632(idx);
      const before = await nodeRows(idx);
      const beforeColumns = await columns(idx, "storagenode");
      const cli = cliFor(idx);
      const r = await cli(["db", "migrate", "--to", "main"], yes);
      expect(r.code).toBe(0);
      expect(r.out).toContain("  nothing would be lost.\n");
      expect(r.out).toEndWith("Data Index migrated to upstream main's table layout (with storagehost).\n");
      expect(await readLayout(idx.db)).toEqual(LAYOUT_MAIN);
      expect(await columns(idx, "storagenode")).toEqual([
        "id", "name", "root", "host_id", "io_class", "group_id", "active", "auto_import", "auto_verify",
        "archive", "max_total_gb", "min_avail_gb", "avail_gb", "avail_gb_last_checked", "notes", "io_config",
      ]);
      expect(await hostRows(idx)).toEqual([
        { id: 1, name: "h1", username: "u", address: "a.example", notes: null },
        { id: 2, name: "h2", username: null, address: null, notes: null },
      ]);
      // The CLI reads the migrated index as main's.
      const list = await cli(["node", "list"]);
      expect(list.out).toMatch(/^arch\s+G\s+Yes\s+h1\s+Yes\s+\/a\s+n$/m);

      const back = await cli(["db", "migrate", "--to", "632dd41"], yes);
      expect(back.code).toBe(0);
      expect(await readLayout(idx.db)).toEqual(LAYOUT_632DD41);
      expect(await columns(idx, "storagenode")).toEqual(beforeColumns);
      expect(await nodeRows(idx)).toEqual(before);
      expect((await idx.db.all("SELECT node_id FROM archivefilecopy"))).toEqual([{ node_id: 1 }]);
    });

    test("main → 632dd41 → main on a clean index restores hosts and nodes", async () => {
      await using idx = await mainLayoutIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const h1 = await seed.host(idx.db, { name: "h1", username: "u", address: "addr" });
      const h2 = await seed.host(idx.db, { name: "h2" });
      await seed.mainNode(idx.db, { name: "n1", group_id: g.id, host_id: h1.id, archive: 1 });
      await seed.mainNode(idx.db, { name: "n2", group_id: g.id, host_id: h2.id });
      await seed.mainNode(idx.db, { name: "n3", group_id: g.id, host_id: h1.id });
      await seed.mainNode(idx.db, { name: "n4", group_id: g.id });
      const nodes = await nodeRows(idx);
      const hosts = await hostRows(idx);
      const cli = cliFor(idx);
      expect((await cli(["db", "migrate", "--to", "632dd41"], yes)).code).toBe(0);
      expect(await idx.db.all("SELECT name, host, username, address, storage_type FROM storagenode ORDER BY id")).toEqual([
        { name: "n1", host: "h1", username: "u", address: "addr", storage_type: "A" },
        { name: "n2", host: "h2", username: null, address: null, storage_type: "F" },
        { name: "n3", host: "h1", username: "u", address: "addr", storage_type: "F" },
        { name: "n4", host: null, username: null, address: null, storage_type: "F" },
      ]);
      expect((await cli(["db", "migrate", "--to", "main"], yes)).code).toBe(0);
      expect(await nodeRows(idx)).toEqual(nodes);
      expect(await hostRows(idx)).toEqual(hosts);
    });

    test("--check lists every case by node name and writes nothing; without --check undecidable cases refuse", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const t = await seed.group(idx.db, { name: "T", io_class: "Transport" });
      await seed.node(idx.db, { name: "c1", group_id: g.id, host: "shared", username: "u1", address: "a" });
      await seed.node(idx.db, { name: "c2", group_id: g.id, host: "shared", username: "u2", address: "a" });
      await seed.node(idx.db, { name: "nohost", group_id: g.id, username: "u", address: "a" });
      await seed.node(idx.db, { name: "empty", group_id: g.id, host: "" });
      await seed.node(idx.db, { name: "blank", group_id: g.id, host: " padded" });
      await seed.node(idx.db, { name: "upper", group_id: g.id, host: "Box" });
      await seed.node(idx.db, { name: "lower", group_id: g.id, host: "box" });
      await seed.node(idx.db, { name: "tnode", group_id: g.id, storage_type: "T" });
      await seed.node(idx.db, { name: "fnode", group_id: t.id, storage_type: "F" });
      const before = await nodeRows(idx);
      const cli = cliFor(idx, "base:\n  hostname: h\n");
      const r = await cli(["db", "migrate", "--to", "main", "--check"]);
      expect(r.code).toBe(1);
      const lines = r.out.split("\n");
      const has = (re: RegExp) => expect(lines.some((l) => re.test(l))).toBe(true);
      has(/^  refused: node "c1" shares host "shared" with different log-in details \(username "u1", address "a"\)/);
      has(/^  refused: node "c2" shares host "shared" with different log-in details \(username "u2", address "a"\)/);
      has(/^  refused: node "nohost" has log-in details \(username "u", address "a"\) but no host/);
      has(/^  lossy: node "empty" has an empty host string/);
      has(/^  lossy: node "blank" host " padded" has leading or trailing blanks/);
      has(new RegExp(`^  ${backend === "mysql" ? "refused" : "lossy"}: node "upper" host "Box" differs from "box" only in case or trailing blanks`));
      has(/^  lossy: node "tnode" is a transport node \(T\) outside a Transport group/);
      has(/^  lossy: node "fnode" is a field node \(F\) in a Transport group/);
      has(/^  warning: the config sets base.hostname but not daemon.host/);
      expect(r.err).toBe("Error: Migration refused: " + (backend === "mysql" ? 5 : 3) + " undecidable cases listed above.  Nothing was written.\n");
      expect(await readLayout(idx.db)).toEqual(LAYOUT_632DD41);
      expect(await nodeRows(idx)).toEqual(before);
      expect((await schemaState(idx.db)).tables.has("storagehost")).toBe(false);

      const run = await cli(["db", "migrate", "--to", "main", "--force"]);
      expect(run.code).toBe(1);
      expect(await nodeRows(idx)).toEqual(before);
      expect((await schemaState(idx.db)).tables.has("storagehost")).toBe(false);
    });

    test("lossy cases alone: the migration asks, and goes through; hosts keep odd strings exactly", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      await seed.node(idx.db, { name: "empty", group_id: g.id, host: "" });
      await seed.node(idx.db, { name: "tnode", group_id: g.id, storage_type: "T", host: "x" });
      const cli = cliFor(idx);
      const no = await cli(["db", "migrate", "--to", "main"], "n\n");
      expect(no.code).toBe(0);
      expect(no.out).toContain("Continue? [y/N]: ");
      expect(no.out).toEndWith("Cancelled.\n");
      expect(await readLayout(idx.db)).toEqual(LAYOUT_632DD41);
      const ok = await cli(["db", "migrate", "--to", "main"], "y\n");
      expect(ok.code).toBe(0);
      expect((await hostRows(idx)).map((h) => (h as { name: string }).name)).toEqual(["", "x"]);
      expect(await idx.db.all("SELECT name, archive FROM storagenode ORDER BY id")).toEqual([
        { name: "empty", archive: 1 },
        { name: "tnode", archive: 0 },
      ]);
    });

    test("--to 632dd41 --check lists hosts without nodes and host notes", async () => {
      await using idx = await mainLayoutIndex(backend);
      const g = await seed.group(idx.db, { name: "G" });
      const h = await seed.host(idx.db, { name: "used", notes: "rack 4" });
      await seed.host(idx.db, { name: "spare" });
      await seed.mainNode(idx.db, { name: "n", group_id: g.id, host_id: h.id });
      const r = await cliFor(idx)(["db", "migrate", "--to", "632dd41", "--check"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain('  lossy: host "used" has notes ("rack 4"); they are dropped\n');
      expect(r.out).toContain('  lossy: host "spare" has no nodes; it is dropped (with its log-in details)\n');
      expect(r.out).toEndWith("Check only: nothing was written.\n");
      expect(await readLayout(idx.db)).toEqual(LAYOUT_MAIN);
    });

    test("already in the target layout: says so and changes nothing; bad --to is a usage error", async () => {
      await using idx = await initialisedIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["db", "migrate", "--to", "632dd41"])).toEqual({ code: 0, out: "Data Index already in alpenhorn 632dd41's table layout.\n", err: "" });
      expect((await cli(["db", "migrate", "--to", "nope"])).code).toBe(2);
      expect((await cli(["db", "migrate"])).code).toBe(2);
    });

    if (backend === "mysql") {
      test("MySQL: the confirmation names the backup; an interrupted migration is refused by other commands and finished by a re-run", async () => {
        await using idx = await initialisedIndex(backend);
        await clean632(idx);
        const cli = cliFor(idx);
        const ask = await cli(["db", "migrate", "--to", "main"], "n\n");
        expect(ask.out).toMatch(/this expects a backup of database "[^"]+" taken just now \(e\.g\. mysqldump /);
        expect(await readLayout(idx.db)).toEqual(LAYOUT_632DD41);

        // Interrupt after the first half of the steps (storagehost filled, host_id and archive added).
        for (const step of IN_PLACE_TO_MAIN.slice(0, 4)) if (step.todo(await schemaState(idx.db))) await step.run(idx.db);
        const refused = await cli(["node", "list"]);
        expect(refused.code).toBe(1);
        expect(refused.err).toMatch(/^Error: Unrecognised Data Index layout/);
        const resumed = await cli(["db", "migrate", "--to", "main", "--force"]);
        expect(resumed.code).toBe(0);
        expect(resumed.out).toStartWith("Resuming an interrupted migration to upstream main's table layout");
        expect(await readLayout(idx.db)).toEqual(LAYOUT_MAIN);
        expect(await idx.db.all("SELECT name, host_id, archive FROM storagenode ORDER BY id")).toEqual([
          { name: "arch", host_id: 1, archive: 1 },
          { name: "disk", host_id: 1, archive: 0 },
          { name: "field", host_id: null, archive: 0 },
          { name: "lonely", host_id: 2, archive: 0 },
        ]);
      });

      test("MySQL: an interrupted migration back to 632dd41 is finished by a re-run; the round trip leaves 632dd41's DDL", async () => {
        const showCreate = async (idx: TestIndex) => {
          const row = await idx.db.get<Record<string, string>>("SHOW CREATE TABLE storagenode");
          return String(row!["Create Table"]).replace(/ AUTO_INCREMENT=\d+/, "");
        };
        await using fresh = await initialisedIndex(backend);
        await using idx = await initialisedIndex(backend);
        await clean632(idx);
        const before = await nodeRows(idx);
        const cli = cliFor(idx);
        expect((await cli(["db", "migrate", "--to", "main", "--force"])).code).toBe(0);
        for (const step of IN_PLACE_TO_632.slice(0, 3)) if (step.todo(await schemaState(idx.db))) await step.run(idx.db);
        const resumed = await cli(["db", "migrate", "--to", "632dd41", "--force"]);
        expect(resumed.code).toBe(0);
        expect(resumed.out).toStartWith("Resuming an interrupted migration to alpenhorn 632dd41's table layout");
        expect(await nodeRows(idx)).toEqual(before);
        expect(await showCreate(idx)).toBe(await showCreate(fresh));
        expect((await schemaState(idx.db)).tables.has("storagehost")).toBe(false);
      });
    } else {
      test("SQLite: the migrated storagenode has exactly the DDL and indexes `db init` makes for that layout", async () => {
        const ddl = (idx: TestIndex) =>
          idx.db.all("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('storagenode', 'storagehost') ORDER BY type, name");
        await using fresh632 = await initialisedIndex(backend);
        await using freshMain = await mainLayoutIndex(backend);
        await using idx = await initialisedIndex(backend);
        await clean632(idx);
        await cliFor(idx)(["db", "migrate", "--to", "main"]);
        expect(await ddl(idx)).toEqual(await ddl(freshMain));
        await cliFor(idx)(["db", "migrate", "--to", "632dd41"]);
        expect(await ddl(idx)).toEqual(await ddl(fresh632));
      });

      test("SQLite: a storage_type outside A/T/F is undecidable", async () => {
        await using idx = await initialisedIndex(backend);
        const g = await seed.group(idx.db, { name: "G" });
        await seed.node(idx.db, { name: "odd", group_id: g.id, storage_type: "Q" as "A" });
        const r = await cliFor(idx)(["db", "migrate", "--to", "main", "--check"]);
        expect(r.code).toBe(1);
        expect(r.out).toContain('  refused: node "odd" storage_type "Q" is not A, T or F\n');
      });
    }
  });
}
