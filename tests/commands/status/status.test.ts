// `alpenhorn status [--json]` on SQLite and MariaDB: every section from a seeded index (a host
// whose daemon checked a node just now, one silent for a day, nodes without a host), and the
// same facts as JSON.

import { expect, test } from "bun:test";
import { utcNow } from "../../../src/common/time.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

/** Ages change with the clock: `3s ago` → `… ago`. */
const steady = (text: string) => text.replace(/(\d+h)?(\d+m)?\d+s ago/g, "… ago");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`status [${backend}]`, () => {
    test("hosts and daemons, pending work, space, copy health and single-copy files", async () => {
      await using idx = await initialisedIndex(backend);
      const db = idx.db;
      const day = new Date(Date.now() - 86_400_000).toISOString().replace("T", " ").replace("Z", "");
      const ga = await seed.group(db, { name: "ga" });
      const gb = await seed.group(db, { name: "gb" });
      const gfar = await seed.group(db, { name: "gfar" });
      // a1: checked now (daemon alive), below min free; a2: same host, over its maximum.
      const a1 = await seed.node(db, { name: "a1", group_id: ga.id, host: "h1", active: 1, avail_gb: 1, min_avail_gb: 5, avail_gb_last_checked: utcNow() });
      const a2 = await seed.node(db, { name: "a2", group_id: gb.id, host: "h1", active: 1, avail_gb: 100, max_total_gb: 1e-9, avail_gb_last_checked: day });
      const far = await seed.node(db, { name: "far", group_id: gfar.id, host: "h2", active: 1, avail_gb_last_checked: day });
      await seed.node(db, { name: "loose", group_id: gfar.id, active: 0 });

      const acq = await seed.acq(db, { name: "x" });
      const f = async (name: string, size: number) => seed.file(db, { name, acq_id: acq.id, size_b: size });
      const one = await f("one", 100); // healthy on a1 and a2
      const two = await f("two", 200); // healthy on a1 only; suspect on a2
      const three = await f("three", 300); // corrupt on a1, released on a2
      const four = await f("four", 400); // marked on a1 only: its single healthy copy
      await seed.copy(db, { file_id: one.id, node_id: a1.id, has_file: "Y" });
      await seed.copy(db, { file_id: one.id, node_id: a2.id, has_file: "Y" });
      await seed.copy(db, { file_id: two.id, node_id: a1.id, has_file: "Y" });
      await seed.copy(db, { file_id: two.id, node_id: a2.id, has_file: "M" });
      await seed.copy(db, { file_id: three.id, node_id: a1.id, has_file: "X" });
      await seed.copy(db, { file_id: three.id, node_id: a2.id, has_file: "Y", wants_file: "N" });
      await seed.copy(db, { file_id: four.id, node_id: a1.id, has_file: "Y", wants_file: "M" });
      await seed.copy(db, { file_id: four.id, node_id: far.id, has_file: "N", wants_file: "N" });
      await seed.importRequest(db, { node_id: a1.id, path: "x" });
      await seed.importRequest(db, { node_id: a1.id, path: "y", completed: 1 });
      await seed.copyRequest(db, { file_id: two.id, node_from_id: a1.id, group_to_id: gfar.id });
      await seed.copyRequest(db, { file_id: four.id, node_from_id: a1.id, group_to_id: gfar.id });
      await seed.copyRequest(db, { file_id: one.id, node_from_id: a1.id, group_to_id: gfar.id, cancelled: 1 });

      const cli = cliFor(idx, "daemon:\n  update_interval: 10\n");
      const r = await cli(["status"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(steady(r.out)).toBe(
        [
          "Hosts:",
          "  h1: daemon alive (last update … ago)",
          "    a1 (group ga, checked … ago, 1.000 GiB free)",
          "    a2 (group gb, checked … ago, 100.0 GiB free)",
          "  h2: NO DAEMON (last update … ago)",
          "    far (group gfar, checked … ago)",
          "  (no host): no active nodes",
          "    loose (group gfar, inactive)",
          "",
          "Pending work:",
          '  import: Node "a1": 1 request',
          '  copy: Node "a1" to Group "gfar": 2 files (600 B)',
          '  clean: Node "a1": 1 file (400 B) marked',
          '  clean: Node "a2": 1 file (300 B) released',
          "",
          "Space:",
          '  Node "a1": below minimum free space (1.00 GiB < 5.00 GiB)',
          '  Node "a2": over maximum size (0.00 GiB >= 0.00 GiB)',
          "",
          "Copies:",
          '  suspect: Node "a2": 1 file (200 B)',
          '  corrupt: Node "a1": 1 file (300 B)',
          "",
          "Risk:",
          "  3 files (900 B) with a single healthy copy",
          "",
        ].join("\n"),
      );

      const j = await cli(["status", "--json"]);
      expect(j.code).toBe(0);
      const report = JSON.parse(j.out);
      expect(report.alive_within_s).toBe(40);
      expect(report.hosts.map((h: { host: string | null; daemon: string }) => [h.host, h.daemon])).toEqual([
        ["h1", "alive"],
        ["h2", "silent"],
        [null, "idle"],
      ]);
      expect(report.pending.transfers).toEqual([{ group: "gfar", from_node: "a1", requests: 2, bytes: 600 }]);
      expect(report.pending.cleaning).toEqual([
        { node: "a1", released: { count: 0, bytes: 0 }, marked: { count: 1, bytes: 400 } },
        { node: "a2", released: { count: 1, bytes: 300 }, marked: { count: 0, bytes: 0 } },
      ]);
      expect(report.space.map((s: { node: string; problem: string }) => [s.node, s.problem])).toEqual([
        ["a1", "below-min-free"],
        ["a2", "over-max"],
      ]);
      expect(report.hosts[0].nodes[1].stored_bytes).toBe(100 + 200 + 300);
      expect(report.copies).toEqual({ suspect: [{ node: "a2", count: 1, bytes: 200 }], corrupt: [{ node: "a1", count: 1, bytes: 300 }] });
      // node risk's only_here: a released copy is still the file's only healthy one (three).
      expect(report.risk).toEqual({ only_here: { files: 3, bytes: 900 } });
    });

    test("an empty index: every section says so", async () => {
      await using idx = await initialisedIndex(backend);
      const r = await cliFor(idx)(["status"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        "Hosts:\n  no nodes\n\nPending work:\n  none\n\nSpace:\n  every node within its limits\n\nCopies:\n  none suspect or corrupt\n\nRisk:\n  no file with a single healthy copy\n",
      );
    });
  });
}
