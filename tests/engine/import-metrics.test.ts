// alpenhorn_imported_files_total{node} (ours): every file imported counts once, whether a batch
// of a big scan registered it or a single import task did, and only once committed.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BATCH_ABOVE } from "../../src/engine/import/batch.ts";
import { demoIndex, demoNode, runServe, until } from "./_daemon.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { freePort } from "../helpers/net.ts";

const N = BATCH_ABOVE + 50;
/** The demo's data-file names: HH/MMSS.dat under an acquisition named YYYY/MM/DD. */
const dataFile = (i: number) => `2025/02/21/00/${String(Math.floor(i / 60)).padStart(2, "0")}${String(i % 60).padStart(2, "0")}.dat`;

test("imported_files counts the files of a batched scan and of a single import", async () => {
  await using idx = await demoIndex("sqlite");
  const { root } = await demoNode(idx);
  writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
  mkdirSync(join(root, "2025/02/21/00"), { recursive: true });
  for (let i = 0; i < N; i++) writeFileSync(join(root, dataFile(i)), `${i}\n`);
  const cli = cliFor(idx);
  const port = await freePort();
  const value = async () => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const m = /^alpenhorn_imported_files_total\{daemon="alpenhost1",node="demo_storage1"\} (\S+)$/m.exec(text);
    return m ? Number(m[1]) : 0;
  };
  const r = await runServe(idx, {
    once: false,
    daemon: `  num_workers: 1\n  prom_client_port: ${port}\n`,
    during: async (out) => {
      expect((await cli(["node", "scan", "demo_storage1", "--register-new"])).code).toBe(0);
      await until(async () => (await value()) === N, 30_000, `${N} imports counted`);
      expect(out.messages.some((m) => m.includes("(+") && m.includes("more) on demo_storage1"))).toBe(true);
      writeFileSync(join(root, "2025/02/21/meta.txt"), "meta\n");
      expect((await cli(["file", "import", "2025/02/21/meta.txt", "demo_storage1", "--register-new"])).code).toBe(0);
      await until(async () => (await value()) === N + 1, 30_000, "the single import counted");
      // Nothing counted twice: a second scan finds every file registered.
      expect((await cli(["node", "scan", "demo_storage1"])).code).toBe(0);
      await until(() => out.messages.filter((m) => m.includes("Completed import request")).length >= 3, 30_000, "the second scan");
      expect(await value()).toBe(N + 1);
    },
  });
  expect(r.code).toBe(0);
}, 90_000);
