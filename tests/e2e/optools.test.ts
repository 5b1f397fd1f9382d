// The operator tools on the compiled binary, over the demo's end state (`npm run demo`,
// scripts/demo.ts, told on SQLite and on MariaDB): every file of the demo is on demo_storage1
// (a field node) and on the archive nodes demo_storage2 and demo_storage3; transport1 is empty.
// So nothing is at risk, the index is sound, demo_storage1 can be drained at once, and
// demo_storage2 cannot (no other archive group lacks its files).

import { expect, test } from "bun:test";
import { resolve } from "node:path";
import { binaryPath, runBinary } from "../helpers/binary.ts";
import { backendSuites, emptyIndex } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";

const DEMO = resolve(import.meta.dir, "../../scripts/demo.ts");
const zero = { files: 0, bytes: 0 };

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`operator tools on the demo's end state [${backend}]`, () => {
    test("node risk, db check, file explain and node drain on the compiled binary", async () => {
      const bin = await binaryPath();
      using work = tempDir("optools-demo");
      await using idx = await emptyIndex(backend);
      const env: Record<string, string> = { ...(process.env as Record<string, string>), DEMO_DIR: work.path };
      if (backend === "mysql") env.DEMO_DATABASE_URL = idx.url;
      const demo = Bun.spawnSync([process.execPath, DEMO], { env, stdout: "pipe", stderr: "pipe" });
      expect(demo.exitCode).toBe(0);
      const run = (...args: string[]) => runBinary(bin, ["--test-isolation", "-c", work.join("alpenshell.conf"), ...args], { cwd: work.path });

      const risk = await run("node", "risk", "--json");
      expect(risk.code).toBe(0);
      expect(JSON.parse(risk.out)).toEqual(
        ["demo_storage1", "demo_storage2", "demo_storage3", "transport1"].map((node) => ({ node, only_here: zero, under_archived: zero, no_healthy_copy: zero })),
      );
      expect(await run("db", "check")).toEqual({ code: 0, out: "", err: "" });

      const explained = await run("file", "explain", "2025/02/21/meta.txt");
      expect(explained.code).toBe(0);
      expect(explained.out).toMatch(/\ntransport1 +Removed +-\n/);
      expect(explained.out).toEndWith("Pending requests:\n\nNo pending requests.\n");

      // demo_storage2's files have one other archive copy, and no archive group lacks them.
      expect((await run("node", "drain", "demo_storage2", "--check")).out).toBe(
        'Node "demo_storage2": 8 files (184 B) on the node.\n8 files (184 B) short of archive groups to copy to: cannot reach the archive-copy rule.\nNothing to do.\n',
      );
      // demo_storage1 holds no archive copy: everything on it is safe elsewhere.
      const drain = await run("node", "drain", "demo_storage1", "--force");
      expect(drain).toEqual({
        code: 0,
        err: "",
        out: 'Node "demo_storage1": 8 files (184 B) on the node.\nReleasing 8 files (184 B): enough archive copies elsewhere.\nRequested 0 copies; released 8 files.\n',
      });
      expect((await run("node", "drain", "demo_storage1", "--status")).out).toBe(
        'Node "demo_storage1": 8 files (184 B) still on the node:\n  8 files (184 B) released, awaiting deletion by the daemon\n',
      );
      // The daemon updated demo_storage1 moments ago: it deletes the released copy next.
      const json = JSON.parse((await run("file", "explain", "--json", "2025/02/21/meta.txt", "--node", "demo_storage1")).out) as {
        copies: Array<{ node: string; next: { code: string } | null }>;
      };
      expect(json.copies.map((c) => [c.node, c.next?.code])).toEqual([["demo_storage1", "delete"]]);
      expect((await run("node", "risk", "--list", "only_here", "nosuch")).err).toBe("Error: no such node: nosuch\n");
    }, 240_000);
  });
}
