// Help that differs by table layout: main's node create/modify/activate options, and main's
// one wording of --check/--force for node clean, node sync and group sync.

import { expect, test } from "bun:test";
import { backendSuites, initialisedIndex, mainLayoutIndex } from "../../helpers/index.ts";
import { cliFor } from "../../helpers/run-cli.ts";

const flat = (text: string) => text.replace(/\s+/g, " ");

for (const [backend, describeOn] of await backendSuites()) {
  describeOn(`help by table layout [${backend}]`, () => {
    test("--check/--force help of the confirming commands: main's wording on main, 632dd41's otherwise", async () => {
      await using main = await mainLayoutIndex(backend);
      await using old = await initialisedIndex(backend);
      for (const [argv, was] of [[["node", "clean"], "cleaned"], [["node", "sync"], "synced"], [["group", "sync"], "synced"]] as const) {
        const onMain = flat((await cliFor(main)([...argv, "-h"])).out);
        expect(onMain).toContain("Only check (and print) what would be done, don't actually do anything. Incompatible with --force");
        expect(onMain).toContain("Force update (skips confirmation). Incompatible with --check");
        const onOld = flat((await cliFor(old)([...argv, "-h"])).out);
        expect(onOld).toContain(`Only check (and print) what would be ${was}, don't actually do anything.`);
      }
    });

    test("node create -h: main's options on main (no --username/--address/--field/--transport), 632dd41's otherwise", async () => {
      await using main = await mainLayoutIndex(backend);
      await using old = await initialisedIndex(backend);
      const onMain = (await cliFor(main)(["node", "create", "-h"])).out;
      expect(onMain).toContain("--archive / --no-archive");
      expect(onMain).toContain("The Storage Host where this node is present.");
      for (const gone of ["--username", "--address", "--field", "--transport"]) expect(onMain).not.toContain(gone);
      const onOld = (await cliFor(old)(["node", "create", "-h"])).out;
      for (const kept of ["--username", "--address", "--field", "--transport"]) expect(onOld).toContain(kept);
    });
  });
}
