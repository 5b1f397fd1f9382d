// A database extension loaded by path (alpenhorn/extensions/database.py: DatabaseExtension,
// alpenhorn/common/extload.py: find_extensions at 632dd41; its tests/common/test_extload.py:
// test_good_db) replaces the internal connector: the daemon says so, forces serial I/O (not
// reentrant, as alpenhorn/daemon/entry.py: entry does) and works on it.

import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe } from "./_daemon.ts";

const FIXTURE = resolve(import.meta.dir, "../fixtures/extensions/sqlite-database.ts");

describe("database extension", () => {
  test("is used by the daemon, which imports through it in serial I/O", async () => {
    await using idx = await demoIndex("sqlite");
    const { node, root } = await demoNode(idx);
    writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
    mkdirSync(join(root, "2025/02/21"), { recursive: true });
    writeFileSync(join(root, "2025/02/21/meta.txt"), "meta\n");
    const req = await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 });
    const r = await runServe(idx, { extra: `extensions:\n  - ${FIXTURE}\n  - pattern_importer\n`, daemon: "  num_workers: 3\n" });
    expect(r.code).toBe(0);
    const used = r.messages.indexOf(`INFO Using database extension ${FIXTURE}.SqliteByPath.`);
    expect(used).toBeGreaterThan(0);
    expect(r.messages[used - 1]).toBe(`INFO Initialised Extension ${FIXTURE}.SqliteByPath v1.0`);
    expect(r.messages).not.toContain("DEBUG Using internal database module.");
    expect(r.messages).toContain("WARNING Database is not threadsafe: forcing serial I/O.");
    expect(r.messages).toContain("INFO Tasks: 0 queued, 0 deferred, 0 in-progress on 0 workers");
    expect(r.lines.some((l) => l.includes("[Worker#"))).toBe(false);
    expect(r.messages).toContain(`INFO Completed import request #${req.id}.`);
    const f = await idx.db.get<{ name: string; md5sum: string }>("SELECT name, md5sum FROM archivefile");
    expect(f).toEqual({ name: "meta.txt", md5sum: "fe999c04c29b51909b8ec56ecfbabcb8" });
    expect(Number((await idx.db.get<{ n: number }>("SELECT COUNT(*) AS n FROM archivefilecopy WHERE has_file = 'Y'"))!.n)).toBe(1);
  });
});
