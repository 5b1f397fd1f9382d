// `alpenhorn file show` on both backends (alpenhorn/cli/file/show.py and
// tests/cli/file/test_show.py at 632dd41).

import { expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import type { HasFile, WantsFile } from "../../../src/index/rows.ts";
import { fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const acq = await seed.acq(env.db, { name: "Acq" });
  const file = await seed.file(env.db, { name: "File", acq_id: acq.id, size_b: 123, md5sum: "D41D8CD98F00B204E9800998ECF8427E", registered: "2001-01-01 01:01:01.5" });
  const other = await seed.file(env.db, { name: "Other", acq_id: acq.id });
  return { ...env, acq, file, other };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file show [${backend}]`, () => {
    test("needs FILE", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "show"]);
      expect(r.code).toBe(2);
      expect(r.err).toEndWith("Error: Missing argument 'FILE'.\n");
    });

    test("unknown and absolute paths are not found", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "show", "Acq//Missing/"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Missing\n" });
      expect(await w.run(["file", "show", "/Acq/File"])).toMatchObject({ code: 1, err: "Error: No such file: /Acq/File\n" });
      // Python's PurePath keeps exactly two leading slashes (POSIX leaves `//` implementation-defined).
      expect(await w.run(["file", "show", "//Acq/File"])).toMatchObject({ code: 1, err: "Error: No such file: //Acq/File\n" });
      expect(await w.run(["file", "show", "///Acq//File"])).toMatchObject({ code: 1, err: "Error: No such file: /Acq/File\n" });
    });

    test("shows the file record (demo layout)", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "show", "Acq/File"]);
      expect(r).toMatchObject({
        code: 0,
        out:
          "       Name: File\nAcquisition: Acq\n       Path: Acq/File\n\n       Size: 123 B\n" +
          "   MD5 Hash: d41d8cd98f00b204e9800998ecf8427e\n Registered: Mon Jan  1 01:01:01 2001 UTC\n",
      });
    });

    test("a file in a nested acquisition; unknown size and MD5", async () => {
      await using w = await world(backend);
      const acq = await seed.acq(w.db, { name: "2025/02/21" });
      await seed.file(w.db, { name: "23/1324.dat", acq_id: acq.id });
      const r = await w.run(["file", "show", "2025/02/21/23/1324.dat"]);
      expect(r.out).toStartWith("       Name: 23/1324.dat\nAcquisition: 2025/02/21\n       Path: 2025/02/21/23/1324.dat\n\n       Size: unknown\n   MD5 Hash: -\n");
    });

    test("--groups: state per group (Y wins, M beats X), groups without copies left out", async () => {
      await using w = await world(backend);
      const db = w.db;
      const g1 = await seed.group(db, { name: "Group1" });
      const g2 = await seed.group(db, { name: "Group2" });
      const g3 = await seed.group(db, { name: "Group3" });
      const g4 = await seed.group(db, { name: "Group4" });
      const n1a = await seed.node(db, { name: "Node1a", group_id: g1.id });
      const n1b = await seed.node(db, { name: "Node1b", group_id: g1.id });
      const n2 = await seed.node(db, { name: "Node2", group_id: g2.id });
      const n3 = await seed.node(db, { name: "Node3", group_id: g3.id });
      const n4 = await seed.node(db, { name: "Node4", group_id: g4.id });
      await seed.copy(db, { file_id: w.file.id, node_id: n1a.id, has_file: "X" });
      await seed.copy(db, { file_id: w.file.id, node_id: n1b.id, has_file: "M" });
      await seed.copy(db, { file_id: w.file.id, node_id: n2.id, has_file: "Y" });
      await seed.copy(db, { file_id: w.file.id, node_id: n3.id, has_file: "N", wants_file: "N" });
      await seed.copy(db, { file_id: w.other.id, node_id: n4.id, has_file: "Y" });
      const r = await w.run(["file", "show", "Acq/File", "--groups"]);
      expect(r.code).toBe(0);
      expect(r.out).toEndWith(
        "\nGroup status\n\nGroup    State    Node\n-------  -------  ------\nGroup1   Suspect  Node1b\nGroup2   Present  Node2\nGroup3   Absent   -\n",
      );
      expect(r.out).not.toContain("Group4");
    });

    test("--groups and --nodes without copies", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "show", "Acq/File", "--groups", "--nodes"]);
      expect(r.out).toEndWith("\nGroup status\n\nNo extant copies.\n\nNode status:\n\nNo extant copies.\n");
    });

    test("--nodes: every copy with its state word; size only for Y and M", async () => {
      await using w = await world(backend);
      const g = await seed.group(w.db, { name: "G" });
      const combos = ["YY", "YM", "YN", "MY", "MM", "MN", "XY", "XM", "XN", "NY", "NM", "NN"] as const;
      const words = ["Healthy", "Removable", "Released", "Suspect", "Suspect", "Released", "Corrupt", "Corrupt", "Released", "Missing", "Removed", "Removed"];
      for (const [i, c] of combos.entries()) {
        const n = await seed.node(w.db, { name: `Node${c}`, group_id: g.id });
        await seed.copy(w.db, { file_id: w.file.id, node_id: n.id, has_file: c[0] as HasFile, wants_file: c[1] as WantsFile, size_b: 200 + i });
      }
      const o = await seed.node(w.db, { name: "OtherNode", group_id: g.id });
      await seed.copy(w.db, { file_id: w.other.id, node_id: o.id, has_file: "Y" });
      const r = await w.run(["file", "show", "Acq/File", "--nodes"]);
      expect(r.out).toContain("\nNode status:\n\nNode    State      Size on Node\n");
      for (const [i, c] of combos.entries()) {
        const size = c[0] === "Y" || c[0] === "M" ? `${200 + i} B` : "-";
        expect(hasRow(r.out, `Node${c}`, words[i]!, ...size.split(" "))).toBe(true);
      }
      expect(r.out).not.toContain("OtherNode");
    });

    test("--transfers: status, pretty times, '-' for missing times", async () => {
      await using w = await world(backend);
      const g = await seed.group(w.db, { name: "Dest" });
      const n = await seed.node(w.db, { name: "Src", group_id: g.id });
      const base = { file_id: w.file.id, group_to_id: g.id, node_from_id: n.id };
      await seed.copyRequest(w.db, { ...base, timestamp: "2001-01-01 01:01:01" });
      await seed.copyRequest(w.db, { ...base, cancelled: 1, timestamp: "2002-02-02 02:02:02", transfer_started: "2002-02-02 03:03:03" });
      await seed.copyRequest(w.db, {
        ...base,
        completed: 1,
        cancelled: 1,
        timestamp: "2003-03-03 03:03:03",
        transfer_started: "2003-03-03 04:04:04",
        transfer_completed: "2003-03-03 05:05:05",
      });
      await seed.copyRequest(w.db, { ...base, file_id: w.other.id });
      const r = await w.run(["file", "show", "Acq/File", "--transfers"]);
      expect(r.out).toEndWith(
        [
          "",
          "Transfer requests:",
          "",
          "Source Node    Dest. Group    Status     Request Time                  Start Time                    Completion Time",
          "-------------  -------------  ---------  ----------------------------  ----------------------------  ----------------------------",
          "Src            Dest           Pending    Mon Jan  1 01:01:01 2001 UTC  -                             -",
          "Src            Dest           Cancelled  Sat Feb  2 02:02:02 2002 UTC  Sat Feb  2 03:03:03 2002 UTC  -",
          "Src            Dest           Complete   Mon Mar  3 03:03:03 2003 UTC  Mon Mar  3 04:04:04 2003 UTC  Mon Mar  3 05:05:05 2003 UTC",
          "",
        ].join("\n"),
      );
    });

    test("--transfers without requests", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "show", "Acq/File", "--transfers"])).out).toEndWith("\nTransfer requests:\n\nNo transfers\n");
    });

    test("--all shows groups, nodes and transfers in that order", async () => {
      await using w = await world(backend);
      const g = await seed.group(w.db, { name: "G" });
      const n = await seed.node(w.db, { name: "N", group_id: g.id });
      await seed.copy(w.db, { file_id: w.file.id, node_id: n.id, has_file: "Y", size_b: 5 });
      await seed.copyRequest(w.db, { file_id: w.file.id, group_to_id: g.id, node_from_id: n.id, timestamp: "2001-01-01 01:01:01" });
      const r = await w.run(["file", "show", "-a", "Acq/File"]);
      const gi = r.out.indexOf("Group status");
      const ni = r.out.indexOf("Node status:");
      const ti = r.out.indexOf("Transfer requests:");
      expect(gi).toBeGreaterThan(0);
      expect(ni).toBeGreaterThan(gi);
      expect(ti).toBeGreaterThan(ni);
      expect(hasRow(r.out, "G", "Present", "N")).toBe(true);
      expect(hasRow(r.out, "N", "Healthy", "5", "B")).toBe(true);
      expect(hasRow(r.out, "N", "G", "Pending", "Mon", "Jan", "1", "01:01:01", "2001", "UTC", "-", "-")).toBe(true);
    });
  });
}
