// Checks of many small copies in batches (engine/integrity/check.ts: queueChecks above
// BATCH_ABOVE; io/default/node.ts: checkBatch; fs/threads/copy-ops.ts: checkFiles): one task
// and one fs-thread round trip for many copies, each with its own verdict and log lines.

import { expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { demoIndex, runServe } from "./_daemon.ts";
import { copyState, md5, nodeWithFiles } from "./_integrity.ts";

const FILES = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`${String(Math.floor(i / 40))}/f${String(i).padStart(3, "0")}.dat`, `file number ${i}\n`]));
const names = Object.keys(FILES);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`batched checks [${backend}]`, () => {
    test("120 small copies: one task, a verdict each (healthy, size, MD5, missing)", async () => {
      await using idx = await demoIndex(backend);
      const { root, reg } = await nodeWithFiles(idx, FILES);
      const [sized, flipped, gone] = [names[5]!, names[50]!, names[99]!];
      writeFileSync(join(root, reg[sized]!.rel), "short");
      writeFileSync(join(root, reg[flipped]!.rel), FILES[flipped]!.toUpperCase());
      rmSync(join(root, reg[gone]!.rel));
      await idx.db.run("UPDATE archivefilecopy SET has_file = 'M'");

      const r = await runServe(idx, { daemon: "  num_workers: 2\n" });
      expect(r.code).toBe(0);
      const first = reg[names[0]!]!.rel;
      expect(r.messages).toContain(`INFO Beginning task Check file ${first} (+119 more) on demo_storage1`);
      expect(r.messages.filter((m) => m.startsWith("INFO Beginning task Check file"))).toHaveLength(1);
      expect(r.messages).toContain(`ERROR File ${reg[sized]!.rel} on node demo_storage1 is corrupt! Size: 5; expected: ${FILES[sized]!.length}`);
      expect(r.messages).toContain(`ERROR File ${reg[flipped]!.rel} on node demo_storage1 is corrupt! MD5: ${md5(FILES[flipped]!.toUpperCase())}; expected: ${md5(FILES[flipped]!)}`);
      expect(r.messages).toContain(`ERROR File ${reg[gone]!.rel} on node demo_storage1 is missing!`);
      expect(r.messages.filter((m) => / is A-OK!$/.test(m))).toHaveLength(117);
      for (const n of names) {
        const want = n === sized || n === flipped ? "X" : n === gone ? "N" : "Y";
        expect((await copyState(idx, reg[n]!.copyId)).has_file).toBe(want);
      }
    });
  });
}
