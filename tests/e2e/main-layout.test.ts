// The compiled binary on upstream main's table layout, on SQLite and MariaDB: `db init
// --layout main`, hosts and nodes made with main's options, the listings main prints, a
// migration to 632dd41's layout and back, and the host group refused in between.

import { describe, expect, test } from "bun:test";
import { BACKENDS, useSession } from "./cli-session.ts";

for (const backend of BACKENDS) {
  describe.if(backend.enabled)(`dist/alpenhorn on upstream main's layout [${backend.name}]`, () => {
    const s = useSession(backend, `main-layout-${backend.name}`);
    const ok = async (args: string[], out: string, input?: string) => expect(await s.run(args, input)).toEqual({ code: 0, out, err: "" });

    test("db init --layout main, host create, node create --host --archive, node list, host list", async () => {
      await ok(["db", "init", "--layout", "main"], "Data Index version 2 initialised.\n");
      await ok(["host", "create", "alpenhost1", "--username=alp", "--address=host1.example"], 'Created storage host "alpenhost1".\n');
      await ok(["node", "create", "store1", "--create-group", "--host=alpenhost1", "--archive", "--root=/data"], 'Created storage group "store1".\nCreated storage node "store1".\n');
      await ok(["node", "list"], [
        "Name    Group    Archive    I/O Class    Host        Active    Root    Notes",
        "------  -------  ---------  -----------  ----------  --------  ------  -------",
        "store1  store1   Yes                     alpenhost1  No        /data",
        "",
      ].join("\n"));
      await ok(["host", "list"], [
        "Name        Username    Address          Nodes  Notes",
        "----------  ----------  -------------  -------  -------",
        "alpenhost1  alp         host1.example        1",
        "",
      ].join("\n"));
      expect(await s.run(["node", "create", "store2", "--create-group", "--host=nowhere"])).toEqual({ code: 1, out: "", err: "Error: no such host: nowhere\n" });
    });

    test("db migrate to 632dd41: the host group is refused, node show is 632dd41's; and back", async () => {
      await ok(["db", "migrate", "--to", "632dd41", "--force"], [
        "Migration from upstream main's table layout (with storagehost) to alpenhorn 632dd41's table layout:",
        "  nothing would be lost.",
        "Data Index migrated to alpenhorn 632dd41's table layout.",
        "",
      ].join("\n"));
      const refused = await s.run(["host", "list"]);
      expect(refused.code).toBe(1);
      expect(refused.err).toBe(`Error: "alpenhorn host" needs a Data Index in upstream main's table layout (with storagehost); this one is in alpenhorn 632dd41's table layout.\n`);
      const show = await s.run(["node", "show", "store1"]);
      expect(show.out).toContain("           Type: Archive\n");
      expect(show.out).toContain("    Daemon Host: alpenhost1\n Log-in Address: host1.example\nLog-in Username: alp\n");
      await ok(["db", "migrate", "--to", "main", "--force"], [
        "Migration from alpenhorn 632dd41's table layout to upstream main's table layout (with storagehost):",
        "  nothing would be lost.",
        "Data Index migrated to upstream main's table layout (with storagehost).",
        "",
      ].join("\n"));
      const back = await s.run(["node", "show", "store1"]);
      expect(back.out).toContain("        Archive: Yes\n");
      expect(back.out).toContain("   Storage Host: alpenhost1\n");
    });
  });
}
