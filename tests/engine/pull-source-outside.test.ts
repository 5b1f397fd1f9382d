// A local pull never reads its source through a directory that is a symlink out of the source
// node's root, even when the file there holds exactly the registered bytes (its MD5 would
// pass): nothing outside a node root is ever read. Single pulls (hard link and copy) and a
// batch of hard links (more than 100 requests) alike; the source copy is then checked, where
// it is found outside its root.

import { expect, test } from "bun:test";
import { existsSync, renameSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { tempDir } from "../helpers/tmp.ts";
import { demoIndex, runServe } from "./_daemon.ts";
import { copyState } from "./_integrity.ts";
import { copyOn, request, twoNodes } from "./_pull.ts";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`pull sources behind a link out of the root [${backend}]`, () => {
    for (const [label, kinds, count] of [
      ["a hard link", { source: "A", dest: "A" }, 1],
      ["a copy", { source: "F", dest: "A" }, 1],
      ["a batch of 150 hard links", { source: "A", dest: "A" }, 150],
    ] as const) {
      test(`${label}: refused, nothing read, the source checked`, async () => {
        await using idx = await demoIndex(backend);
        using outside = tempDir("outside");
        const files: Record<string, string> = {};
        for (let i = 0; i < count; i++) files[`23/f${i}.dat`] = `bytes of file ${i}\n`;
        const { src, dst } = await twoNodes(idx, files, kinds);
        // The acquisition's directory moves out of the root; a symlink takes its place, so
        // the same registered bytes are still reachable under the source's path.
        const moved = outside.join("23");
        renameSync(join(src.root, "2025/02/21/23"), moved);
        symlinkSync(moved, join(src.root, "2025/02/21/23"));
        for (const r of Object.values(src.reg)) await request(idx, r.fileId, src.node.id, dst.group.id);

        const r = await runServe(idx);
        expect(r.code).toBe(0);
        for (const [name, reg] of Object.entries(src.reg)) {
          expect(existsSync(join(dst.root, reg.rel))).toBe(false);
          expect(await copyOn(idx, reg.fileId, dst.node.id)).toBeUndefined();
          expect((await copyState(idx, reg.copyId)).has_file, name).toBe("M");
        }
        expect(r.messages.filter((m) => m.includes(`is not inside node root ${src.root}`)).length).toBe(count);
        expect(r.messages.some((m) => m.startsWith("INFO Hardlinked") || m.includes("using internal copy"))).toBe(false);
      });
    }
  });
}
