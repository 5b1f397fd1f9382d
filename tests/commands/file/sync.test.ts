// `alpenhorn file sync` on both backends (alpenhorn/cli/file/sync.py and
// tests/cli/file/test_sync.py at 632dd41).

import { describe, expect, test } from "bun:test";
import { backendSuites, type Backend } from "../../helpers/index.ts";
import { seed } from "../../helpers/seed.ts";
import type { ArchiveFileCopyRequestRow } from "../../../src/index/rows.ts";
import { countRows, fileEnv } from "./_fixtures.ts";

async function world(backend: Backend) {
  const env = await fileEnv(backend);
  const db = env.db;
  const srcGroup = await seed.group(db, { name: "SrcGroup" });
  const dest = await seed.group(db, { name: "Dest" });
  const dest2 = await seed.group(db, { name: "Dest2" });
  const src = await seed.node(db, { name: "Src", group_id: srcGroup.id });
  const src2 = await seed.node(db, { name: "Src2", group_id: srcGroup.id });
  const destNode = await seed.node(db, { name: "DestNode", group_id: dest.id });
  const acq = await seed.acq(db, { name: "Acq" });
  const file = await seed.file(db, { name: "File", acq_id: acq.id });
  const other = await seed.file(db, { name: "Other", acq_id: acq.id });
  const requests = () => db.all<ArchiveFileCopyRequestRow>("SELECT * FROM archivefilecopyrequest ORDER BY id");
  return { ...env, src, src2, dest, dest2, destNode, file, other, requests };
}

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`file sync [${backend}]`, () => {
    test("unknown file, source or destination", async () => {
      await using w = await world(backend);
      expect(await w.run(["file", "sync", "Acq/Nope", "--from=Src", "--to=Dest"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
      expect(await w.run(["file", "sync", "Acq/File", "--from=Nope", "--to=Dest"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
      expect(await w.run(["file", "sync", "Acq/File", "--from=Src", "--to=Nope"])).toMatchObject({ code: 1, err: "Error: no such group: Nope\n" });
    });

    test("--from and --to are required without --cancel", async () => {
      await using w = await world(backend);
      const a = await w.run(["file", "sync", "Acq/File", "--to=Dest"]);
      expect(a.code).toBe(2);
      expect(a.err).toEndWith("Error: missing --from\n");
      const b = await w.run(["file", "sync", "Acq/File", "--from=Src"]);
      expect(b.code).toBe(2);
      expect(b.err).toEndWith("Error: missing --to\n");
    });

    test("file not on the source: Not done, no request", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.src.id, has_file: "X" });
      expect(await w.run(["file", "sync", "Acq/File", "--from=Src", "--to=Dest"])).toMatchObject({ code: 0, out: "Not done: File missing from source.\n" });
      expect(await countRows(w.db, "archivefilecopyrequest")).toBe(0);
    });

    test("creates a pending request (demo)", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.src.id, has_file: "Y" });
      expect(await w.run(["file", "sync", "--from", "Src", "--to", "Dest", "Acq/File"])).toMatchObject({ code: 0, out: "Request submitted.\n" });
      const [r] = await w.requests();
      expect(r).toMatchObject({ file_id: w.file.id, node_from_id: w.src.id, group_to_id: w.dest.id, transfer_started: null, transfer_completed: null });
      expect([Number(r!.completed), Number(r!.cancelled)]).toEqual([0, 0]);
      expect(r!.timestamp).toBeTruthy();
      // No duplicate check, as in alpenhorn/cli/file/sync.py: sync.
      expect((await w.run(["file", "sync", "--from", "Src", "--to", "Dest", "Acq/File", "--force"])).out).toBe("Request submitted.\n");
      expect(await countRows(w.db, "archivefilecopyrequest")).toBe(2);
    });

    test("--force creates the request even when the source has no copy", async () => {
      await using w = await world(backend);
      const r = await w.run(["file", "sync", "Acq/File", "--from=Src", "--to=Dest", "--force"]);
      expect(r).toMatchObject({ code: 0, out: "File missing from source: forcing request.\nRequest submitted.\n" });
      expect(await countRows(w.db, "archivefilecopyrequest")).toBe(1);
    });

    test("file already in the destination group: Not done", async () => {
      await using w = await world(backend);
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.src.id, has_file: "Y" });
      await seed.copy(w.db, { file_id: w.file.id, node_id: w.destNode.id, has_file: "Y" });
      const r = await w.run(["file", "sync", "Acq//File", "--from=Src", "--to=Dest", "--force"]);
      expect(r).toMatchObject({ code: 0, out: 'Not done: Acq//File already present on Node "DestNode" in destination Group "Dest".\n' });
      expect(await countRows(w.db, "archivefilecopyrequest")).toBe(0);
    });

    describe("--cancel", () => {
      async function withRequests(backend: Backend) {
        const w = await world(backend);
        const base = { file_id: w.file.id };
        await seed.copyRequest(w.db, { ...base, node_from_id: w.src.id, group_to_id: w.dest.id });
        await seed.copyRequest(w.db, { ...base, node_from_id: w.src.id, group_to_id: w.dest2.id });
        await seed.copyRequest(w.db, { ...base, node_from_id: w.src2.id, group_to_id: w.dest.id });
        await seed.copyRequest(w.db, { ...base, node_from_id: w.src2.id, group_to_id: w.dest2.id });
        await seed.copyRequest(w.db, { ...base, node_from_id: w.src.id, group_to_id: w.dest.id, completed: 1 });
        await seed.copyRequest(w.db, { file_id: w.other.id, node_from_id: w.src.id, group_to_id: w.dest.id });
        const cancelled = async () => (await w.requests()).map((r) => Number(r.cancelled));
        return Object.assign(w, { cancelled });
      }

      test("unknown file, node or group", async () => {
        await using w = await withRequests(backend);
        expect(await w.run(["file", "sync", "Acq/Nope", "--cancel"])).toMatchObject({ code: 1, err: "Error: No such file: Acq/Nope\n" });
        expect(await w.run(["file", "sync", "Acq/File", "--cancel", "--from=Nope"])).toMatchObject({ code: 1, err: "Error: no such node: Nope\n" });
        expect(await w.run(["file", "sync", "Acq/File", "--cancel", "--to=Nope"])).toMatchObject({ code: 1, err: "Error: no such group: Nope\n" });
        expect(await w.cancelled()).toEqual([0, 0, 0, 0, 0, 0]);
      });

      test("cancels every pending request of the file only", async () => {
        await using w = await withRequests(backend);
        expect(await w.run(["file", "sync", "Acq/File", "--cancel"])).toMatchObject({ code: 0, out: "Cancelled 4 requests.\n" });
        expect(await w.cancelled()).toEqual([1, 1, 1, 1, 0, 0]);
        expect((await w.run(["file", "sync", "Acq/File", "--cancel"])).out).toBe("No requests to cancel.\n");
      });

      test("limited by --from, --to, or both", async () => {
        await using w = await withRequests(backend);
        expect((await w.run(["file", "sync", "Acq/File", "--cancel", "--from=Src"])).out).toBe("Cancelled 2 requests.\n");
        expect(await w.cancelled()).toEqual([1, 1, 0, 0, 0, 0]);
        expect((await w.run(["file", "sync", "Acq/File", "--cancel", "--to=Dest"])).out).toBe("Cancelled 1 request.\n");
        expect(await w.cancelled()).toEqual([1, 1, 1, 0, 0, 0]);
        expect((await w.run(["file", "sync", "Acq/File", "--cancel", "--from=Src2", "--to=Dest2"])).out).toBe("Cancelled 1 request.\n");
        expect(await w.cancelled()).toEqual([1, 1, 1, 1, 0, 0]);
      });
    });
  });
}
