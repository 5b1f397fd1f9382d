// One contract for the Data Index driver, run against every backend (sqlite.test.ts,
// mysql.test.ts): what queries may rely on, whichever database is underneath.

import { describe, expect, test } from "bun:test";
import { IndexError } from "../../src/common/errors.ts";
import { getGroupByName, getNodeByName } from "../../src/index/queries/lookup.ts";
import { listTables, schemaVersion } from "../../src/index/version.ts";
import { connectIndex } from "../../src/index/connect.ts";
import { emptyIndex, initialisedIndex, type Backend, type DescribeOn } from "../helpers/index.ts";
import { seed } from "../helpers/seed.ts";

export function indexContract(backend: Backend, describeOn: DescribeOn = describe): void {
  describeOn(`index contract [${backend}]`, () => {
    test("an empty database has no tables and schema version 0", async () => {
      await using idx = await emptyIndex(backend);
      expect(await listTables(idx.db)).toEqual([]);
      expect(await schemaVersion(idx.db)).toBe(0);
    });

    test("a transaction commits on success and rolls back on error", async () => {
      await using idx = await initialisedIndex(backend);
      await idx.db.transaction(async (tx) => {
        await tx.run("INSERT INTO storagegroup (name) VALUES ('kept')");
      });
      await expect(
        idx.db.transaction(async (tx) => {
          await tx.run("INSERT INTO storagegroup (name) VALUES ('lost')");
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await idx.db.all("SELECT name FROM storagegroup ORDER BY id")).toEqual([{ name: "kept" }]);
    });

    // SQLite: the driver's one connection holds statements back while a transaction is open
    // (otherwise they would run inside it). MySQL: the transaction has a session of its own,
    // whose row locks a conflicting statement on another session waits for.
    test("statements outside a transaction wait for one that is open", async () => {
      await using idx = await initialisedIndex(backend);
      const events: string[] = [];
      let opened!: () => void;
      const open = new Promise<void>((r) => (opened = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const tx = idx.db.transaction(async (t) => {
        await t.run("INSERT INTO storagegroup (name) VALUES ('a')");
        opened();
        await gate;
        events.push("transaction rolled back");
        throw new Error("roll back");
      });
      try {
        await Promise.race([open, tx]);
        // Clashes with the transaction's uncommitted 'a': it may only run once that has ended.
        const outside = idx.db.run("INSERT INTO storagegroup (name) VALUES ('a')").then(
          (r) => (events.push("outside statement done"), r.changes),
          (e: Error) => (events.push(`outside statement failed: ${e.message}`), null),
        );
        await Bun.sleep(200);
        expect(events).toEqual([]);
        release();
        await expect(tx).rejects.toThrow("roll back");
        expect(await outside).toBe(1);
      } finally {
        release(); // an early failure must not leave the transaction (and close()) waiting
        await tx.catch(() => undefined);
      }
      expect(events).toEqual(["transaction rolled back", "outside statement done"]);
      expect(await idx.db.all("SELECT name FROM storagegroup")).toEqual([{ name: "a" }]);
    });

    // Started in the same tick: on SQLite's one connection a statement must not slip into a
    // transaction that another flow opens, nor two transactions open at once.
    test("transactions and statements started together never share a transaction", async () => {
      await using idx = await initialisedIndex(backend);
      const failing = idx.db
        .transaction(async (t) => {
          await t.run("INSERT INTO storagegroup (name) VALUES ('a')");
          await Bun.sleep(20);
          throw new Error("roll back");
        })
        .then(
          () => "committed",
          (e: Error) => e.message,
        );
      const other = idx.db.transaction((t) => t.run("INSERT INTO storagegroup (name) VALUES ('b')")).then(
        () => "committed",
        (e: Error) => e.message,
      );
      const plain = idx.db.run("INSERT INTO storagegroup (name) VALUES ('c')").then(
        () => "done",
        (e: Error) => e.message,
      );
      expect(await Promise.all([failing, other, plain])).toEqual(["roll back", "committed", "done"]);
      expect(await idx.db.all("SELECT name FROM storagegroup ORDER BY name")).toEqual([{ name: "b" }, { name: "c" }]);
    });

    test("values() returns rows as arrays in SELECT-list order, inside and outside a transaction", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      const a = await seed.acq(idx.db, { name: "x/y" });
      const f = await seed.file(idx.db, { name: "f", acq_id: a.id, size_b: 2 ** 40 + 1, registered: "2001-01-01 01:01:01" });
      await seed.file(idx.db, { name: "e", acq_id: a.id, size_b: null });
      const sql = "SELECT f.id, a.name || '/' || f.name, f.size_b, f.registered, ? FROM archivefile f JOIN archiveacq a ON f.acq_id = a.id WHERE f.id >= ? ORDER BY f.name DESC";
      const rows = await idx.db.values(sql, ["k", f.id]);
      expect(rows.map((r) => [Number(r[0]), r[1], r[2] === null ? null : Number(r[2]), r[4]])).toEqual([
        [f.id, "x/y/f", 2 ** 40 + 1, "k"],
        [f.id + 1, "x/y/e", null, "k"],
      ]);
      expect(String(rows[0]![3])).toBe("2001-01-01 01:01:01");
      expect(await idx.db.values("SELECT id FROM storagegroup WHERE id < 0")).toEqual([]);
      expect(await idx.db.transaction((tx) => tx.values("SELECT name FROM storagegroup WHERE id = ?", [g.id]))).toEqual([["g"]]);
    });

    test("iterate() yields every row in order, in chunks of the size asked for", async () => {
      await using idx = await initialisedIndex(backend);
      const a = await seed.acq(idx.db, { name: "a" });
      await idx.db.transaction(async (tx) => {
        for (let i = 0; i < 25; i++) await seed.file(tx, { name: `f${String(i).padStart(2, "0")}`, acq_id: a.id });
      });
      const chunks: string[][] = [];
      for await (const rows of idx.db.iterate<{ file_name: string }>("SELECT name AS file_name FROM archivefile WHERE acq_id = ? ORDER BY name", [a.id], 10))
        chunks.push(rows.map((r) => r.file_name));
      expect(chunks.map((c) => c.length)).toEqual([10, 10, 5]);
      expect(chunks.flat()).toEqual(Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, "0")}`));
      const none: unknown[] = [];
      for await (const rows of idx.db.iterate("SELECT id FROM archivefile WHERE id < 0")) none.push(rows);
      expect(none).toEqual([]);
      const inTx = await idx.db.transaction(async (tx) => {
        const got: number[] = [];
        for await (const rows of tx.iterate<{ n: number }>("SELECT COUNT(*) AS n FROM archivefile")) got.push(...rows.map((r) => Number(r.n)));
        return got;
      });
      expect(inTx).toEqual([25]);
    });

    // An abandoned cursor must not hold the connection: SQLite's one connection would block
    // every later statement; a MySQL session left mid-result would fail the next query on it.
    test("leaving iterate() early frees the connection for the next statements and transactions", async () => {
      await using idx = await initialisedIndex(backend);
      const a = await seed.acq(idx.db, { name: "a" });
      await idx.db.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) await seed.file(tx, { name: `f${i}`, acq_id: a.id });
      });
      for (let round = 0; round < 6; round++) {
        let seen = 0;
        for await (const rows of idx.db.iterate("SELECT id FROM archivefile ORDER BY id", [], 5)) {
          seen += rows.length;
          if (seen >= 10) break;
        }
        expect(seen).toBe(10);
      }
      await expect(
        (async () => {
          for await (const _ of idx.db.iterate("SELECT id FROM archivefile", [], 5)) throw new Error("consumer failed");
        })(),
      ).rejects.toThrow("consumer failed");
      await idx.db.transaction((tx) => tx.run("INSERT INTO storagegroup (name) VALUES ('after')"));
      expect(await idx.db.get("SELECT COUNT(*) AS n FROM archivefile")).toEqual({ n: 50 });
      expect(await idx.db.all("SELECT name FROM storagegroup WHERE name = 'after'")).toEqual([{ name: "after" }]);
    });

    test("iterate() reports a bad statement as an IndexError", async () => {
      await using idx = await initialisedIndex(backend);
      const run = async () => {
        for await (const _ of idx.db.iterate("SELECT nope FROM archivefile")) void _;
      };
      await expect(run()).rejects.toBeInstanceOf(IndexError);
      expect(await idx.db.all("SELECT id FROM archivefile")).toEqual([]);
    });

    test("UPDATE reports matched rows, also when nothing changes", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "g", notes: "x" });
      expect((await idx.db.run("UPDATE storagegroup SET notes = 'x' WHERE name = 'g'")).changes).toBe(1);
    });

    test("a unique violation is classified as a conflict", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "g" });
      const err = await idx.db.run("INSERT INTO storagegroup (name) VALUES ('g')").catch((e) => e);
      expect(err).toBeInstanceOf(IndexError);
      expect((err as IndexError).kind).toBe("conflict");
    });

    test("insert-ignore skips a duplicate silently", async () => {
      await using idx = await initialisedIndex(backend);
      await seed.group(idx.db, { name: "g" });
      const r = await idx.db.run(`${idx.db.dialect.insertIgnore("storagegroup")} (name) VALUES ('g')`);
      expect(r.changes).toBe(0);
    });

    test("upsert inserts a new row, then updates it in place on a unique conflict", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      const n = await seed.node(idx.db, { name: "n", group_id: g.id });
      const a = await seed.acq(idx.db, { name: "a" });
      const f = await seed.file(idx.db, { name: "f", acq_id: a.id });
      const cols = ["file_id", "node_id", "has_file", "wants_file", "ready", "size_b", "last_update"];
      const sql = idx.db.dialect.upsert("archivefilecopy", cols, ["file_id", "node_id"], ["has_file", "size_b"]);
      await idx.db.run(sql, [f.id, n.id, "M", "Y", 0, 10, "2025-01-01 00:00:00"]);
      await idx.db.run(sql, [f.id, n.id, "Y", "N", 1, 20, "2026-01-01 00:00:00"]);
      expect(await idx.db.all("SELECT has_file, wants_file, ready, size_b, last_update FROM archivefilecopy")).toEqual([
        { has_file: "Y", wants_file: "Y", ready: 0, size_b: 20, last_update: "2025-01-01 00:00:00" },
      ]);
    });

    test("updateByKey gives each keyed row its own values and the fixed ones, and touches no other row", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      const n = await seed.node(idx.db, { name: "n", group_id: g.id });
      const a = await seed.acq(idx.db, { name: "a" });
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) {
        const f = await seed.file(idx.db, { name: `f${i}`, acq_id: a.id });
        const r = await idx.db.run(
          "INSERT INTO archivefilecopyrequest (file_id, group_to_id, node_from_id, completed, cancelled, timestamp) VALUES (?, ?, ?, 0, 0, ?)",
          [f.id, g.id, n.id, "2026-01-01 00:00:00"],
        );
        ids.push(r.lastInsertId);
      }
      // Rows 0, 2 and 4 in a shuffled order; 1 and 3 untouched.
      const rows = [ids[4]!, ids[0]!, ids[2]!];
      const sql = idx.db.dialect.updateByKey("archivefilecopyrequest", "id", ["transfer_started", "transfer_completed"], rows.length, ["completed = 1"]);
      // Whole seconds: a MySQL DATETIME keeps no fraction.
      const started = (id: number) => `2026-02-0${(id % 9) + 1} 01:02:03`;
      const completed = (id: number) => `2026-03-0${(id % 9) + 1} 04:05:06`;
      const r = await idx.db.run(sql, rows.flatMap((id) => [id, started(id), completed(id)]));
      expect(r.changes).toBe(3);
      const got = await idx.db.all<{ id: number; completed: number; transfer_started: string | null; transfer_completed: string | null }>(
        "SELECT id, completed, transfer_started, transfer_completed FROM archivefilecopyrequest ORDER BY id",
      );
      expect(got.map((x) => ({ ...x, id: Number(x.id), completed: Number(x.completed) }))).toEqual(
        ids.map((id, i) =>
          i % 2 === 0
            ? { id, completed: 1, transfer_started: started(id), transfer_completed: completed(id) }
            : { id, completed: 0, transfer_started: null, transfer_completed: null },
        ),
      );
    });

    test("name lookups are exact (case- and space-sensitive) on every backend", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "Group1" });
      await seed.node(idx.db, { name: "Node1", group_id: g.id });
      expect((await getGroupByName(idx.db, "Group1"))?.id).toBe(g.id);
      expect(await getGroupByName(idx.db, "group1")).toBeUndefined();
      expect(await getGroupByName(idx.db, "Group1 ")).toBeUndefined();
      expect(await getNodeByName(idx.db, "NODE1")).toBeUndefined();
    });

    test("values read back as stored: times as naive-UTC text, booleans 0/1, floats, big sizes", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      const n = await seed.node(idx.db, { name: "n", group_id: g.id, active: 1, avail_gb: 10.1, avail_gb_last_checked: "2025-02-21 23:07:08" });
      expect(n.active).toBe(1);
      expect(n.avail_gb).toBe(10.1);
      expect(n.avail_gb_last_checked).toBe("2025-02-21 23:07:08");
      const a = await seed.acq(idx.db, { name: "a" });
      const f = await seed.file(idx.db, { name: "f", acq_id: a.id, size_b: 2 ** 40 + 1, registered: "2001-01-01 01:01:01" });
      expect(f.size_b).toBe(2 ** 40 + 1);
      expect(f.registered).toBe("2001-01-01 01:01:01");
    });

    // A dropped MySQL session (server restart, idle timeout) is replaced and the statement
    // retried once, outside a transaction.
    test.if(backend === "mysql")("a statement whose connection is lost is retried once on a new one", async () => {
      await using idx = await initialisedIndex(backend);
      const killer = await connectIndex({ url: idx.url });
      try {
        const pending = idx.db.get<{ s: number; id: number }>("SELECT SLEEP(1) AS s, CONNECTION_ID() AS id");
        let victim: { id: number } | undefined;
        for (let i = 0; i < 50 && !victim; i++) {
          await Bun.sleep(20);
          victim = await killer.get<{ id: number }>("SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(1)%'");
        }
        expect(victim).toBeDefined();
        await killer.run(`KILL ${Number(victim!.id)}`);
        const row = await pending;
        expect(row!.id).not.toBe(Number(victim!.id));
      } finally {
        await killer.close();
      }
    });

    // SQLite has no enum type (alpenhorn's DDL declares string(1)); on MySQL our strict
    // session makes the server refuse a code outside the set instead of storing ''.
    test.if(backend === "mysql")("enum columns refuse codes outside their set", async () => {
      await using idx = await initialisedIndex(backend);
      const g = await seed.group(idx.db, { name: "g" });
      await expect(seed.node(idx.db, { name: "n", group_id: g.id, storage_type: "Q" as "A" })).rejects.toThrow();
      expect(await idx.db.all("SELECT id FROM storagenode")).toEqual([]);
    });
  });
}
