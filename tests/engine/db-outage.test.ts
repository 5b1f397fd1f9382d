// The daemon waits out a database outage instead of dying of it (alpenhorn ends with `Fatal
// error!` when its main loop's query fails): a database extension that can be "taken down"
// (tests/fixtures/extensions/outage-database.ts) fails every statement for a few loops; the
// daemon logs each failed loop, keeps running, and once the index answers again carries out
// what was requested meanwhile.

import { expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, runServe, until } from "./_daemon.ts";

const FIXTURE = resolve(import.meta.dir, "../fixtures/extensions/outage-database.ts");

test("a database outage mid-run: failed loops are logged, the daemon carries on and finishes the work", async () => {
  await using idx = await demoIndex("sqlite");
  const { node, root } = await demoNode(idx);
  writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
  mkdirSync(join(root, "2025/02/21"), { recursive: true });
  writeFileSync(join(root, "2025/02/21/meta.txt"), "meta\n");
  const flag = `${idx.url.replace(/^sqlite:\/\/\//, "")}.down`;
  let requestId = 0;
  const r = await runServe(idx, {
    once: false,
    extra: `extensions:\n  - ${FIXTURE}\n  - pattern_importer\n`,
    during: async (out) => {
      await until(() => out.messages.some((m) => m.startsWith("INFO Main loop execution was")));
      writeFileSync(flag, "");
      await until(() => out.messages.filter((m) => m.startsWith("ERROR Update loop failed: connect ECONNREFUSED")).length >= 2, 20_000);
      // Asked for while the daemon cannot see the index (written here on the test's own connection).
      requestId = (await seed.importRequest(idx.db, { node_id: node.id, path: "2025/02/21", recurse: 1, register: 1 })).id;
      rmSync(flag);
      await until(() => out.messages.includes(`INFO Completed import request #${requestId}.`), 20_000);
    },
  });
  expect(r.code).toBe(0);
  expect(r.messages.some((m) => m.startsWith("ERROR Fatal error!"))).toBe(false);
  expect(r.messages).toContain("ERROR Update loop failed: connect ECONNREFUSED 127.0.0.1:3306.  Retrying in 1.0s.");
  const f = await idx.db.get<{ md5sum: string }>("SELECT md5sum FROM archivefile WHERE name = 'meta.txt'");
  expect(f?.md5sum).toBe("fe999c04c29b51909b8ec56ecfbabcb8");
}, 60_000);
