// `alpenhorn node drain` on both backends, over the seeded layout of _risk-layout.ts: the plan,
// the prompt, the requests and releases it files, the second run after the pulls land, --status,
// and that every copy it releases is one the daemon's own deletion claim accepts.

import { expect, test } from "bun:test";
import type { Db } from "../../../src/index/driver/types.ts";
import { claimBatchForDelete } from "../../../src/index/queries/integrity.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { riskLayout, type RiskLayout } from "./_risk-layout.ts";

type Req = { file: string; group: string; source: string; completed: number };

async function pendingRequests(db: Db): Promise<Req[]> {
  const rows = await db.all<Req>(
    `SELECT f.name AS file, g.name AS "group", n.name AS source, r.completed AS completed FROM archivefilecopyrequest r
       JOIN archivefile f ON f.id = r.file_id JOIN storagegroup g ON g.id = r.group_to_id JOIN storagenode n ON n.id = r.node_from_id
      WHERE r.completed = 0 AND r.cancelled = 0 ORDER BY r.id`,
  );
  return rows.map((r) => ({ ...r, completed: Number(r.completed) }));
}

async function wantsOn(db: Db, l: RiskLayout, node: keyof RiskLayout["nodes"]): Promise<Record<string, string>> {
  const rows = await db.all<{ name: string; wants_file: string }>(
    "SELECT f.name AS name, c.wants_file AS wants_file FROM archivefilecopy c JOIN archivefile f ON f.id = c.file_id WHERE c.node_id = ? AND c.has_file <> 'N' ORDER BY c.id",
    [l.nodes[node].id],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.wants_file]));
}

/** The daemon's pulls land: each pending request becomes a healthy copy on its group's node. */
async function landPulls(db: Db, l: RiskLayout): Promise<void> {
  const rows = await db.all<{ id: number; file_id: number; group_to_id: number }>("SELECT id, file_id, group_to_id FROM archivefilecopyrequest WHERE completed = 0 AND cancelled = 0");
  for (const r of rows) {
    const node = Object.values(l.nodes).find((n) => n.group_id === Number(r.group_to_id))!;
    await seed.copy(db, { file_id: r.file_id, node_id: node.id, has_file: "Y" });
    await db.run("UPDATE archivefilecopyrequest SET completed = 1 WHERE id = ?", [r.id]);
  }
}

const PLAN = [
  'Node "transit": 4 files (1.172 kiB) on the node.',
  "1 file (500 B) without a healthy copy anywhere: cannot be drained safely.",
  "Would request 3 copies first:",
  "  1 file (100 B) to group arch1",
  "  1 file (100 B) to group arch2",
  "  1 file (400 B) to group arch3",
  "Would release 1 file (200 B): enough archive copies elsewhere.",
];

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node drain [${backend}]`, () => {
    test("--check prints the plan and changes nothing; declining the prompt changes nothing", async () => {
      await using idx = await initialisedIndex(backend);
      const l = await riskLayout(idx.db);
      const cli = cliFor(idx);
      expect(await cli(["node", "drain", "transit", "--check"])).toEqual({ code: 0, out: PLAN.join("\n") + "\n", err: "" });
      const no = await cli(["node", "drain", "transit"], "n\n");
      expect(no).toEqual({ code: 0, out: PLAN.join("\n") + "\n\nContinue? [y/N]: \nCancelled.\n", err: "" });
      expect(await pendingRequests(idx.db)).toEqual([]);
      expect(await wantsOn(idx.db, l, "transit")).toEqual({ only_t: "Y", two_arch: "Y", arch_and_t: "Y", suspect: "Y" });
    });

    test("confirmed: copies requested (fewest pending first), safe copies released; after the pulls land a second run releases the rest", async () => {
      await using idx = await initialisedIndex(backend);
      const l = await riskLayout(idx.db);
      const cli = cliFor(idx);
      const yes = await cli(["node", "drain", "transit"], "y\n");
      expect(yes.code).toBe(0);
      expect(yes.out).toEndWith("Releasing 1 file (200 B): enough archive copies elsewhere.\nRequested 3 copies; released 1 file.\n");
      expect(await pendingRequests(idx.db)).toEqual([
        { file: "only_t", group: "arch1", source: "transit", completed: 0 },
        { file: "only_t", group: "arch2", source: "transit", completed: 0 },
        { file: "arch_and_t", group: "arch3", source: "transit", completed: 0 },
      ]);
      expect(await wantsOn(idx.db, l, "transit")).toEqual({ only_t: "Y", two_arch: "N", arch_and_t: "Y", suspect: "Y" });

      // Before the pulls land: nothing more to do, and --status says what waits for what.
      expect((await cli(["node", "drain", "transit", "--force"])).out).toEndWith("Nothing to do.\n");
      expect(await cli(["node", "drain", "transit", "--status"])).toEqual({
        code: 0,
        err: "",
        out: [
          'Node "transit": 4 files (1.172 kiB) still on the node:',
          "  1 file (200 B) released, awaiting deletion by the daemon",
          "  2 files (500 B) waiting for pending copies to land",
          "  1 file (500 B) without a healthy copy anywhere: cannot be drained safely",
          "",
        ].join("\n"),
      });

      await landPulls(idx.db, l);
      expect((await cli(["node", "drain", "transit", "--force"])).out).toEndWith("Releasing 2 files (500 B): enough archive copies elsewhere.\nRequested 0 copies; released 2 files.\n");
      expect(await wantsOn(idx.db, l, "transit")).toEqual({ only_t: "N", two_arch: "N", arch_and_t: "N", suspect: "Y" });
      expect(await pendingRequests(idx.db)).toEqual([]);

      // Every copy the drain released passes the daemon's own deletion claim.
      const released = await idx.db.all<{ id: number }>("SELECT id FROM archivefilecopy WHERE node_id = ? AND wants_file = 'N' ORDER BY id", [l.nodes.transit.id]);
      const claims = await idx.db.transaction((tx) => claimBatchForDelete(tx, released.map((r) => Number(r.id)), { archiveCopies: 2, discretionary: false }));
      expect(claims.map((c) => c.claimed)).toEqual([true, true, true]);
    });

    test("--to restricts the groups; too few of them leaves files short; a drained node", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const cli = cliFor(idx);
      const r = await cli(["node", "drain", "transit", "--to", "arch3", "--check"]);
      expect(r.out).toBe(
        [
          'Node "transit": 4 files (1.172 kiB) on the node.',
          "1 file (500 B) without a healthy copy anywhere: cannot be drained safely.",
          "1 file (100 B) short of archive groups to copy to: cannot reach the archive-copy rule.",
          "Would request 2 copies first:",
          "  2 files (500 B) to group arch3",
          "Would release 1 file (200 B): enough archive copies elsewhere.",
          "",
        ].join("\n"),
      );
      expect((await cli(["node", "drain", "arch3", "--status"])).out).toBe('Node "arch3" is drained: no files left on it.\n');
      expect((await cli(["node", "drain", "arch3", "--check"])).out).toBe('Node "arch3": 0 files (0 B) on the node.\nNothing to do.\n');
    });

    test("bad input", async () => {
      await using idx = await initialisedIndex(backend);
      await riskLayout(idx.db);
      const cli = cliFor(idx);
      expect(await cli(["node", "drain", "nosuch", "--check"])).toEqual({ code: 1, out: "", err: "Error: no such node: nosuch\n" });
      expect(await cli(["node", "drain", "transit", "--to", "nosuch", "--check"])).toEqual({ code: 1, out: "", err: "Error: no such group: nosuch\n" });
      expect(await cli(["node", "drain", "arch1", "--to", "transit", "--check"])).toEqual({
        code: 1,
        out: "",
        err: 'Error: Group "transit" has no active archive node: copies there do not count as archive copies.\n',
      });
      const both = await cli(["node", "drain", "transit", "--check", "--force"]);
      expect(both.code).toBe(2);
      expect(both.err).toContain("Error: cannot use both --check and --force");
      expect((await cli(["node", "drain", "transit", "--status", "--force"])).code).toBe(2);
    });
  });
}
