// `alpenhorn file list` on both backends (alpenhorn/cli/file/list.py and
// tests/cli/file/test_list.py at 632dd41; --details --node as README
// "Differences from alpenhorn" says).

import { describe, expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { hasRow } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";
import { fileEnv } from "./_fixtures.ts";

// Healthy sets: Node1 {file1, file2}, Node2 {file1, file4}, Node3 {file2}, Node4 {};
// Group1 (Node1, Node2) {file1, file2, file4}, Group2 (Node3) {file2}, Group3 (Node4) {}.
async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const db = env.db;
  const g1 = await seed.group(db, { name: "Group1" });
  const g2 = await seed.group(db, { name: "Group2" });
  const g3 = await seed.group(db, { name: "Group3" });
  const n1 = await seed.node(db, { name: "Node1", group_id: g1.id });
  const n2 = await seed.node(db, { name: "Node2", group_id: g1.id });
  const n3 = await seed.node(db, { name: "Node3", group_id: g2.id });
  await seed.node(db, { name: "Node4", group_id: g3.id });
  const acq1 = await seed.acq(db, { name: "acq1" });
  const acq2 = await seed.acq(db, { name: "acq2" });
  const md5 = "d41d8cd98f00b204e9800998ecf8427e";
  const f1 = await seed.file(db, { name: "file1", acq_id: acq1.id, size_b: 3456, md5sum: md5, registered: "2001-01-01 01:01:01" });
  const f2 = await seed.file(db, { name: "file2", acq_id: acq1.id, size_b: 4567, md5sum: md5, registered: "2002-03-02 02:02:02" });
  const f3 = await seed.file(db, { name: "file3", acq_id: acq2.id, size_b: 6789, md5sum: "7309AF6391B5B4A8A4F0A7C1B9F2E5D0", registered: "2003-03-03 03:03:03" });
  const f4 = await seed.file(db, { name: "file4", acq_id: acq2.id, registered: "2004-04-04 04:04:04" });
  await seed.copy(db, { file_id: f1.id, node_id: n1.id, has_file: "Y", wants_file: "Y", size_b: 1000 });
  await seed.copy(db, { file_id: f1.id, node_id: n2.id, has_file: "Y", wants_file: "Y", size_b: 1000 });
  await seed.copy(db, { file_id: f1.id, node_id: n3.id, has_file: "N", wants_file: "Y", size_b: 6789 });
  await seed.copy(db, { file_id: f2.id, node_id: n1.id, has_file: "Y", wants_file: "M", size_b: 2345 });
  await seed.copy(db, { file_id: f2.id, node_id: n3.id, has_file: "Y", wants_file: "Y", size_b: 2345 });
  await seed.copy(db, { file_id: f3.id, node_id: n2.id, has_file: "M", wants_file: "Y", size_b: 4567 });
  await seed.copy(db, { file_id: f3.id, node_id: n1.id, has_file: "N", wants_file: "N" });
  await seed.copy(db, { file_id: f4.id, node_id: n1.id, has_file: "X", wants_file: "Y", size_b: 10 });
  await seed.copy(db, { file_id: f4.id, node_id: n2.id, has_file: "Y", wants_file: "Y", size_b: 10 });
  return { ...env, n1, acq2 };
}

const lines = (...names: string[]) => names.join("\n") + "\n";

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file list [${backend}]`, () => {
    test("refuses a wrong schema version", async () => {
      await using w = await world(backend);
      await w.db.run("UPDATE dataindexversion SET version = 3 WHERE component = 'alpenhorn'");
      expect((await w.run(["file", "list"])).code).toBe(1);
    });

    test("usage checks: --from/--to together, no state flags with them, --all needs a location", async () => {
      await using w = await world(backend);
      const usage = async (argv: string[], msg: string) => {
        const r = await w.run(["file", "list", ...argv]);
        expect(r.code).toBe(2);
        expect(r.err).toEndWith(`Error: ${msg}\n`);
      };
      await usage(["--from=Node1"], "--from and --to must be used together");
      await usage(["--to=Group1"], "--from and --to must be used together");
      for (const flag of ["corrupt", "healthy", "missing", "suspect"])
        await usage(["--from=Node1", "--to=Group2", `--${flag}`], `cannot use both --from and --${flag}`);
      await usage(["--suspect", "--corrupt", "--from=Node1", "--to=Group2"], "cannot use both --from and --corrupt");
      await usage(["--all"], "--all cannot be used without a location constraint (one or more of --absent-group, --absent-node, --group, --node)");
      for (const loc of ["--node=Node1", "--group=Group1", "--absent-node=Node1", "--absent-group=Group1"])
        expect((await w.run(["file", "list", "--all", loc])).code).toBe(0);
    });

    test("unknown names are errors", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "list", "--acq=nope"])).toMatchObject({ code: 1, err: "Error: No such acquisition: nope\n" });
      expect(await w.run(["file", "list", "--node=nope"])).toMatchObject({ code: 1, err: "Error: no such node: nope\n" });
      expect(await w.run(["file", "list", "--group=nope"])).toMatchObject({ code: 1, err: "Error: no such group: nope\n" });
      expect(await w.run(["file", "list", "--from=nope", "--to=Group1"])).toMatchObject({ code: 1, err: "Error: no such node: nope\n" });
      expect(await w.run(["file", "list", "--from=Node1", "--to=nope"])).toMatchObject({ code: 1, err: "Error: no such group: nope\n" });
    });

    test("an unknown --acq is not reported when the location selection is empty", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "list", "--node=Node4", "--acq=nope"])).toMatchObject({ code: 0, out: "", err: "" });
    });

    test("lists every file, ordered by acquisition and name; --acq restricts", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "list"])).toMatchObject({ code: 0, out: lines("acq1/file1", "acq1/file2", "acq2/file3", "acq2/file4") });
      expect((await w.run(["file", "list", "--acq=acq2"])).out).toBe(lines("acq2/file3", "acq2/file4"));
    });

    test("an empty index prints one empty line", async () => {
      await using env = await fileEnv(backend);
      expect(await env.run(["file", "list"])).toMatchObject({ code: 0, out: "\n" });
    });

    test("--node and --group: union of healthy files; --all intersects", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--node=Node1", "--node=Node2"])).out).toBe(lines("acq1/file1", "acq1/file2", "acq2/file4"));
      expect((await w.run(["file", "list", "--node=Node1", "--node=Node2", "--all"])).out).toBe(lines("acq1/file1"));
      expect((await w.run(["file", "list", "--group=Group1", "--group=Group2"])).out).toBe(lines("acq1/file1", "acq1/file2", "acq2/file4"));
      expect((await w.run(["file", "list", "--group=Group1", "--group=Group2", "-a"])).out).toBe(lines("acq1/file2"));
      expect((await w.run(["file", "list", "--node=Node3", "--group=Group1"])).out).toBe(lines("acq1/file1", "acq1/file2", "acq2/file4"));
      expect((await w.run(["file", "list", "--node=Node3", "--group=Group1", "--all"])).out).toBe(lines("acq1/file2"));
    });

    test("state flags apply to --node/--group and are OR-ed; without a location they are ignored", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--node=Node1", "--corrupt"])).out).toBe(lines("acq2/file4"));
      expect((await w.run(["file", "list", "--node=Node2", "--suspect"])).out).toBe(lines("acq2/file3"));
      expect((await w.run(["file", "list", "--node=Node3", "--missing"])).out).toBe(lines("acq1/file1"));
      expect((await w.run(["file", "list", "--node=Node1", "--healthy"])).out).toBe(lines("acq1/file1", "acq1/file2"));
      expect((await w.run(["file", "list", "--node=Node1", "--node=Node2", "--corrupt", "--suspect"])).out).toBe(lines("acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--group=Group1", "--suspect"])).out).toBe(lines("acq2/file3"));
      expect((await w.run(["file", "list", "--corrupt"])).out).toBe(lines("acq1/file1", "acq1/file2", "acq2/file3", "acq2/file4"));
      // A released copy is in no state.
      expect((await w.run(["file", "list", "--node=Node1", "--missing", "--suspect"])).out).toBe("");
    });

    test("--from/--to: healthy on the source and not healthy in the destination", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--from=Node1", "--to=Group2"])).out).toBe(lines("acq1/file1"));
      expect((await w.run(["file", "list", "--from=Node2", "--to=Group2"])).out).toBe(lines("acq1/file1", "acq2/file4"));
      expect((await w.run(["file", "list", "--from=Node2", "--to=Group2", "--node=Node1"])).out).toBe(lines("acq1/file1"));
      // Kept apart from the negative selection: syncable AND not omitted (here: nothing, so one empty line).
      expect((await w.run(["file", "list", "--from=Node2", "--to=Group2", "--absent-node=Node2"])).out).toBe("\n");
      expect((await w.run(["file", "list", "--from=Node2", "--to=Group2", "--absent-node=Node1"])).out).toBe(lines("acq2/file4"));
      expect((await w.run(["file", "list", "--from=Node3", "--to=Group1"])).out).toBe("");
    });

    test("--absent-node/--absent-group: absent from any one of them (all of them with --all)", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--absent-node=Node1"])).out).toBe(lines("acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--absent-node=Node1", "--absent-node=Node3"])).out).toBe(lines("acq1/file1", "acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--absent-group=Group1"])).out).toBe(lines("acq2/file3"));
      expect((await w.run(["file", "list", "--absent-node=Node3", "--absent-group=Group2"])).out).toBe(lines("acq1/file1", "acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--all", "--absent-node=Node1", "--absent-node=Node3"])).out).toBe(lines("acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--all", "--absent-node=Node2", "--absent-group=Group2"])).out).toBe(lines("acq2/file3"));
    });

    test("positive and negative constraints: OR-ed, or differenced with --all", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--node=Node3", "--absent-node=Node1"])).out).toBe(lines("acq1/file2", "acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--node=Node1", "--absent-node=Node3", "--all"])).out).toBe(lines("acq1/file1"));
      expect((await w.run(["file", "list", "--node=Node3", "--absent-node=Node1", "--all"])).out).toBe("");
      // An empty negative selection is dropped, leaving only the positive one, as in
      // alpenhorn/cli/file/list.py: list_.
      expect((await w.run(["file", "list", "--node=Node3", "--absent-node=Node4"])).out).toBe(lines("acq1/file2"));
    });

    test("state flags never apply to the negative constraints", async () => {
      await using w = await world(backend);
      expect((await w.run(["file", "list", "--corrupt", "--node=Node1", "--absent-node=Node2"])).out).toBe(lines("acq1/file2", "acq2/file3", "acq2/file4"));
      expect((await w.run(["file", "list", "--corrupt", "--node=Node1", "--absent-node=Node3", "--all"])).out).toBe(lines("acq2/file4"));
    });

    test("--details: size, lower-cased MD5 and registration time", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "list", "--details"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        [
          "File        Size       MD5 Hash                          Registration Time",
          "----------  ---------  --------------------------------  ----------------------------",
          "acq1/file1  3.375 kiB  d41d8cd98f00b204e9800998ecf8427e  Mon Jan  1 01:01:01 2001 UTC",
          "acq1/file2  4.460 kiB  d41d8cd98f00b204e9800998ecf8427e  Sat Mar  2 02:02:02 2002 UTC",
          "acq2/file3  6.630 kiB  7309af6391b5b4a8a4f0a7c1b9f2e5d0  Mon Mar  3 03:03:03 2003 UTC",
          "acq2/file4  -          -                                 Sun Apr  4 04:04:04 2004 UTC",
          "",
        ].join("\n"),
      );
    });

    test("--details prints nothing when nothing matches", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "list", "--details", "--node=Node4"])).toMatchObject({ code: 0, out: "" });
      expect(await w.run(["file", "list", "--details", "--acq=acq2", "--node=Node3"])).toMatchObject({ code: 0, out: "" });
    });

    test("--details --node adds the state and size of the copy on that node", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "list", "--details", "--node=Node1", "--healthy", "--corrupt"]);
      expect(r.out).toBe(
        [
          "File        Size       MD5 Hash                          Registration Time             State      Size on Node",
          "----------  ---------  --------------------------------  ----------------------------  ---------  --------------",
          "acq1/file1  3.375 kiB  d41d8cd98f00b204e9800998ecf8427e  Mon Jan  1 01:01:01 2001 UTC  Healthy    1000 B",
          "acq1/file2  4.460 kiB  d41d8cd98f00b204e9800998ecf8427e  Sat Mar  2 02:02:02 2002 UTC  Removable  2.290 kiB",
          "acq2/file4  -          -                                 Sun Apr  4 04:04:04 2004 UTC  Corrupt    10 B",
          "",
        ].join("\n"),
      );
      const m = await w.run(["file", "list", "--details", "--node=Node3", "--missing"]);
      expect(hasRow(m.out, "acq1/file1", "3.375", "kiB", "d41d8cd98f00b204e9800998ecf8427e", "Mon", "Jan", "1", "01:01:01", "2001", "UTC", "Missing", "6.630", "kiB")).toBe(true);
    });

    test("--details --node takes the copy on that node, and a file without one is Absent (test_detail_node; upstream bug fixed)", async () => {
      await using w = await world(backend);
      await seed.file(w.db, { name: "file5", acq_id: w.acq2.id, size_b: 5, registered: "2005-05-05 05:05:05" });
      const r = await w.run(["file", "list", "--details", "--node=Node1", "--absent-node=Node3"]);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      const row = (path: string, ...rest: string[]) => expect(hasRow(r.out, path, ...rest)).toBe(true);
      row("acq1/file1", "3.375", "kiB", "d41d8cd98f00b204e9800998ecf8427e", "Mon", "Jan", "1", "01:01:01", "2001", "UTC", "Healthy", "1000", "B");
      row("acq1/file2", "4.460", "kiB", "d41d8cd98f00b204e9800998ecf8427e", "Sat", "Mar", "2", "02:02:02", "2002", "UTC", "Removable", "2.290", "kiB");
      row("acq2/file3", "6.630", "kiB", "7309af6391b5b4a8a4f0a7c1b9f2e5d0", "Mon", "Mar", "3", "03:03:03", "2003", "UTC", "Removed", "-");
      row("acq2/file4", "-", "-", "Sun", "Apr", "4", "04:04:04", "2004", "UTC", "Corrupt", "10", "B");
      row("acq2/file5", "5", "B", "-", "Thu", "May", "5", "05:05:05", "2005", "UTC", "Absent", "-");
    });

    test("--details --group adds the group state and the node holding it", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "list", "--details", "--group=Group1"]);
      expect(r.out.split("\n")[0]).toBe("File        Size       MD5 Hash                          Registration Time             State    Node");
      expect(hasRow(r.out, "acq1/file1", "3.375", "kiB", "d41d8cd98f00b204e9800998ecf8427e", "Mon", "Jan", "1", "01:01:01", "2001", "UTC", "Present", "Node1")).toBe(true);
      expect(hasRow(r.out, "acq2/file4", "-", "-", "Sun", "Apr", "4", "04:04:04", "2004", "UTC", "Present", "Node2")).toBe(true);
      const s = await w.run(["file", "list", "--details", "--group=Group1", "--suspect"]);
      expect(hasRow(s.out, "acq2/file3", "6.630", "kiB", "7309af6391b5b4a8a4f0a7c1b9f2e5d0", "Mon", "Mar", "3", "03:03:03", "2003", "UTC", "Suspect", "Node2")).toBe(true);
      const m = await w.run(["file", "list", "--details", "--group=Group2", "--missing"]);
      expect(hasRow(m.out, "acq1/file1", "3.375", "kiB", "d41d8cd98f00b204e9800998ecf8427e", "Mon", "Jan", "1", "01:01:01", "2001", "UTC", "Absent", "-")).toBe(true);
    });

    test("--details without extra columns for two nodes or with --from", async () => {
      await using w = await world(backend);
      const two = await w.run(["file", "list", "--details", "--node=Node1", "--node=Node2"]);
      expect(two.out.split("\n")[0]).toBe("File        Size       MD5 Hash                          Registration Time");
      const sync = await w.run(["file", "list", "--details", "--node=Node1", "--from=Node1", "--to=Group2"]);
      expect(sync.out.split("\n")[0]).toBe("File        Size       MD5 Hash                          Registration Time");
    });
  });
}

describe("file list [sqlite only]", () => {
  test("--details shows '-' for a falsy registration time", async () => {
    await using env = await fileEnv("sqlite");
    const acq = await seed.acq(env.db, { name: "acq" });
    await seed.file(env.db, { name: "f", acq_id: acq.id, registered: 0 as unknown as string });
    const r = await env.run(["file", "list", "--details"]);
    expect(hasRow(r.out, "acq/f", "-", "-", "-")).toBe(true);
  });
});
