// `alpenhorn db check` on both backends: a clean index exits 0 silently; an index seeded with
// one case of each inconsistency reports exactly those, one line each, and exits 1.

import { expect, test } from "bun:test";
import { formatUtcMicros } from "../../../src/common/time.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import { backendSuites, initialisedIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

const DAY_US = 86_400_000_000n;
const HOUR_US = DAY_US / 24n;
const hoursAgo = (h: number) => formatUtcMicros(BigInt(Date.now()) * 1000n - BigInt(h) * HOUR_US);
const daysAgo = (d: number) => hoursAgo(24 * d);

/** Run `fn` with foreign-key checks off (MariaDB enforces them; SQLite does not by default). */
async function withoutForeignKeys(idx: TestIndex, fn: (db: Db) => Promise<void>): Promise<void> {
  if (idx.backend === "sqlite") return fn(idx.db);
  await idx.db.transaction(async (tx) => {
    await tx.run("SET FOREIGN_KEY_CHECKS = 0");
    try {
      await fn(tx);
    } finally {
      await tx.run("SET FOREIGN_KEY_CHECKS = 1");
    }
  });
}

/** A sound index: two nodes on one host with sibling roots, a healthy file on both. */
async function soundLayout(db: Db) {
  const g = await seed.group(db, { name: "G" });
  const a = await seed.node(db, { name: "A", group_id: g.id, active: 1, host: "h1", root: "/data/a" });
  const b = await seed.node(db, { name: "B", group_id: g.id, active: 1, host: "h1", root: "/data/ab" });
  const acq = await seed.acq(db, { name: "acq" });
  const f = await seed.file(db, { name: "f", acq_id: acq.id, size_b: 12, md5sum: "0123456789abcdef0123456789abcdef" });
  await seed.copy(db, { file_id: f.id, node_id: a.id, has_file: "Y", size_b: 4096 });
  await seed.copy(db, { file_id: f.id, node_id: b.id, has_file: "Y", size_b: 12 });
  await seed.copyRequest(db, { file_id: f.id, group_to_id: g.id, node_from_id: a.id, timestamp: hoursAgo(1) });
  await seed.importRequest(db, { node_id: a.id, path: "acq/new", timestamp: hoursAgo(1) });
  return { g, a, b, acq, f };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`db check [${backend}]`, () => {
    test("a sound index: no output, exit 0", async () => {
      await using idx = await initialisedIndex(backend);
      await soundLayout(idx.db);
      const cli = cliFor(idx);
      expect(await cli(["db", "check"])).toEqual({ code: 0, out: "", err: "" });
      expect(await cli(["db", "check", "--json"])).toEqual({ code: 0, out: "[]\n", err: "" });
    });

    test("each inconsistency is one finding; exit 1", async () => {
      await using idx = await initialisedIndex(backend);
      const { g, a, acq, f } = await soundLayout(idx.db);
      const db = idx.db;
      // Nested and equal roots on one host; the same root on another host is fine.
      const nested = await seed.node(db, { name: "Nested", group_id: g.id, active: 1, host: "h1", root: "/data/a/sub/" });
      await seed.node(db, { name: "Twin", group_id: g.id, active: 0, host: "h1", root: "/data/ab" });
      await seed.node(db, { name: "Elsewhere", group_id: g.id, active: 1, host: "h2", root: "/data/a" });
      // A file without MD5, one without size; a healthy copy recording 5 MiB of a 100 MiB file.
      const noMd5 = await seed.file(db, { name: "no-md5", acq_id: acq.id, size_b: 1 });
      await seed.file(db, { name: "no-size", acq_id: acq.id, md5sum: "0123456789abcdef0123456789abcdef" });
      const big = await seed.file(db, { name: "big", acq_id: acq.id, size_b: 100 * 2 ** 20, md5sum: "0123456789abcdef0123456789abcdef" });
      const short = await seed.copy(db, { file_id: big.id, node_id: a.id, has_file: "Y", size_b: 5 * 2 ** 20 });
      // A corrupt copy with the same mismatch is not healthy: not reported.
      await seed.copy(db, { file_id: big.id, node_id: nested.id, has_file: "X", size_b: 5 * 2 ** 20 });
      // Two pending requests of one file into one group (a third, cancelled, does not count).
      const r2 = await seed.copyRequest(db, { file_id: f.id, group_to_id: g.id, node_from_id: a.id, timestamp: daysAgo(2) });
      await seed.copyRequest(db, { file_id: f.id, group_to_id: g.id, node_from_id: a.id, cancelled: 1 });
      // An import request for an inactive node, and one pending for 10 days on an active node.
      const old = await seed.node(db, { name: "Old", group_id: g.id, active: 0 });
      const inactiveImport = await seed.importRequest(db, { node_id: old.id, path: "acq/x", timestamp: hoursAgo(1) });
      const staleImport = await seed.importRequest(db, { node_id: a.id, path: "acq/stale", timestamp: daysAgo(10) });
      // Rows naming missing rows.
      let orphanCopy = 0;
      let orphanRequest = 0;
      await withoutForeignKeys(idx, async (tx) => {
        orphanCopy = (await seed.copy(tx, { file_id: 9999, node_id: a.id, has_file: "Y" })).id;
        orphanRequest = (await seed.copyRequest(tx, { file_id: f.id, group_to_id: 777, node_from_id: 888, timestamp: null })).id;
      });

      const r = await cliFor(idx)(["db", "check"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(1);
      expect(r.out.split("\n").filter(Boolean)).toEqual([
        `missing-reference: copy #${orphanCopy}: file_id 9999 names no file`,
        `missing-reference: copy request #${orphanRequest}: group_to_id 777 names no group`,
        `missing-reference: copy request #${orphanRequest}: node_from_id 888 names no node`,
        `file-metadata: file acq/no-md5 (#${noMd5.id}) has no MD5`,
        `file-metadata: file acq/no-size (#${noMd5.id + 1}) has no size`,
        `copy-size: healthy copy of acq/big on A (#${short.id}) records 5242880 B (5.000 MiB); the file is 104857600 B (100.0 MiB)`,
        `duplicate-requests: 2 pending copy requests of acq/f into group G: #1, #${r2.id}`,
        `node-roots: nodes A and Nested on host h1 nest: Nested's root /data/a/sub/ is inside A's root`,
        `node-roots: nodes B and Twin on host h1 share the root /data/ab`,
        `inactive-import: import request #${inactiveImport.id} for acq/x on inactive node Old`,
        `stale-request: import request #${staleImport.id} for acq/stale on node A pending since ${(await db.get<{ timestamp: string }>("SELECT timestamp FROM archivefileimportrequest WHERE id = ?", [staleImport.id]))!.timestamp} (more than 7 days)`,
      ]);

      // --stale moves the horizon: 1 day also catches the 2-day-old request.
      const loose = await cliFor(idx)(["db", "check", "--stale", "1", "--json"]);
      expect(loose.code).toBe(1);
      const found = JSON.parse(loose.out) as Array<{ check: string; message: string }>;
      expect(found.filter((x) => x.check === "stale-request").map((x) => x.message.split(" pending")[0])).toEqual([
        `copy request #${r2.id} of acq/f into group G`,
        `import request #${staleImport.id} for acq/stale on node A`,
      ]);
    });

    test("bad --stale is a usage error", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["db", "check", "--stale", "0"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("Error: --stale must be positive");
    });
  });
}
