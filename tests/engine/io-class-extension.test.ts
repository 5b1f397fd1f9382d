// An I/O class supplied by an extension loaded by path (alpenhorn/extensions/io_class.py:
// IOClassExtension, alpenhorn/common/extload.py: io_extension at 632dd41; its
// tests/common/test_extload.py: test_io_extension_*): nodes and groups naming it are served by
// its factories, built on the Default I/O; a clash with a built-in name is fatal.

import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { backendSuites } from "../helpers/index.ts";
import { cliFor } from "../helpers/run-cli.ts";
import { seed } from "../helpers/seed.ts";
import { demoIndex, demoNode, HOST, runServe } from "./_daemon.ts";

const FIXTURE = resolve(import.meta.dir, "../fixtures/extensions/io-class.ts");
const CLASH = resolve(import.meta.dir, "../fixtures/extensions/io-class-clash.ts");
const EXAMPLE = resolve(import.meta.dir, "../../examples/example-io-class.ts");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`I/O class from an extension [${backend}]`, () => {
    test('io_class "Recording" on node and group: its factories serve them, Default does the rest', async () => {
      await using idx = await demoIndex(backend);
      const { node, group, root } = await demoNode(idx);
      await idx.db.run("UPDATE storagenode SET io_class = ?, io_config = ? WHERE id = ?", ["Recording", '{"x": 1}', node.id]);
      await idx.db.run("UPDATE storagegroup SET io_class = ? WHERE id = ?", ["Recording", group.id]);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      mkdirSync(join(root, "2025/02/21/23"), { recursive: true });
      writeFileSync(join(root, "2025/02/21/23/1324.dat"), "abc");
      const req = await seed.importRequest(idx.db, { node_id: node.id, path: "2025", recurse: 1, register: 1 });

      const r = await runServe(idx, { extra: `extensions:\n  - pattern_importer\n  - ${FIXTURE}\n` });
      expect(r.code).toBe(0);
      expect(r.messages).toContain(`INFO Initialised Extension ${FIXTURE}.RecordingIO v1.0.0`);
      expect(r.messages).toContain('INFO Recording I/O for node demo_storage1 (config {"x":1}).');
      expect(r.messages).toContain("INFO Recording group demo_storage1: nodes demo_storage1.");
      // The overridden free space reaches the log and the index.
      expect(r.messages).toContain("INFO Node demo_storage1: 3.000 GiB available.");
      const row = await idx.db.get<{ avail_gb: number }>("SELECT avail_gb FROM storagenode WHERE id = ?", [node.id]);
      expect(Number(row!.avail_gb)).toBe(3);
      // Import went through the wrapped md5, and the rest (walk, lock check, size) is Default's.
      expect(r.messages).toContain("INFO Recording md5 of 2025/02/21/23/1324.dat.");
      const f = await idx.db.get<{ size_b: number; md5sum: string }>("SELECT size_b, md5sum FROM archivefile");
      expect({ ...f, size_b: Number(f!.size_b) }).toEqual({ size_b: 3, md5sum: "900150983cd24fb0d6963f7d28e17f72" });
      expect(r.messages).toContain(`INFO Completed import request #${req.id}.`);
      expect(r.messages.filter((m) => /^(ERROR|WARNING) /.test(m))).toEqual([]);
    });

    test("without the extension the class is unknown; a throwing factory skips the node", async () => {
      await using idx = await demoIndex(backend);
      const { node, root } = await demoNode(idx);
      writeFileSync(join(root, "ALPENHORN_NODE"), "demo_storage1\n");
      await idx.db.run("UPDATE storagenode SET io_class = ? WHERE id = ?", ["Recording", node.id]);
      const r1 = await runServe(idx);
      expect(r1.messages).toContain('ERROR Unknown I/O class: "Recording".  Ignoring StorageNode demo_storage1.');

      // The example class refuses a bad io_config by throwing: an ERROR, the daemon goes on.
      await idx.db.run("UPDATE storagenode SET io_class = ?, io_config = ? WHERE id = ?", ["Capped", '{"max_avail_gb": "lots"}', node.id]);
      const r2 = await runServe(idx, { extra: `extensions:\n  - ${EXAMPLE}\n` });
      expect(r2.code).toBe(0);
      expect(r2.messages).toContain(
        'ERROR I/O class "Capped" failed: max_avail_gb must be a non-negative number, not "lots".  Ignoring StorageNode demo_storage1.',
      );
      expect(r2.messages).not.toContain('INFO Updating node "demo_storage1".');

      // A valid cap: the example reports at most 0.5 GiB.
      await idx.db.run("UPDATE storagenode SET io_config = ? WHERE id = ?", ['{"max_avail_gb": 0.5}', node.id]);
      const r3 = await runServe(idx, { extra: `extensions:\n  - ${EXAMPLE}\n` });
      expect(r3.messages).toContain("INFO Node demo_storage1: 512.0 MiB available.");
    });

    test('test_io_extension_internal_name: an extension naming its class "Default" is refused (extload.py: init_extensions), exit 1', async () => {
      await using idx = await demoIndex(backend);
      const cli = cliFor(idx, `base:\n  hostname: ${HOST}\nextensions:\n  - pattern_importer\n  - ${CLASH}\n`);
      const r = await cli(["serve", "--once"]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`Error: I/O class "Default" from Extension "${CLASH}.Impostor" already provided by alpenhorn.\n`);
      expect(r.err).not.toContain("Main loop");
    });
  });
}
