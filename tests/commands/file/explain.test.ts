// `alpenhorn file explain` on both backends, over the seeded layout of node risk's tests plus
// one pending request per reason the daemon waits or acts; each verdict is known.

import { expect, test } from "bun:test";
import { formatUtcMicros, utcNow } from "../../../src/common/time.ts";
import type { Db } from "../../../src/index/driver/types.ts";
import { backendSuites, initialisedIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { riskLayout, type RiskLayout } from "../node/_risk-layout.ts";

interface Explained {
  file: string;
  copies: Array<{ node: string; state: string; next: { code: string; acts: boolean; text: string } | null }>;
  requests: Array<{ id: number; from: string; to_group: string; next: { code: string; acts: boolean; text: string } }>;
}

/** The layout, every node's daemon recently seen except arch3's (an hour ago), and the requests. */
async function scene(db: Db) {
  const l = await riskLayout(db);
  const { nodes: n, groups: g, files: f } = l;
  const now = utcNow();
  const hourAgo = formatUtcMicros(BigInt(Date.now() - 3_600_000) * 1000n);
  for (const node of Object.values(n)) await db.run("UPDATE storagenode SET avail_gb_last_checked = ? WHERE id = ?", [node.name === "arch3" ? hourAgo : now, node.id]);
  // arch2 is short of space; transit holds 700 B against a 500 B maximum.
  await db.run("UPDATE storagenode SET avail_gb = 5, min_avail_gb = 10 WHERE id = ?", [n.arch2.id]);
  await db.run("UPDATE storagenode SET max_total_gb = ? WHERE id = ?", [500 / 2 ** 30, n.transit.id]);
  // An HSM node whose copy is on tape (not ready).
  const tapeGroup = await seed.group(db, { name: "tape" });
  const tape = await seed.node(db, { name: "tape", group_id: tapeGroup.id, io_class: "LustreHSM", active: 1, avail_gb_last_checked: now });
  const staged = await seed.file(db, { name: "staged", acq_id: f.only_t!.acq_id, size_b: 10, md5sum: "0123456789abcdef0123456789abcdef" });
  await seed.copy(db, { file_id: staged.id, node_id: tape.id, has_file: "Y", ready: 0 });
  const req = (file: keyof typeof f | number, from: keyof RiskLayout["nodes"] | number, to: keyof RiskLayout["groups"]) =>
    seed.copyRequest(db, { file_id: typeof file === "number" ? file : f[file]!.id, node_from_id: typeof from === "number" ? from : n[from].id, group_to_id: g[to].id });
  const r = {
    pull: await req("only_t", "transit", "arch1"),
    behind: await req("only_t", "transit", "arch1"),
    minFree: await req("one_arch", "arch1", "arch2"),
    full: await req("one_arch", "arch1", "transit"),
    stale: await req("one_arch", "arch1", "arch3"),
    needsCheck: await req("suspect", "arch2", "arch3"),
    inactive: await req("inactive", "old", "arch3"),
    inGroup: await req("two_arch", "transit", "arch2"),
    noDest: await req("arch_and_t", "transit", "old"),
    missing: await req("nocopy", "arch1", "arch2"),
    notReady: await req(staged.id, tape.id, "arch1"),
    fromReleased: await req("released", "arch1", "arch3"),
  };
  return { ...l, r };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file explain [${backend}]`, () => {
    test("each pending request gets the daemon's verdict: act, or the reason it waits", async () => {
      await using idx = await initialisedIndex(backend);
      const { r } = await scene(idx.db);
      const cli = cliFor(idx);
      const explain = async (path: string) => {
        const out = await cli(["file", "explain", "--json", path]);
        expect(out.code).toBe(0);
        return JSON.parse(out.out) as Explained;
      };
      const codes = (e: Explained) => e.requests.map((q) => [q.id, q.next.code, q.next.acts]);
      expect(codes(await explain("acq/only_t"))).toEqual([
        [r.pull.id, "pull", true],
        [r.behind.id, "behind-request", false],
      ]);
      const oneArch = await explain("acq/one_arch");
      expect(codes(oneArch)).toEqual([
        [r.minFree.id, "destination-min-free", false],
        [r.full.id, "destination-full", false],
        [r.stale.id, "no-daemon", false],
      ]);
      expect(oneArch.requests[0]!.next.text).toBe("waits: destination arch2: hit minimum free space: (5.00 GiB < 10.00 GiB)");
      expect(oneArch.requests[1]!.next.text).toBe("waits: destination transit: node full.  (0.00 GiB >= 0.00 GiB)");
      expect(oneArch.requests[2]!.next.text).toStartWith("waits: no daemon has updated node arch3 since ");
      expect(codes(await explain("acq/suspect"))).toEqual([[r.needsCheck.id, "source-needs-check", false]]);
      expect(codes(await explain("acq/inactive"))).toEqual([[r.inactive.id, "source-inactive", false]]);
      expect(codes(await explain("acq/two_arch"))).toEqual([[r.inGroup.id, "already-in-group", true]]);
      expect(codes(await explain("acq/arch_and_t"))).toEqual([[r.noDest.id, "no-destination", false]]);
      // The source checks come before the destination's room (arch2 is short of space).
      expect(codes(await explain("acq/nocopy"))).toEqual([[r.missing.id, "source-missing", true]]);
      expect((await explain("acq/nocopy")).copies).toEqual([]);
      const staged = await explain("acq/staged");
      expect(codes(staged)).toEqual([[r.notReady.id, "not-ready", false]]);
      expect(staged.requests[0]!.next.text).toBe("waits: not ready on source node tape (being staged)");
    });

    test("copies: a check, a deletion, a deletion waiting on the archive-copy rule or a pending transfer", async () => {
      await using idx = await initialisedIndex(backend);
      const { r, nodes } = await scene(idx.db);
      const cli = cliFor(idx);
      const copies = async (path: string, extra = "") => {
        const out = await cliFor(idx, extra)(["file", "explain", "--json", path]);
        return (JSON.parse(out.out) as Explained).copies.map((c) => [c.node, c.state, c.next?.code ?? null]);
      };
      expect(await copies("acq/suspect")).toEqual([
        ["arch2", "Suspect", "check"],
        ["transit", "Corrupt", null],
      ]);
      // The released copy on arch1 is the source of a pending pull: kept while it is.
      expect(await copies("acq/released")).toEqual([
        ["arch1", "Released", "transfer-pending"],
        ["arch2", "Healthy", null],
      ]);
      await idx.db.run("UPDATE archivefilecopyrequest SET cancelled = 1 WHERE id = ?", [r.fromReleased.id]);
      const rel = await cli(["file", "explain", "--json", "acq/released"]);
      expect((JSON.parse(rel.out) as Explained).copies[0]!.next).toEqual({
        code: "too-few-archive-copies",
        acts: false,
        text: "waits: too few archive copies (1) to delete; 2 needed elsewhere",
      });
      // With one archive copy required, arch2's copy is enough.
      expect(await copies("acq/released", "daemon:\n  archive_copy_count: 1\n")).toEqual([
        ["arch1", "Released", "delete"],
        ["arch2", "Healthy", null],
      ]);
      // On a node nobody updates, nothing happens.
      await idx.db.run("UPDATE storagenode SET avail_gb_last_checked = NULL WHERE id = ?", [nodes.arch1.id]);
      expect(await copies("acq/released", "daemon:\n  archive_copy_count: 1\n")).toEqual([
        ["arch1", "Released", "no-daemon"],
        ["arch2", "Healthy", null],
      ]);
    });

    test("the text form, --node, and bad input", async () => {
      await using idx = await initialisedIndex(backend);
      await scene(idx.db);
      const cli = cliFor(idx);
      const text = await cli(["file", "explain", "acq/one_arch", "--node", "arch2"]);
      expect(text.code).toBe(0);
      const lines = text.out.split("\n");
      expect(lines[0]).toBe("acq/one_arch (300 B)");
      expect(text.out).toContain("\nCopies:\n\nNo copies.\n");
      expect(text.out).toMatch(/#\d+ +arch1 +arch2 +waits: destination arch2: hit minimum free space: \(5\.00 GiB < 10\.00 GiB\)\n/);
      expect(text.out).not.toContain("transit");
      expect(await cli(["file", "explain", "acq/nosuch"])).toEqual({ code: 1, out: "", err: "Error: No such file: acq/nosuch\n" });
      expect(await cli(["file", "explain", "acq/one_arch", "--node", "nosuch"])).toEqual({ code: 1, out: "", err: "Error: no such node: nosuch\n" });
    });
  });
}
