// node create / modify / activate on an index in upstream main's table layout (89943e0's
// alpenhorn/cli/node/{create,modify,activate}.py and their tests): `--host` names a storagehost
// row, `--archive/--no-archive` sets the boolean, the log-in and role options of 632dd41 are gone.

import { expect, test } from "bun:test";
import { backendSuites, mainLayoutIndex, type TestIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";
import { seed } from "../../helpers/seed.ts";

interface RawNode {
  name: string;
  host_id: number | null;
  archive: number;
  active: number;
  root: string | null;
}
const rawNode = async (idx: TestIndex, name: string) =>
  (await idx.db.get<RawNode>("SELECT name, host_id, archive, active, root FROM storagenode WHERE name = ?", [name]))!;
const count = async (idx: TestIndex, table: string) => Number((await idx.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n);

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`node writes on upstream main's layout [${backend}]`, () => {
    test("create: defaults (no host, not archive), --archive, --no-archive (test_create_default, test_archive)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      expect(await cli(["node", "create", "TEST", "--create-group"])).toEqual({
        code: 0,
        out: 'Created storage group "TEST".\nCreated storage node "TEST".\n',
        err: "",
      });
      expect(await rawNode(idx, "TEST")).toMatchObject({ host_id: null, archive: 0, active: 0 });
      await cli(["node", "create", "ARCH", "--archive", "--create-group"]);
      expect((await rawNode(idx, "ARCH")).archive).toBe(1);
      await cli(["node", "create", "NOARCH", "--no-archive", "--create-group"]);
      expect((await rawNode(idx, "NOARCH")).archive).toBe(0);
    });

    test("create --host names a host row; a missing one fails and creates nothing (test_set_all, test_bad_host)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      const h = await seed.host(idx.db, { name: "HOSTNAME" });
      expect((await cli(["node", "create", "TEST", "--create-group", "--host=HOSTNAME", "--activate", "--root=PATH"])).code).toBe(0);
      expect(await rawNode(idx, "TEST")).toMatchObject({ host_id: h.id, active: 1, root: "PATH" });
      expect(await cli(["node", "create", "BAD", "--create-group", "--host=MISSING"])).toEqual({ code: 1, out: "", err: "Error: no such host: MISSING\n" });
      expect(await count(idx, "storagenode")).toBe(1);
      expect(await count(idx, "storagegroup")).toBe(1);
    });

    test("create: 632dd41's --username/--address/--transport/--field do not exist here (as on main)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      for (const opt of ["--username=u", "--address=a", "--transport", "--field"]) {
        const r = await cli(["node", "create", "TEST", "--create-group", opt]);
        expect(r.code).toBe(2);
        expect(r.err).toContain(`Error: No such option '${opt.split("=")[0]}'.`);
      }
      expect(await count(idx, "storagenode")).toBe(0);
    });

    test("modify --host: change, keep, clear with --host=, set again; a missing host fails (test_modify_host, test_bad_host)", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      const h1 = await seed.host(idx.db, { name: "HOST1" });
      const h2 = await seed.host(idx.db, { name: "HOST2" });
      const g = await seed.group(idx.db, { name: "GROUP" });
      await seed.mainNode(idx.db, { name: "TEST", group_id: g.id, host_id: h1.id });
      expect(await cli(["node", "modify", "TEST", "--host=HOST2"])).toEqual({ code: 0, out: "Node updated.\n", err: "" });
      expect((await rawNode(idx, "TEST")).host_id).toBe(h2.id);
      expect((await cli(["node", "modify", "TEST", "--host=HOST2"])).out).toBe("No change.\n");
      await cli(["node", "modify", "TEST", "--auto-import"]);
      expect((await rawNode(idx, "TEST")).host_id).toBe(h2.id);
      await cli(["node", "modify", "TEST", "--host="]);
      expect((await rawNode(idx, "TEST")).host_id).toBeNull();
      await cli(["node", "modify", "TEST", "--host=HOST1"]);
      expect((await rawNode(idx, "TEST")).host_id).toBe(h1.id);
      expect(await cli(["node", "modify", "TEST", "--host=MISSING"])).toEqual({ code: 1, out: "", err: "Error: no such host: MISSING\n" });
      expect((await rawNode(idx, "TEST")).host_id).toBe(h1.id);
    });

    test("modify --archive / --no-archive is tri-state", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      const g = await seed.group(idx.db, { name: "GROUP" });
      await seed.mainNode(idx.db, { name: "TEST", group_id: g.id, archive: 0 });
      expect((await cli(["node", "modify", "TEST", "--archive"])).out).toBe("Node updated.\n");
      expect((await rawNode(idx, "TEST")).archive).toBe(1);
      expect((await cli(["node", "modify", "TEST", "--notes=x"])).out).toBe("Node updated.\n");
      expect((await rawNode(idx, "TEST")).archive).toBe(1);
      expect((await cli(["node", "modify", "TEST", "--archive"])).out).toBe("No change.\n");
      expect((await cli(["node", "modify", "TEST", "--no-archive"])).out).toBe("Node updated.\n");
      expect((await rawNode(idx, "TEST")).archive).toBe(0);
    });

    test("activate: --host resolves a host row, --host= clears; missing host fails; already active is no change", async () => {
      await using idx = await mainLayoutIndex(backend);
      const cli = cliFor(idx);
      const h = await seed.host(idx.db, { name: "HOST" });
      const nh = await seed.host(idx.db, { name: "NEWHOST" });
      const g = await seed.group(idx.db, { name: "GROUP" });
      await seed.mainNode(idx.db, { name: "TEST", group_id: g.id, host_id: h.id, root: "ROOT" });
      expect(await cli(["node", "activate", "TEST", "--host=MISSING"])).toEqual({ code: 1, out: "", err: "Error: no such host: MISSING\n" });
      expect((await rawNode(idx, "TEST")).active).toBe(0);
      expect(await cli(["node", "activate", "TEST", "--host=NEWHOST", "--root=NEWROOT"])).toEqual({ code: 0, out: 'Storage node "TEST" activated.\n', err: "" });
      expect(await rawNode(idx, "TEST")).toMatchObject({ active: 1, host_id: nh.id, root: "NEWROOT" });
      expect(await cli(["node", "activate", "TEST", "--host=HOST"])).toEqual({ code: 0, out: 'No change: node "TEST" already active.\n', err: "" });
      expect((await rawNode(idx, "TEST")).host_id).toBe(nh.id);
      await seed.mainNode(idx.db, { name: "CLEAR", group_id: g.id, host_id: h.id, root: "ROOT" });
      await cli(["node", "activate", "CLEAR", "--host=", "--root="]);
      expect(await rawNode(idx, "CLEAR")).toMatchObject({ active: 1, host_id: null, root: null });
      const r = await cli(["node", "activate", "CLEAR", "--username=u"]);
      expect(r.code).toBe(2);
    });
  });
}
